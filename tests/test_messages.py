"""Messages through the API: reading a thread, replies and notes, and what they do to it."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from tests.conftest import FakeClock
from tests.inbox_helpers import Client, desk_of, get, hook, make_channel, messages, record_events
from tests.inbox_helpers import start as start_conversation


@pytest.fixture
def phone(admin: Client) -> dict[str, Any]:
    return make_channel(admin, "phone")


@pytest.fixture
def conversation(admin: Client, phone: dict[str, Any]) -> dict[str, Any]:
    return start_conversation(admin, phone["id"], message="Hello, my order never arrived")


def post(client: Client, conversation_id: int, **body: Any) -> Any:
    return client.post(f"/api/conversations/{conversation_id}/messages", json=body)


def test_messages_list_oldest_first_or_newest_first_with_pages(
    admin: Client, conversation: dict[str, Any], clock: FakeClock
) -> None:
    conversation_id = conversation["id"]
    for n in range(4):
        clock.advance(minutes=1)
        assert post(admin, conversation_id, body=f"reply {n}").status_code == 201
    bodies = [m["body"] for m in messages(admin, conversation_id)]
    assert bodies == ["Hello, my order never arrived", *[f"reply {n}" for n in range(4)]]
    newest = messages(admin, conversation_id, order="desc", per_page=2)
    assert [m["body"] for m in newest] == ["reply 3", "reply 2"]
    page = admin.get(
        f"/api/conversations/{conversation_id}/messages", params={"per_page": 2, "page": 3}
    ).json()
    assert (page["total"], [m["body"] for m in page["items"]]) == (5, ["reply 3"])
    assert messages(admin, conversation_id, page=4, per_page=2) == []
    assert messages(admin, conversation_id, page=10**20) == []  # no offset too big for SQLite


@pytest.mark.parametrize(
    "params", [{"per_page": 101}, {"per_page": 0}, {"page": 0}, {"order": "sideways"}]
)
def test_bad_list_parameters_are_400(
    admin: Client, conversation: dict[str, Any], params: dict[str, Any]
) -> None:
    response = admin.get(f"/api/conversations/{conversation['id']}/messages", params=params)
    assert response.status_code == 400


def test_unknown_conversation_is_404_and_no_session_is_401(admin: Client, client: Client) -> None:
    assert admin.get("/api/conversations/999/messages").status_code == 404
    assert post(admin, 999, body="hi", bogus=True).status_code == 404
    admin.post("/api/auth/logout")
    assert client.get("/api/conversations/1/messages").status_code == 401
    assert post(client, 1, body="hi").status_code == 401


def test_a_reply_is_an_outgoing_message_from_the_agent_and_updates_the_conversation(
    admin: Client, conversation: dict[str, Any], clock: FakeClock
) -> None:
    clock.advance(minutes=5)
    heard = record_events(admin)
    response = post(admin, conversation["id"], body="  We're on it.  ")
    assert response.status_code == 201
    reply = response.json()
    assert reply["body"] == "We're on it."
    assert (reply["type"], reply["conversation_id"]) == ("outgoing", conversation["id"])
    assert reply["sender"] == {"type": "agent", "id": 1, "name": "Ada Admin"}
    assert reply["delivery"] == {
        "status": "sent",
        "error": None,
        "dismissed_at": None,
    }  # phone: said on the phone
    assert reply["created_at"] == "2026-11-29T12:05:00Z"
    updated = get(admin, conversation["id"])
    assert updated["last_message"] == {
        "id": reply["id"],
        "type": "outgoing",
        "preview": "We're on it.",
        "created_at": "2026-11-29T12:05:00Z",
    }
    assert updated["last_activity_at"] == "2026-11-29T12:05:00Z"
    assert [(e.kind, e.private) for e in heard] == [
        ("conversation.updated", False),
        ("message.created", False),
    ]
    assert msgspec.to_builtins(heard[1].data) == reply  # the object exactly as the API shows it
    assert msgspec.to_builtins(heard[0].data) == updated


def test_an_api_channel_reply_is_queued_for_delivery(admin: Client) -> None:
    api = make_channel(admin, "api")
    conversation_id = hook(admin, api, "Where is my parcel?")["conversation_id"]
    reply = post(admin, conversation_id, body="It left today").json()
    assert reply["delivery"] == {
        "status": "queued",
        "error": None,
        "dismissed_at": None,
    }  # the worker is off here
    with desk_of(admin).db.read() as conn:
        queued = conn.execute("SELECT count(*) FROM outbox WHERE message_id = ?", (reply["id"],))
        assert queued.fetchone()[0] == 1


def test_a_note_is_private_and_never_delivered(admin: Client, conversation: dict[str, Any]) -> None:
    heard = record_events(admin)
    note = post(admin, conversation["id"], body="Customer called twice", type="note").json()
    assert note["type"] == "note" and note["delivery"] == {
        "status": None,
        "error": None,
        "dismissed_at": None,
    }
    assert [(e.kind, e.private) for e in heard][-1] == ("message.created", True)
    with desk_of(admin).db.read() as conn:
        assert conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "   \n "}, "body"),
        ({"body": "x" * 20_001}, "body"),
        ({"body": "hi", "type": "activity"}, None),
        ({"body": "hi", "type": "incoming"}, None),
        ({"body": 5}, None),
        ({"body": "hi", "colour": "red"}, None),
        ({}, None),
    ],
)
def test_bad_messages_are_400(
    admin: Client, conversation: dict[str, Any], body: dict[str, Any], field: str | None
) -> None:
    response = post(admin, conversation["id"], **body)
    assert response.status_code == 400, response.text
    if field:
        assert response.json()["field"] == field
    assert len(messages(admin, conversation["id"])) == 1


def test_the_longest_body_is_accepted(admin: Client, conversation: dict[str, Any]) -> None:
    assert post(admin, conversation["id"], body="x" * 20_000 + "   ").status_code == 201
    preview = get(admin, conversation["id"])["last_message"]["preview"]
    assert preview == "x" * 140


def test_replying_to_a_resolved_conversation_reopens_it_unless_asked_not_to(
    admin: Client, conversation: dict[str, Any]
) -> None:
    conversation_id = conversation["id"]
    resolve = {"status": "resolved"}
    admin.post(f"/api/conversations/{conversation_id}/status", json=resolve)
    post(admin, conversation_id, body="One more thing", keep_status=True)
    assert get(admin, conversation_id)["status"] == "resolved"
    post(admin, conversation_id, body="A note", type="note")
    assert get(admin, conversation_id)["status"] == "resolved"
    post(admin, conversation_id, body="Following up")
    assert get(admin, conversation_id)["status"] == "open"
    bodies = [m["body"] for m in messages(admin, conversation_id, order="desc", per_page=2)]
    assert bodies == ["Following up", "Ada Admin reopened this by replying"]


def test_bookkeeping_for_replies_waiting_and_search_follows_the_schema_rules(
    admin: Client, clock: FakeClock
) -> None:
    """The denormalised columns m002 documents (analytics and the demo data rely on them)."""
    api = make_channel(admin, "api")
    conversation_id = hook(admin, api, "First question")["conversation_id"]
    clock.advance(minutes=10)
    hook(admin, api, "Second question")
    clock.advance(minutes=5)
    post(admin, conversation_id, body="A note", type="note")
    admin.post(f"/api/conversations/{conversation_id}/tags", json={"tag": "x"})

    def row() -> Any:
        with desk_of(admin).db.read() as conn:
            return conn.execute(
                "SELECT c.first_incoming_at, c.first_reply_at, c.waiting_since, c.resolved_at,"
                " c.last_message_type, s.bodies FROM conversations c"
                " JOIN search_index s ON s.rowid = c.id WHERE c.id = ?",
                (conversation_id,),
            ).fetchone()

    first = row()
    assert first["first_incoming_at"] == "2026-11-29T12:00:00Z"
    assert first["waiting_since"] == "2026-11-29T12:10:00Z"  # the latest unanswered one
    assert first["first_reply_at"] is None  # a note is no reply
    assert first["last_message_type"] == "note"  # activity lines are not the last message
    assert first["bodies"] == "First question\nSecond question\nA note"
    clock.advance(minutes=5)
    post(admin, conversation_id, body="The answer")
    admin.post(f"/api/conversations/{conversation_id}/status", json={"status": "resolved"})
    answered = row()
    assert answered["first_reply_at"] == "2026-11-29T12:20:00Z"
    assert answered["waiting_since"] is None
    assert answered["resolved_at"] == "2026-11-29T12:20:00Z"
