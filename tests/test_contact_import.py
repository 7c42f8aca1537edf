"""Contacts from CSV: a dry run reports and writes nothing; the import creates, updates by
email and skips bad lines with their number; a malformed file is refused or cut off, never a
500."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import assert_error
from tests.inbox_helpers import Client

CSV = (
    "name,email,phone,company,plan\n"
    "Grace Hopper,grace@example.com,+1 555 0100,Navy,pro\n"
    "Alan Turing,ALAN@example.com,,,\n"
    ",,,,\n"  # blank: ignored
    ",,,Nobody Inc,\n"  # no name, email or phone
    "Ada,not-an-email,,,\n"
    "Too,many,cells,here,x,y\n"
    '"Edsger W. Dijkstra",edsger@example.com,,"Eindhoven, NL",free\n'
    "Grace B. Hopper,grace@EXAMPLE.com,,,admiral\n"  # the same person: updated
)


def post_csv(
    client: Client, body: bytes | str, dry_run: str | None = "false", **headers: str
) -> Any:
    params = {"dry_run": dry_run} if dry_run is not None else {}
    return client.post(
        "/api/contacts/import",
        params=params,
        content=body.encode() if isinstance(body, str) else body,
        headers={"Content-Type": "text/csv", **headers},
    )


def contacts(client: Client) -> list[dict[str, Any]]:
    return list(client.get("/api/contacts", params={"per_page": 100}).json()["items"])


def test_dry_run_reports_and_writes_nothing(admin: Client) -> None:
    response = post_csv(admin, CSV, dry_run="true")
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["created"], report["updated"], report["dry_run"]) == (3, 1, True)
    assert [s["line"] for s in report["skipped"]] == [5, 6, 7]
    assert "name, an email or a phone" in report["skipped"][0]["error"]
    assert "Expected 5 cells, found 6" in report["skipped"][2]["error"]
    assert contacts(admin) == []
    assert post_csv(admin, CSV, dry_run=None).json()["dry_run"] is True  # the default


def test_import_creates_updates_and_skips(admin: Client) -> None:
    report = post_csv(admin, CSV).json()
    assert (report["created"], report["updated"], report["skipped_total"]) == (3, 1, 3)
    found = {c["email"]: c for c in contacts(admin)}
    assert set(found) == {"grace@example.com", "ALAN@example.com", "edsger@example.com"}
    grace = found["grace@example.com"]
    assert grace["name"] == "Grace B. Hopper" and grace["company"] == "Navy"
    assert grace["custom_attributes"] == {"plan": "admiral"}
    assert found["edsger@example.com"]["company"] == "Eindhoven, NL"
    # Again: everyone matches by email now.
    again = post_csv(admin, CSV).json()
    assert (again["created"], again["updated"]) == (0, 4)
    assert len(contacts(admin)) == 3


def test_a_malformed_file_stops_where_it_breaks(admin: Client) -> None:
    broken = 'name,email\nGrace,grace@example.com\n"Unclosed,quote@example.com\nAl,al@example.com\n'
    report = post_csv(admin, broken).json()
    assert report["created"] == 1
    assert report["skipped"][0]["line"] == 3 and "Not valid CSV" in report["skipped"][0]["error"]
    assert [c["email"] for c in contacts(admin)] == ["grace@example.com"]


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"\xff\xfe not utf-8",
        b"plan,seats\npro,3\n",  # no name, email or phone column
        b"name,name\nA,B\n",
        b"name,\nA,B\n",
        b"name,email\x00\nA,a@example.com\n",
    ],
)
def test_refused_files_change_nothing(admin: Client, body: bytes) -> None:
    assert_error(post_csv(admin, body), 400, "file")
    assert contacts(admin) == []


def test_refusals(admin: Client, agent: Client) -> None:
    assert_error(post_csv(agent, CSV), 403)  # admins only
    assert_error(post_csv(admin, CSV, **{"Content-Type": "application/json"}), 400, "file")
    assert_error(post_csv(admin, CSV, dry_run="maybe"), 400)
    assert contacts(admin) == []
    admin.cookies.clear()
    assert_error(post_csv(admin, CSV), 401)


def test_exports(admin: Client, agent: Client, phone: dict[str, Any]) -> None:
    post_csv(admin, "name,email,company\n=cmd|' /C calc'!A0,evil@example.com,-2+3\n")
    response = admin.get("/api/export/contacts.csv")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    lines = response.text.splitlines()
    assert lines[0] == "id,name,email,phone,company,custom_attributes,created_at"
    assert "'=cmd" in lines[1] and ",'-2+3," in lines[1]  # never a formula
    started = admin.post(
        "/api/conversations",
        json={"channel_id": phone["id"], "contact_id": 1, "subject": "@risk", "tags": ["vip"]},
    )
    assert started.status_code == 201, started.text
    day = started.json()["created_at"][:10]
    ranged = admin.get("/api/export/conversations.csv", params={"from": day, "to": day})
    assert f'filename="conversations-{day}-to-{day}.csv"' in ranged.headers["content-disposition"]
    rows = ranged.text
    assert len(rows.splitlines()) == 2 and "'@risk" in rows and ",vip," in rows
    none = admin.get("/api/export/conversations.csv", params={"to": "2020-01-01"}).text
    assert len(none.splitlines()) == 1
    assert_error(
        admin.get("/api/export/conversations.csv", params={"from": "yesterday"}), 400, "from"
    )
    assert_error(
        admin.get(
            "/api/export/conversations.csv", params={"from": "2026-12-02", "to": "2026-12-01"}
        ),
        400,
        "from",
    )
    assert_error(agent.get("/api/export/contacts.csv"), 403)
