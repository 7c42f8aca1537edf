"""Exports (admin): the whole workspace as one JSON document without a secret in it, the
routes' refusals, and the contacts import's own refusals (413, progress events, a dry run that
leaves existing contacts as they were)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from desk.api.security import SESSION_COOKIE
from desk.store import exports as store_exports
from tests.conftest import ADMIN, AGENT, assert_error
from tests.inbox_helpers import Client, desk_of, make_channel, record_events, start
from tests.test_contact_import import contacts, post_csv

SMTP_SECRET = "smtp-pa55-word-xyz"
AI_KEY = "sk-live-abcdef123456"
EXPORTS = ("/api/export/contacts.csv", "/api/export/conversations.csv")
SECTIONS = [
    "agents",
    "channels",
    "contacts",
    "conversations",
    "messages",
    "attachments",
    "automations",
    "canned_replies",
    "web_chat_visitors",
    "merged_conversations",
    "saved_views",
]


def _email_channel(admin: Client) -> dict[str, Any]:
    config = {
        "imap_host": "localhost",
        "imap_port": 993,
        "imap_user": "support",
        "imap_password": SMTP_SECRET,
        "smtp_host": "localhost",
        "smtp_port": 587,
        "smtp_user": "support",
        "smtp_password": SMTP_SECRET,
        "from_address": "support@acme.example",
    }
    response = admin.post(
        "/api/channels", json={"name": "Mailbox", "type": "email", "config": config}
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_workspace_export_has_everything_but_secrets(admin: Client, agent: Client) -> None:
    phone = make_channel(admin)
    _email_channel(admin)
    make_channel(admin, "api", "Shop hook")
    set_key = admin.post(
        "/api/settings/workspace",
        json={"ai": {"provider": "openai_compatible", "base_url": "http://127.0.0.1:9/v1",
                     "model": "m", "api_key": AI_KEY}},
    )  # fmt: skip
    assert set_key.status_code == 200, set_key.text
    post_csv(admin, "name,email,plan\nGrace,grace@example.com,pro\n")
    conversation = start(admin, phone["id"], contact_id=1, subject="Order 1042", tags=["vip"])
    reply = admin.post(
        f"/api/conversations/{conversation['id']}/messages", json={"body": "On its way"}
    )
    assert reply.status_code == 201, reply.text
    resolved = admin.post(
        f"/api/conversations/{conversation['id']}/status", json={"status": "resolved"}
    )
    assert resolved.status_code == 200, resolved.text  # an activity line
    response = admin.get("/api/export/workspace.json")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert 'filename="workspace.json"' in response.headers["content-disposition"]
    assert response.headers["cache-control"] == "no-store"
    data = json.loads(response.text)
    assert data["format"] == "desk-workspace-export" and data["version"] == 1
    assert list(data)[4:] == SECTIONS
    assert data["workspace"]["name"] == "Acme Support" and "ai_api_key" not in data["workspace"]
    assert {a["email"] for a in data["agents"]} == {ADMIN["email"], AGENT["email"]}
    grace = data["contacts"][0]
    assert grace["email"] == "grace@example.com" and grace["custom_attributes"] == {"plan": "pro"}
    exported = next(c for c in data["conversations"] if c["id"] == conversation["id"])
    assert exported["tags"] == ["vip"] and exported["subject"] == "Order 1042"
    assert "On its way" in [m["body"] for m in data["messages"]]
    lines = [m for m in data["messages"] if m["type"] == "activity"]
    assert lines and all(isinstance(m["activity"], dict) for m in lines)  # an object, not text
    mailbox = next(c for c in data["channels"] if c["type"] == "email")
    assert mailbox["config"]["smtp_password_set"] is True and mailbox["active"] is True
    # No secret of any kind, anywhere in the file.
    with sqlite3.connect(desk_of(admin).settings.db_path) as db:
        secrets = [
            *(r[0] for r in db.execute("SELECT password_hash FROM agents")),
            *(r[0] for r in db.execute("SELECT token_hash FROM sessions")),
            *(s for r in db.execute("SELECT token, signing_secret FROM channels") for s in r),
        ]
    secrets += [SMTP_SECRET, AI_KEY, AGENT["password"], admin.cookies.get(SESSION_COOKIE) or ""]
    assert len(secrets) == 14 and all(len(s) >= 12 for s in secrets)
    for secret in secrets:
        assert secret not in response.text
    columns = set(data["workspace"]) | {k for name in SECTIONS for row in data[name] for k in row}
    assert not [c for c in columns if any(w in c for w in ("password", "token", "secret", "key"))]


def test_an_empty_workspace_exports_as_valid_json(admin: Client) -> None:
    data = admin.get("/api/export/workspace.json").json()
    assert data["contacts"] == [] and data["conversations"] == []


def test_export_refusals(admin: Client, agent: Client) -> None:
    for path in (*EXPORTS, "/api/export/workspace.json"):
        assert_error(agent.get(path), 403)
    assert_error(admin.get("/api/export/everything.zip"), 404)
    assert_error(admin.get("/api/export/conversations.csv", params={"to": "2026-13-01"}), 400, "to")
    admin.cookies.clear()
    for path in (*EXPORTS, "/api/export/workspace.json"):
        assert_error(admin.get(path), 401)


def test_import_over_the_limit_is_413_and_writes_nothing(admin: Client) -> None:
    line = b"Grace Hopper,grace@example.com\n"
    body = b"name,email\n" + line * (50 * 1024 * 1024 // len(line) + 1)
    assert "50 MiB" in assert_error(post_csv(admin, body), 413)["error"]

    def chunked() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for at in range(0, len(body), 1 << 20):
            yield body[at : at + (1 << 20)]

    refused = admin.post(
        "/api/contacts/import",
        params={"dry_run": "false"},
        content=chunked(),
        headers={"Content-Type": "text/csv"},
    )
    assert "50 MiB" in assert_error(refused, 413)["error"]
    assert contacts(admin) == []


def test_a_dry_run_leaves_existing_contacts_as_they_were(admin: Client) -> None:
    post_csv(admin, "name,email,company,plan\nGrace,grace@example.com,Navy,pro\n")
    before = contacts(admin)
    report = post_csv(
        admin, "name,email,company,plan\nGrace B,GRACE@example.com,Yale,free\nAl,al@x.org,,\n",
        dry_run="true",
    ).json()  # fmt: skip
    assert (report["created"], report["updated"], report["dry_run"]) == (1, 1, True)
    assert contacts(admin) == before


def test_import_progress_goes_to_the_importer_only(admin: Client) -> None:
    heard = record_events(admin)
    me = admin.get("/api/auth/me").json()["agent"]["id"]
    rows = "".join(f"Person {i},p{i}@example.com\n" for i in range(2500))
    report = post_csv(admin, "name,email\n" + rows).json()
    assert report["created"] == 2500
    progress = [e for e in heard if e.kind == "import.progress"]
    assert progress and all(e.agent_id == me and e.private for e in progress)
    assert [e.data["done"] for e in progress] == sorted(e.data["done"] for e in progress)
    assert progress[-1].data == {"dry_run": False, "done": 2501, "total": 2501}


def test_every_table_is_exported_or_left_out_on_purpose(admin: Client) -> None:
    with sqlite3.connect(desk_of(admin).settings.db_path) as db:
        tables = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
    virtual = [name for name, sql in tables.items() if sql.startswith("CREATE VIRTUAL")]
    plain = {
        name
        for name in tables
        if name not in virtual
        and not name.startswith("sqlite_")
        and not any(name.startswith(v + "_") for v in virtual)  # FTS5's own tables
    }
    assert plain == set(store_exports.SECTIONS) | set(store_exports.NOT_EXPORTED)
    assert not set(store_exports.SECTIONS) & set(store_exports.NOT_EXPORTED)
