"""The status model (issue 13, item 3): a contact writing to a pending conversation reopens it;
`waiting_since` says how long an open conversation has waited on us (automation replies do
not end the wait, a failed agent reply neither); `sort=waiting_longest` puts the longest wait
first; `counts.open_only` is the "Open" view."""

from __future__ import annotations

from typing import Any

from desk.services import automation_engine, delivery_worker
from tests.conftest import FakeClock
from tests.inbox_helpers import Client, desk_of, get, hook, ids, messages, start


def reply(client: Client, conversation_id: int) -> dict[str, Any]:
    response = client.post(
        f"/api/conversations/{conversation_id}/messages", json={"body": "On it."}
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_a_hook_message_reopens_a_pending_conversation(admin: Client, api: dict[str, Any]) -> None:
    conversation_id = hook(admin, api, "Where is my parcel?", thread_id="t1")["conversation_id"]
    pending = admin.post(f"/api/conversations/{conversation_id}/status", json={"status": "pending"})
    assert pending.json()["status"] == "pending"
    assert admin.get("/api/conversations/counts").json()["open_only"] == 0
    hook(admin, api, "Here is the tracking number you asked for.", thread_id="t1")
    assert get(admin, conversation_id)["status"] == "open"
    assert messages(admin, conversation_id)[-2]["body"] == "Reopened: the contact wrote."
    counts = admin.get("/api/conversations/counts").json()
    assert (counts["open_only"], counts["pending"]) == (1, 0)


def test_waiting_since_is_the_first_unanswered_message(
    admin: Client, api: dict[str, Any], clock: FakeClock
) -> None:
    first = hook(admin, api, "Hello?", thread_id="t1")["conversation_id"]
    since = get(admin, first)["waiting_since"]
    assert since == get(admin, first)["created_at"]
    clock.advance(minutes=5)
    hook(admin, api, "Anyone?", thread_id="t1")
    assert get(admin, first)["waiting_since"] == since  # still the first one
    reply(admin, first)  # phone-less api channel without webhook: queued, then fails
    assert get(admin, first)["waiting_since"] is None
    delivery_worker.run_due(desk_of(admin))
    assert get(admin, first)["waiting_since"] == since  # a failed reply answered nothing
    admin.post(f"/api/conversations/{first}/status", json={"status": "resolved"})
    assert get(admin, first)["waiting_since"] is None  # only while open or pending


def test_an_automation_reply_does_not_end_the_wait(admin: Client, api: dict[str, Any]) -> None:
    automation_engine.engine(desk_of(admin))
    rule = {
        "name": "Thanks",
        "event": "message_received",
        "conditions": [],
        "actions": [{"type": "send_reply", "value": "Thanks, we got it."}],
    }
    assert admin.post("/api/automations", json=rule).status_code == 201
    conversation_id = hook(admin, api, "Hello?")["conversation_id"]
    automation_engine.run_pending(desk_of(admin))
    assert [m["sender"]["type"] for m in messages(admin, conversation_id)][-2:] == [
        "automation",
        "automation",
    ]
    assert get(admin, conversation_id)["waiting_since"] is not None


def test_sort_waiting_longest(
    admin: Client, api: dict[str, Any], phone: dict[str, Any], clock: FakeClock
) -> None:
    oldest = hook(admin, api, "First", email="a@x.example", thread_id="a")["conversation_id"]
    clock.advance(minutes=10)
    answered = hook(admin, api, "Second", email="b@x.example", thread_id="b")["conversation_id"]
    clock.advance(minutes=10)
    newer = hook(admin, api, "Third", email="c@x.example", thread_id="c")["conversation_id"]
    clock.advance(minutes=10)
    logged = start(admin, phone["id"])["id"]  # an agent logged it: nothing incoming waits
    clock.advance(minutes=10)
    hook(admin, api, "First again", email="a@x.example", thread_id="a")  # moves activity only
    reply(admin, answered)
    assert ids(admin, sort="waiting_longest") == [oldest, newer, answered, logged]
    assert ids(admin, sort="waiting_longest", status="open") == [oldest, newer, answered, logged]
