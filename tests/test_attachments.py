"""Uploads, downloads and attachments on replies: the contract's limits and refusals, each
refusal reading back that nothing changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desk.services import attachments as attachments_service
from tests.conftest import FakeClock
from tests.inbox_helpers import Client, desk_of, make_channel, messages, start

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HTML = b"<html><script>alert(document.cookie)</script></html>"


def upload(client: Client, name: str, data: bytes, content_type: str = "text/plain") -> Any:
    return client.post("/api/attachments", files={"file": (name, data, content_type)})


def uploaded(client: Client, name: str = "notes.txt", data: bytes = b"hello") -> dict[str, Any]:
    response = upload(client, name, data)
    assert response.status_code == 201, response.text
    return dict(response.json())


def attachment_rows(client: Client) -> list[tuple[Any, ...]]:
    with desk_of(client).db.read() as conn:
        rows = conn.execute("SELECT id, message_id, uploader_id FROM attachments ORDER BY id")
        return [tuple(row) for row in rows]


def stored_files(tmp_path: Path) -> list[Path]:
    root = tmp_path / "data" / "attachments"
    return sorted(p for p in root.rglob("*") if p.is_file() and p.parent.name != "tmp")


@pytest.fixture
def conversation(admin: Client) -> dict[str, Any]:
    return start(admin, make_channel(admin, "phone")["id"], message="Hi")


def test_upload_keeps_the_base_name_and_sniffs_the_type(admin: Client) -> None:
    response = upload(admin, "C:\\Users\\ada\\..\\evil.png", PNG, "text/html")
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"id", "filename", "content_type", "size"}
    assert body["filename"] == "evil.png"
    assert body["content_type"] == "image/png"
    assert body["size"] == len(PNG)


@pytest.mark.parametrize(
    ("send", "status"),
    [
        ({"files": {"other": ("a.txt", b"x", "text/plain")}}, 400),
        ({"files": {"file": ("a.txt", b"", "text/plain")}}, 400),
        ({"json": {"file": "x"}}, 400),
        ({"content": b"x" * 10, "headers": {"Content-Type": "text/plain"}}, 400),
    ],
)
def test_upload_refusals_store_nothing(
    admin: Client, tmp_path: Path, send: dict[str, Any], status: int
) -> None:
    response = admin.post("/api/attachments", **send)
    assert response.status_code == status, response.text
    assert "error" in response.json()
    assert attachment_rows(admin) == []
    assert stored_files(tmp_path) == []


def test_upload_over_25_mib_is_413(admin: Client, tmp_path: Path) -> None:
    response = upload(admin, "big.bin", b"\x01" * (attachments_service.MAX_BYTES + 1))
    assert response.status_code == 413, response.text
    assert response.json()["error"]
    assert attachment_rows(admin) == []
    assert stored_files(tmp_path) == []
    exactly = upload(admin, "ok.bin", b"\x01" * attachments_service.MAX_BYTES)
    assert exactly.status_code == 201, exactly.text


def test_upload_needs_a_session(client: Client) -> None:
    assert upload(client, "a.txt", b"x").status_code == 401


def test_downloads_are_inert(admin: Client, agent: Client, conversation: dict[str, Any]) -> None:
    image, page = uploaded(admin, "shot.png", PNG), uploaded(admin, "page.html", HTML)
    response = admin.post(
        f"/api/conversations/{conversation['id']}/messages",
        json={"body": "", "attachment_ids": [image["id"], page["id"]]},
    )
    assert response.status_code == 201, response.text
    assert [a["filename"] for a in response.json()["attachments"]] == ["shot.png", "page.html"]
    shown = agent.get(f"/api/attachments/{image['id']}")
    assert shown.status_code == 200 and shown.content == PNG
    assert shown.headers["content-type"] == "image/png"
    assert shown.headers["content-disposition"] == "inline"
    assert shown.headers["x-content-type-options"] == "nosniff"
    saved = agent.get(f"/api/attachments/{page['id']}")
    assert saved.content == HTML
    assert saved.headers["content-disposition"] == "attachment; filename*=UTF-8''page.html"
    assert not saved.headers["content-type"].startswith("text/html")
    assert "sandbox" in saved.headers["content-security-policy"]


def test_unused_upload_is_its_uploaders_alone(admin: Client, agent: Client) -> None:
    mine = uploaded(agent)
    assert agent.get(f"/api/attachments/{mine['id']}").status_code == 200
    assert admin.get(f"/api/attachments/{mine['id']}").status_code == 404
    assert admin.get("/api/attachments/999999").status_code == 404


def test_attachment_ids_refusals_change_nothing(
    admin: Client, agent: Client, conversation: dict[str, Any]
) -> None:
    cid = conversation["id"]
    theirs = uploaded(agent)
    used = uploaded(admin)
    ok = admin.post(
        f"/api/conversations/{cid}/messages", json={"body": "x", "attachment_ids": [used["id"]]}
    )
    assert ok.status_code == 201
    mine = [uploaded(admin)["id"] for _ in range(11)]
    before_rows, before_messages = attachment_rows(admin), messages(admin, cid)
    cases = [
        ({"body": "x", "attachment_ids": [999999]}, 404, "attachment_ids"),
        ({"body": "x", "attachment_ids": [theirs["id"]]}, 400, "attachment_ids"),
        ({"body": "x", "attachment_ids": [used["id"]]}, 400, "attachment_ids"),
        ({"body": "x", "attachment_ids": mine}, 400, "attachment_ids"),
        ({"body": "x", "attachment_ids": [mine[0], mine[0]]}, 400, "attachment_ids"),
        ({"body": "  ", "attachment_ids": []}, 400, "body"),
        ({"body": "x", "attachment_ids": [0]}, 400, None),
    ]
    for body, status, field in cases:
        response = admin.post(f"/api/conversations/{cid}/messages", json=body)
        assert response.status_code == status, (body, response.text)
        if field:
            assert response.json().get("field") == field, response.text
    assert attachment_rows(admin) == before_rows
    assert messages(admin, cid) == before_messages


def test_unused_uploads_go_after_a_day(admin: Client, clock: FakeClock, tmp_path: Path) -> None:
    old = uploaded(admin, data=b"old upload")
    for _ in range(2):  # the session stays active (12 h idle ends it)
        clock.advance(hours=11.5)
        assert admin.get("/api/auth/me").status_code == 200
    fresh = uploaded(admin, data=b"fresh upload")
    clock.advance(hours=1.5)
    assert attachments_service.remove_unused_uploads(desk_of(admin)) == 1
    assert admin.get(f"/api/attachments/{old['id']}").status_code == 404
    assert admin.get(f"/api/attachments/{fresh['id']}").status_code == 200
    assert len(stored_files(tmp_path)) == 1


def test_deleting_a_contact_erases_their_files_but_not_shared_ones(
    admin: Client, tmp_path: Path
) -> None:
    phone = make_channel(admin, "phone")["id"]
    grace = start(admin, phone, message="Hi")
    alan = start(admin, phone, message="Hi", contact={"name": "Alan", "email": "a@x.example"})
    only_grace, shared = uploaded(admin, data=b"grace only"), uploaded(admin, data=b"shared")
    shared_again = uploaded(admin, data=b"shared")
    for cid, ids in (
        (grace["id"], [only_grace["id"], shared["id"]]),
        (alan["id"], [shared_again["id"]]),
    ):
        response = admin.post(
            f"/api/conversations/{cid}/messages", json={"body": "files", "attachment_ids": ids}
        )
        assert response.status_code == 201, response.text
    assert len(stored_files(tmp_path)) == 2  # "shared" is one file for two attachments
    assert admin.delete(f"/api/contacts/{grace['contact']['id']}").status_code == 200
    assert admin.get(f"/api/attachments/{only_grace['id']}").status_code == 404
    assert admin.get(f"/api/attachments/{shared_again['id']}").content == b"shared"
    assert [p.read_bytes() for p in stored_files(tmp_path)] == [b"shared"]
