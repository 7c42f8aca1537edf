"""Failed replies cannot hide (issue 13, item 1): a reply that ends `failed` reopens its
resolved conversation, which carries `failed_count` and shows in the `failed` filter and count;
analytics does not count it (first response included); a retry takes all of that back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlite_utils
from litestar import Litestar
from litestar.testing import TestClient

from desk.services import delivery_worker
from desk.services.events import Event
from desk.store.db import Database
from desk.store.migrations import MIGRATIONS, migrate
from tests.conftest import assert_error
from tests.delivery_helpers import api_channel, desk_of, incoming, reply
from tests.webhook_receiver import Receiver

Client = TestClient[Litestar]


def conversation(client: Client, conversation_id: int) -> dict[str, Any]:
    return dict(client.get(f"/api/conversations/{conversation_id}").json())


def listed(client: Client, **params: str) -> list[int]:
    response = client.get("/api/conversations", params=params)
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()["items"]]


def test_send_and_resolve_then_the_reply_fails_reopens_and_marks_it(
    app: Litestar, admin: Client
) -> None:
    channel = api_channel(admin)
    failing = incoming(admin, channel)
    quiet = incoming(admin, channel, email="ada@example.com")
    sent = reply(admin, failing)
    resolved = admin.post(f"/api/conversations/{failing}/status", json={"status": "resolved"})
    assert resolved.json()["status"] == "resolved"
    assert resolved.json()["failed_count"] == 0
    heard: list[Event] = []
    desk_of(app).events.add_listener(heard.append)

    assert delivery_worker.run_due(desk_of(app)) == 1

    now = conversation(admin, failing)
    assert now["status"] == "open"
    assert now["failed_count"] == 1
    messages = admin.get(f"/api/conversations/{failing}/messages").json()["items"]
    assert messages[-1]["type"] == "activity"
    assert messages[-1]["body"] == "Reopened: a reply could not be delivered."
    assert next(m for m in messages if m["id"] == sent["id"])["delivery"]["status"] == "failed"
    kinds = [e.kind for e in heard]
    assert kinds[0] == "message.updated"
    assert "conversation.updated" in kinds
    update = next(e for e in heard if e.kind == "conversation.updated")
    assert (update.data.status, update.data.failed_count) == ("open", 1)

    assert admin.get("/api/conversations/counts").json()["failed"] == 1
    assert listed(admin, failed="true", status="all") == [failing]
    assert listed(admin, failed="true") == [failing]
    assert listed(admin, failed="false") == [quiet]
    assert conversation(admin, quiet)["failed_count"] == 0


def test_a_failure_in_an_open_conversation_still_tells_everyone(
    app: Litestar, admin: Client
) -> None:
    channel = api_channel(admin)
    conversation_id = incoming(admin, channel)
    reply(admin, conversation_id)
    heard: list[Event] = []
    desk_of(app).events.add_listener(heard.append)
    delivery_worker.run_due(desk_of(app))
    updates = [e.data for e in heard if e.kind == "conversation.updated"]
    assert [(c.status, c.failed_count) for c in updates] == [("open", 1)]
    messages = admin.get(f"/api/conversations/{conversation_id}/messages").json()["items"]
    assert [m["type"] for m in messages] == ["incoming", "outgoing"]  # nothing to reopen


def test_retry_clears_the_mark_and_a_second_failure_counts_once(
    app: Litestar, admin: Client, receiver: Receiver
) -> None:
    channel = api_channel(admin)
    conversation_id = incoming(admin, channel)
    sent = reply(admin, conversation_id)
    delivery_worker.run_due(desk_of(app))
    assert conversation(admin, conversation_id)["failed_count"] == 1

    heard: list[Event] = []
    desk_of(app).events.add_listener(heard.append)
    assert admin.post(f"/api/messages/{sent['id']}/retry").status_code == 200
    assert conversation(admin, conversation_id)["failed_count"] == 0
    assert admin.get("/api/conversations/counts").json()["failed"] == 0
    assert [c.failed_count for c in (e.data for e in heard) if hasattr(c, "failed_count")] == [0]
    delivery_worker.run_due(desk_of(app))  # still no webhook_url: fails again
    assert conversation(admin, conversation_id)["failed_count"] == 1

    patched = admin.patch(
        f"/api/channels/{channel['id']}", json={"config": {"webhook_url": receiver.url}}
    )
    assert patched.status_code == 200, patched.text
    receiver.secret = channel["config"]["signing_secret"]
    admin.post(f"/api/messages/{sent['id']}/retry")
    delivery_worker.run_due(desk_of(app))
    assert conversation(admin, conversation_id)["failed_count"] == 0
    assert listed(admin, failed="true", status="all") == []


def test_analytics_counts_only_replies_that_went_out(
    app: Litestar, admin: Client, receiver: Receiver
) -> None:
    channel = api_channel(admin)
    conversation_id = incoming(admin, channel)
    sent = reply(admin, conversation_id)

    def figures() -> tuple[int, int, int]:
        data = admin.get("/api/analytics", params={"days": 7}).json()
        replies = sum(row["replies"] for row in data["by_agent"])
        return data["totals"]["messages_out"], data["first_response_seconds"]["count"], replies

    assert figures() == (1, 1, 1)  # queued: counted as sent until it fails
    delivery_worker.run_due(desk_of(app))
    assert figures() == (0, 0, 0)

    admin.patch(f"/api/channels/{channel['id']}", json={"config": {"webhook_url": receiver.url}})
    receiver.secret = channel["config"]["signing_secret"]
    admin.post(f"/api/messages/{sent['id']}/retry")
    assert figures() == (1, 1, 1)
    delivery_worker.run_due(desk_of(app))
    assert figures() == (1, 1, 1)


def test_the_failed_filter_refuses_what_is_not_a_boolean(admin: Client) -> None:
    assert_error(admin.get("/api/conversations", params={"failed": "maybe"}), 400, "failed")


def test_the_failed_view_reads_its_partial_index(app: Litestar, admin: Client) -> None:
    from desk.models.conversations import Filters
    from desk.store import inbox

    with desk_of(app).db.read() as conn:
        plan = inbox.explain_list(conn, Filters(statuses=None, failed=True))
    assert any("conversations_failed" in step for step in plan), plan


def test_the_migration_counts_failures_already_stored(tmp_path: Path) -> None:
    db = Database(tmp_path / "desk.db")
    before = MIGRATIONS.index(next(m for m in MIGRATIONS if "failed_replies" in m.__module__))
    migrate(db, MIGRATIONS[:before])
    t = "2026-01-05T10:00:00Z"
    with db.write() as conn:
        utils = sqlite_utils.Database(conn, use_counts_table=False)
        utils.execute(
            "INSERT INTO channels (id, name, type, token, signing_secret, created_at, updated_at)"
            " VALUES (1, 'CRM', 'api', 't', 's', ?, ?)",
            [t, t],
        )
        utils.execute(
            "INSERT INTO contacts (id, name, created_at, updated_at) VALUES (1, 'G', ?, ?)", [t, t]
        )
        utils.execute(
            "INSERT INTO conversations (id, channel_id, contact_id, created_at, updated_at,"
            " last_activity_at, first_incoming_at, first_reply_at, waiting_since)"
            " VALUES (1, 1, 1, ?, ?, ?, ?, '2026-01-05T10:05:00Z', NULL)",
            [t, t, t, t],
        )
        for type_, sender, status, at in [
            ("incoming", "contact", None, t),
            ("outgoing", "agent", "failed", "2026-01-05T10:05:00Z"),
        ]:
            utils.execute(
                "INSERT INTO messages (conversation_id, type, body, sender_type, sender_id,"
                " delivery_status, created_at) VALUES (1, ?, 'x', ?, 1, ?, ?)",
                [type_, sender, status, at],
            )
    migrate(db)
    with db.read() as conn:
        row = conn.execute(
            "SELECT failed_count, first_reply_at, waiting_since FROM conversations"
        ).fetchone()
        outgoing = conn.execute("SELECT sum(n) FROM message_counts WHERE type = 'outgoing'")
        replies = conn.execute("SELECT sum(n) FROM agent_replies").fetchone()[0]
        assert tuple(row) == (1, None, t)
        assert (outgoing.fetchone()[0], replies) == (0, 0)
    db.close()
