"""Scheduled send: a reply stored now that goes out at its time through the delivery queue."""

from __future__ import annotations

from typing import Any

import pytest

from desk.app import create_app
from desk.config import Settings
from desk.services import delivery_worker, scheduled
from tests.conftest import FakeClock, assert_error, new_client, run_setup
from tests.inbox_helpers import Client, desk_of, get, hook, messages, record_events, start
from tests.webhook_receiver import Receiver

LATER = "2026-11-29T18:00:00Z"  # the FakeClock starts at 2026-11-29T12:00:00Z


def schedule(client: Client, conversation_id: int, **extra: Any) -> dict[str, Any]:
    body = {"body": "Good morning!", "send_at": LATER, **extra}
    response = client.post(f"/api/conversations/{conversation_id}/messages", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def waiting_since(client: Client, conversation_id: int) -> str | None:
    with desk_of(client).db.read() as conn:
        row = conn.execute(
            "SELECT waiting_since FROM conversations WHERE id = ?", (conversation_id,)
        ).fetchone()
    return row[0] if row else None


def test_a_scheduled_reply_waits_then_goes_out_through_the_queue(
    admin: Client, api: dict[str, Any], clock: FakeClock
) -> None:
    receiver = Receiver()
    try:
        patched = admin.patch(
            f"/api/channels/{api['id']}", json={"config": {"webhook_url": receiver.url}}
        )
        assert patched.status_code == 200, patched.text
        conversation_id = hook(admin, api, "Where is my parcel?")["conversation_id"]
        before = get(admin, conversation_id)
        heard = record_events(admin)

        waiting = schedule(admin, conversation_id, send_at="2026-11-29T19:00:00+01:00")
        assert waiting["delivery"] == {"status": "scheduled", "error": None, "dismissed_at": None}
        assert waiting["send_at"] == LATER  # normalised to UTC
        # Not sent, not counted: the conversation still waits on us, its preview unchanged.
        after = get(admin, conversation_id)
        assert after["last_message"] == before["last_message"]
        assert waiting_since(admin, conversation_id) is not None
        assert [m["id"] for m in messages(admin, conversation_id)][-1] == waiting["id"]
        assert [(e.kind, e.private) for e in heard] == [("message.created", True)]
        desk = desk_of(admin)
        assert scheduled.send_due(desk) == 0
        assert delivery_worker.run_due(desk) == 0
        analytics = admin.get("/api/analytics", params={"days": 1}).json()
        assert analytics["totals"]["messages_out"] == 0

        clock.advance(hours=6)  # LATER
        assert scheduled.send_due(desk) == 1
        thread = messages(admin, conversation_id)
        assert waiting["id"] not in [m["id"] for m in thread]
        sent = thread[-1]
        assert sent["type"] == "outgoing" and sent["body"] == "Good morning!"
        assert sent["created_at"] == LATER and sent["send_at"] is None
        assert sent["delivery"]["status"] == "queued"
        assert ("message.deleted", {"id": waiting["id"], "conversation_id": conversation_id}) in [
            (e.kind, e.data) for e in heard
        ]
        assert waiting_since(admin, conversation_id) is None
        receiver.secret = api["config"]["signing_secret"]
        assert delivery_worker.run_due(desk) == 1
        assert [r["json"]["message"]["id"] for r in receiver.requests] == [sent["id"]]
        assert messages(admin, conversation_id)[-1]["delivery"]["status"] == "sent"
        analytics = admin.get("/api/analytics", params={"days": 1}).json()
        assert analytics["totals"]["messages_out"] == 1
        assert scheduled.send_due(desk) == 0  # once
    finally:
        receiver.stop()


def test_a_failed_scheduled_reply_shows_as_failed(
    admin: Client, api: dict[str, Any], clock: FakeClock
) -> None:
    conversation_id = hook(admin, api, "Hello?")["conversation_id"]  # no webhook_url: fails
    schedule(admin, conversation_id)
    clock.advance(hours=7)
    desk = desk_of(admin)
    assert scheduled.send_due(desk) == 1
    delivery_worker.run_due(desk)
    last = messages(admin, conversation_id)[-1]
    assert last["delivery"]["status"] == "failed" and "webhook_url" in last["delivery"]["error"]


def test_it_reopens_a_resolved_conversation_unless_keep_status(
    admin: Client, phone: dict[str, Any], clock: FakeClock
) -> None:
    reopening = start(admin, phone["id"], message="Thanks!")["id"]
    keeping = start(
        admin, phone["id"], message="Bye!", contact={"name": "Al", "email": "al@example.com"}
    )["id"]
    schedule(admin, reopening)
    schedule(admin, keeping, keep_status=True)
    for conversation_id in (reopening, keeping):
        admin.post(f"/api/conversations/{conversation_id}/status", json={"status": "resolved"})
    clock.advance(hours=7)
    assert scheduled.send_due(desk_of(admin)) == 2
    assert get(admin, reopening)["status"] == "open"
    assert get(admin, keeping)["status"] == "resolved"
    assert messages(admin, keeping)[-1]["delivery"]["status"] == "sent"  # phone: sent once stored


def test_scheduled_replies_survive_a_restart(settings: Settings, clock: FakeClock) -> None:
    with new_client(create_app(settings)) as first:
        run_setup(first)
        channel = first.post(
            "/api/channels", json={"name": "P", "type": "phone", "config": {}}
        ).json()
        conversation_id = start(first, channel["id"], message="Call me")["id"]
        waiting = schedule(first, conversation_id)
    with new_client(create_app(settings)) as second:
        second.post(
            "/api/auth/login", json={"email": "ada@example.com", "password": "correct horse"}
        )
        assert messages(second, conversation_id)[-1]["id"] == waiting["id"]
        assert messages(second, conversation_id)[-1]["delivery"]["status"] == "scheduled"
        clock.advance(hours=7)
        assert scheduled.send_due(desk_of(second)) == 1
        assert messages(second, conversation_id)[-1]["delivery"]["status"] == "sent"


def test_edit_and_cancel(admin: Client, phone: dict[str, Any], clock: FakeClock) -> None:
    conversation_id = start(admin, phone["id"], message="Hi")["id"]
    waiting = schedule(admin, conversation_id)
    heard = record_events(admin)
    edited = admin.patch(
        f"/api/messages/{waiting['id']}",
        json={"body": "Good afternoon!", "send_at": "2026-11-29T20:00:00Z"},
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["body"] == "Good afternoon!"
    assert edited.json()["send_at"] == "2026-11-29T20:00:00Z"
    clock.advance(hours=7)  # past the first time, before the new one
    assert scheduled.send_due(desk_of(admin)) == 0
    cancelled = admin.delete(f"/api/messages/{waiting['id']}")
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json() == {"deleted": True, "id": waiting["id"]}
    assert waiting["id"] not in [m["id"] for m in messages(admin, conversation_id)]
    assert [e.kind for e in heard] == ["message.updated", "message.deleted"]
    clock.advance(hours=2)
    assert scheduled.send_due(desk_of(admin)) == 0
    assert admin.delete(f"/api/messages/{waiting['id']}").status_code == 404


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"send_at": "2026-11-29T11:59:00Z"}, "send_at"),  # past
        ({"send_at": "2026-11-29T12:00:00Z"}, "send_at"),  # now
        ({"send_at": "2026-12-29T12:00:01Z"}, "send_at"),  # over 30 days ahead
        ({"send_at": "tomorrow"}, "send_at"),
        ({"send_at": "2026-11-30T09:00:00"}, "send_at"),  # no time zone
        ({"send_at": "x" * 65}, None),
        ({"send_at": 5}, None),
        ({"type": "note"}, "send_at"),
        ({"body": "   "}, "body"),
    ],
)
def test_bad_schedules_are_refused_and_store_nothing(
    admin: Client, phone: dict[str, Any], extra: dict[str, Any], field: str | None
) -> None:
    conversation_id = start(admin, phone["id"], message="Hi")["id"]
    before = messages(admin, conversation_id)
    response = admin.post(
        f"/api/conversations/{conversation_id}/messages",
        json={"body": "Later", "send_at": LATER, **extra},
    )
    assert_error(response, 400, field)
    assert messages(admin, conversation_id) == before


def test_refusals_change_nothing(
    admin: Client, agent: Client, phone: dict[str, Any], clock: FakeClock
) -> None:
    conversation_id = start(admin, phone["id"], message="Hi")["id"]
    admins = schedule(admin, conversation_id)
    sent = admin.post(f"/api/conversations/{conversation_id}/messages", json={"body": "Now"}).json()
    before = messages(admin, conversation_id)

    # Another agent's scheduled reply: neither edited nor cancelled (an admin may, below).
    assert_error(agent.patch(f"/api/messages/{admins['id']}", json={"body": "Mine now"}), 403)
    assert_error(agent.delete(f"/api/messages/{admins['id']}"), 403)
    # A message that is not scheduled.
    assert_error(admin.patch(f"/api/messages/{sent['id']}", json={"body": "Changed"}), 409)
    assert_error(admin.delete(f"/api/messages/{sent['id']}"), 409)
    # Unknown ids, bad bodies.
    assert_error(admin.patch("/api/messages/99999", json={"body": "x"}), 404)
    assert_error(admin.delete("/api/messages/99999"), 404)
    assert_error(
        admin.post("/api/conversations/99999/messages", json={"body": "x", "send_at": LATER}), 404
    )
    assert_error(
        admin.patch(f"/api/messages/{admins['id']}", json={"send_at": "2020-01-01T00:00:00Z"}),
        400,
        "send_at",
    )
    assert_error(admin.patch(f"/api/messages/{admins['id']}", json={"body": ""}), 400, "body")
    assert_error(admin.patch(f"/api/messages/{admins['id']}", json={"colour": "red"}), 400)
    assert messages(admin, conversation_id) == before

    agents = schedule(agent, conversation_id, body="From Sam")
    assert (
        agent.patch(f"/api/messages/{agents['id']}", json={"body": "From Sam, edited"}).status_code
        == 200
    )
    assert admin.delete(f"/api/messages/{agents['id']}").status_code == 200  # an admin may
    admin.cookies.clear()
    assert_error(admin.delete(f"/api/messages/{admins['id']}"), 401)


def test_the_widget_never_sees_a_scheduled_reply(
    admin: Client, api: dict[str, Any], clock: FakeClock
) -> None:
    from desk.store import suggestions as suggestions_store
    from desk.store import visitors as visitors_store

    conversation_id = hook(admin, api, "Hello")["conversation_id"]
    waiting = schedule(admin, conversation_id)
    with desk_of(admin).db.read() as conn:
        shown = visitors_store.visible_messages(conn, conversation_id, after=0, limit=100)
        transcript = suggestions_store.transcript(conn, conversation_id, 10)
    assert waiting["id"] not in [m.id for m in shown]
    assert waiting["id"] not in [line.id for line in transcript]


def test_attachments_move_with_the_reply(
    admin: Client, phone: dict[str, Any], clock: FakeClock
) -> None:
    upload = admin.post("/api/attachments", files={"file": ("a.txt", b"hello", "text/plain")})
    assert upload.status_code == 201, upload.text
    conversation_id = start(admin, phone["id"], message="Hi")["id"]
    waiting = schedule(admin, conversation_id, attachment_ids=[upload.json()["id"]])
    assert [a["id"] for a in waiting["attachments"]] == [upload.json()["id"]]
    clock.advance(hours=7)
    scheduled.send_due(desk_of(admin))
    sent = messages(admin, conversation_id)[-1]
    assert [a["id"] for a in sent["attachments"]] == [upload.json()["id"]]
    assert admin.get(f"/api/attachments/{upload.json()['id']}").content == b"hello"
