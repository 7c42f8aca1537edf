"""Collision hints: presence (who has a conversation open, who is typing; announced on the
stream, kept in memory, ending as `left` when not refreshed) and the reply guard
(`after_message_id`: a reply written meanwhile → 409 with `newer`, nothing written)."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar

from desk.services import presence
from tests.conftest import FakeClock, assert_error, new_client
from tests.inbox_helpers import (
    Client,
    desk_of,
    get,
    hook,
    messages,
    record_events,
    start,
)

SAM = {"id": 2, "name": "Sam Agent"}  # the `agent` fixture: the second agent made


def say(client: Client, conversation_id: int, state: Any) -> Any:
    return client.post(f"/api/conversations/{conversation_id}/presence", json={"state": state})


def present(client: Client, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/api/presence", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["items"])
    return list(body["items"])


def presence_events(heard: list[Any]) -> list[tuple[Any, bool]]:
    return [(e.data, e.private) for e in heard if e.kind == "presence"]


def as_json(presences: list[tuple[Any, bool]]) -> list[tuple[dict[str, Any], bool]]:
    return [
        (
            {
                "conversation_id": p.conversation_id,
                "agent": {"id": p.agent.id, "name": p.agent.name},
                "state": p.state,
            },
            private,
        )
        for p, private in presences
    ]


def test_viewing_typing_and_leaving_reach_every_agent_and_the_list(
    admin: Client, agent: Client, phone: dict[str, Any]
) -> None:
    conversation = start(admin, phone["id"], message="Where is my parcel?")["id"]
    other = start(admin, phone["id"], message="Another question")["id"]
    heard = record_events(admin)
    assert present(admin) == []

    response = say(agent, conversation, "viewing")
    assert response.status_code == 200, response.text
    viewing = {"conversation_id": conversation, "agent": SAM, "state": "viewing"}
    assert response.json() == viewing
    assert present(admin) == [viewing]
    assert present(admin, conversation_id=other) == []

    typing = {**viewing, "state": "typing"}
    assert say(agent, conversation, "typing").json() == typing
    assert present(admin, conversation_id=conversation) == [typing]  # one entry per agent

    assert say(agent, conversation, "left").json() == {**viewing, "state": "left"}
    assert present(admin) == []
    # Each change went to the stream, for agents only (never a web-chat visitor).
    assert as_json(presence_events(heard)) == [
        (viewing, True),
        (typing, True),
        ({**viewing, "state": "left"}, True),
    ]
    # Never stored: nothing about it in the conversation or its messages.
    assert [m["type"] for m in messages(admin, conversation)] == ["incoming"]


def test_presence_not_refreshed_for_30_seconds_ends_as_left(
    admin: Client, agent: Client, phone: dict[str, Any], clock: FakeClock
) -> None:
    conversation = start(admin, phone["id"])["id"]
    assert say(agent, conversation, "viewing").status_code == 200
    assert say(admin, conversation, "typing").status_code == 200
    heard = record_events(admin)
    desk = desk_of(admin)

    clock.advance(seconds=20)
    assert say(admin, conversation, "typing").status_code == 200  # Ada refreshes, Sam does not
    clock.advance(seconds=9)
    assert presence.expire(desk) == 0  # 29 s: Sam is still there
    assert {p["agent"]["name"] for p in present(admin)} == {"Ada Admin", "Sam Agent"}

    clock.advance(seconds=1)  # 30 s since Sam said anything
    assert presence.expire(desk) == 1
    assert [p["agent"]["name"] for p in present(admin)] == ["Ada Admin"]
    left = [p for p, _ in presence_events(heard) if p.state == "left"]
    assert [(p.conversation_id, p.agent.id) for p in left] == [(conversation, SAM["id"])]

    clock.advance(seconds=30)  # reading the list ends what expired too
    assert present(admin) == []
    assert presence.expire(desk) == 0  # announced once only


def test_presence_events_are_not_replayed_from_the_backlog(
    admin: Client, agent: Client, phone: dict[str, Any]
) -> None:
    import asyncio

    conversation = start(admin, phone["id"])["id"]
    desk = desk_of(admin)
    before = desk.events.last_id
    assert say(agent, conversation, "viewing").status_code == 200
    assert admin.post(f"/api/conversations/{conversation}/tags", json={"tag": "vip"}).is_success

    async def replayed() -> list[str]:
        subscription = desk.events.subscribe(last_event_id=before)
        kinds = []
        while not subscription.queue.empty():
            kinds.append((await subscription.next()).kind)
        subscription.close()
        return kinds

    kinds = asyncio.run(replayed())
    assert "conversation.updated" in kinds and "presence" not in kinds


@pytest.mark.parametrize(
    "body",
    [
        {"state": "away"},
        {"state": 1},
        {"state": None},
        {},
        {"state": "viewing", "extra": True},
        [],
        "viewing",
    ],
)
def test_a_bad_presence_body_is_a_400_and_changes_nothing(
    admin: Client, agent: Client, phone: dict[str, Any], body: Any
) -> None:
    conversation = start(admin, phone["id"])["id"]
    heard = record_events(admin)
    response = agent.post(f"/api/conversations/{conversation}/presence", json=body)
    assert_error(response, 400)
    assert present(admin) == [] and presence_events(heard) == []


def test_presence_refusals_401_403_404(
    app: Litestar, admin: Client, agent: Client, phone: dict[str, Any]
) -> None:
    conversation = start(admin, phone["id"])["id"]
    heard = record_events(admin)
    signed_out = new_client(app)
    assert_error(say(signed_out, conversation, "viewing"), 401)
    assert_error(signed_out.get("/api/presence"), 401)
    cross_site = agent.post(
        f"/api/conversations/{conversation}/presence",
        json={"state": "viewing"},
        headers={"Origin": "http://evil.example"},
    )
    assert_error(cross_site, 403)
    assert_error(say(agent, 999_999, "viewing"), 404)
    assert_error(admin.get("/api/presence", params={"conversation_id": 999_999}), 404)
    assert_error(admin.get("/api/presence", params={"conversation_id": "x"}), 400)
    assert_error(admin.get("/api/presence", params={"per_page": 101}), 400)
    # Not JSON at all.
    raw = agent.post(
        f"/api/conversations/{conversation}/presence",
        content=b"state=viewing",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert_error(raw, 400)
    assert present(admin) == [] and presence_events(heard) == []


# --- the reply guard -------------------------------------------------------------------------


def reply(client: Client, conversation_id: int, **body: Any) -> Any:
    return client.post(
        f"/api/conversations/{conversation_id}/messages", json={"body": "Hello", **body}
    )


def test_a_reply_after_a_teammates_reply_is_a_409_naming_it_and_writes_nothing(
    admin: Client, agent: Client, phone: dict[str, Any]
) -> None:
    conversation = start(admin, phone["id"], message="Where is my parcel?")
    seen = conversation["last_message"]["id"]  # what Ada had on screen when she opened it
    sams = reply(agent, conversation["id"], body="It left today, Grace.")
    assert sams.status_code == 201, sams.text
    before = messages(admin, conversation["id"])
    state = get(admin, conversation["id"])
    heard = record_events(admin)

    response = reply(admin, conversation["id"], body="Let me check.", after_message_id=seen)
    assert response.status_code == 409, response.text
    body = response.json()
    assert set(body) == {"error", "code", "newer"}
    assert body["code"] == "reply_collision" and "Sam Agent" in body["error"]
    assert body["newer"] == [sams.json()]  # the Message, exactly as the API returns it
    # Nothing written, nothing announced.
    assert messages(admin, conversation["id"]) == before
    assert get(admin, conversation["id"]) == state
    assert heard == []
    # A note is guarded the same way; a scheduled reply too.
    note = reply(admin, conversation["id"], type="note", after_message_id=seen)
    assert note.status_code == 409
    later = reply(admin, conversation["id"], send_at="2026-11-29T18:00:00Z", after_message_id=seen)
    assert later.status_code == 409 and later.json()["newer"] == [sams.json()]
    assert messages(admin, conversation["id"]) == before

    # "Send anyway": guarded by the newest message now seen, it goes.
    anyway = reply(admin, conversation["id"], after_message_id=sams.json()["id"])
    assert anyway.status_code == 201, anyway.text
    assert messages(admin, conversation["id"])[-1]["id"] == anyway.json()["id"]
    # Without the guard, as before.
    assert reply(admin, conversation["id"]).status_code == 201


def test_only_replies_trip_the_guard_not_notes_incoming_or_waiting_scheduled_ones(
    admin: Client, agent: Client, api: dict[str, Any]
) -> None:
    first = hook(admin, api, "Where is my parcel?")
    conversation, seen = first["conversation_id"], first["message_id"]
    assert reply(agent, conversation, type="note", body="I'll take this").status_code == 201
    hook(admin, api, "Hello? Anyone?")  # the customer again
    waiting = reply(agent, conversation, send_at="2026-11-29T18:00:00Z")
    assert waiting.status_code == 201  # scheduled, not gone yet
    assert admin.post(f"/api/conversations/{conversation}/tags", json={"tag": "vip"}).is_success
    sent = reply(admin, conversation, body="On its way!", after_message_id=seen)
    assert sent.status_code == 201, sent.text
    # And now that a reply exists after `seen`, the next guarded one is refused.
    again = reply(agent, conversation, after_message_id=seen)
    assert again.status_code == 409
    assert [m["id"] for m in again.json()["newer"]] == [sent.json()["id"]]


def test_after_message_id_refusals(admin: Client, phone: dict[str, Any]) -> None:
    conversation = start(admin, phone["id"], message="Hi")
    elsewhere = start(admin, phone["id"], message="Other")
    before = messages(admin, conversation["id"])
    unknown = reply(admin, conversation["id"], after_message_id=999_999)
    assert_error(unknown, 404, field="after_message_id")
    foreign = reply(admin, conversation["id"], after_message_id=elsewhere["last_message"]["id"])
    assert_error(foreign, 400, field="after_message_id")
    for bad in ("x", 0, -1, 1.5, True, [1]):
        assert_error(reply(admin, conversation["id"], after_message_id=bad), 400)
    assert messages(admin, conversation["id"]) == before
    # A null guard is no guard.
    assert reply(admin, conversation["id"], after_message_id=None).status_code == 201
