"""Dismissing a reply that could not be delivered (POST /api/messages/{id}/dismiss): it stays
`failed` and out of analytics, but its conversation stops counting it and leaves "Failed to
send"; a retry (and a new failure after it) counts again; anything else is refused unchanged."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

from desk.services import delivery_worker
from desk.services.events import Event
from tests.conftest import assert_error
from tests.delivery_helpers import api_channel, desk_of, incoming, reply

Client = TestClient[Litestar]


def conversation(client: Client, conversation_id: int) -> dict[str, Any]:
    return dict(client.get(f"/api/conversations/{conversation_id}").json())


def messages(client: Client, conversation_id: int) -> list[dict[str, Any]]:
    return list(client.get(f"/api/conversations/{conversation_id}/messages").json()["items"])


def failed_ids(client: Client) -> list[int]:
    items = client.get("/api/conversations", params={"failed": "true", "status": "all"})
    return [c["id"] for c in items.json()["items"]]


def failed_reply(app: Litestar, admin: Client) -> tuple[int, dict[str, Any]]:
    channel = api_channel(admin)  # no webhook_url: every reply fails at once
    conversation_id = incoming(admin, channel)
    sent = reply(admin, conversation_id)
    delivery_worker.run_due(desk_of(app))
    assert conversation(admin, conversation_id)["failed_count"] == 1
    return conversation_id, sent


def test_a_dismissed_failure_leaves_the_failed_view_but_stays_failed(
    app: Litestar, admin: Client, agent: Client
) -> None:
    conversation_id, sent = failed_reply(app, admin)
    heard: list[Event] = []
    desk_of(app).events.add_listener(heard.append)

    response = agent.post(f"/api/messages/{sent['id']}/dismiss")  # any agent may
    assert response.status_code == 200, response.text
    delivery = response.json()["delivery"]
    assert delivery["status"] == "failed" and delivery["error"]
    assert delivery["dismissed_at"] is not None

    assert conversation(admin, conversation_id)["failed_count"] == 0
    assert admin.get("/api/conversations/counts").json()["failed"] == 0
    assert failed_ids(admin) == []
    last = messages(admin, conversation_id)[-1]
    assert last["type"] == "activity"
    assert last["body"] == "Sam Agent dismissed a reply that could not be delivered."
    kinds = [e.kind for e in heard]
    assert kinds == ["message.updated", "conversation.updated", "message.created"]
    data = admin.get("/api/analytics", params={"days": 7}).json()
    assert data["totals"]["messages_out"] == 0  # it never went out

    # Again: nothing changes, nothing is said.
    heard.clear()
    again = admin.post(f"/api/messages/{sent['id']}/dismiss")
    assert again.status_code == 200 and again.json() == response.json()
    assert heard == [] and len(messages(admin, conversation_id)) == 3


def test_a_retry_after_a_dismissal_counts_a_new_failure_again(app: Litestar, admin: Client) -> None:
    conversation_id, sent = failed_reply(app, admin)
    admin.post(f"/api/messages/{sent['id']}/dismiss")
    retried = admin.post(f"/api/messages/{sent['id']}/retry")
    assert retried.status_code == 200, retried.text
    assert retried.json()["delivery"] == {"status": "queued", "error": None, "dismissed_at": None}
    delivery_worker.run_due(desk_of(app))  # fails again
    assert conversation(admin, conversation_id)["failed_count"] == 1
    assert failed_ids(admin) == [conversation_id]


def test_only_a_failed_reply_can_be_dismissed(app: Litestar, admin: Client) -> None:
    channel = api_channel(admin)
    conversation_id = incoming(admin, channel)
    queued = reply(admin, conversation_id)
    note = admin.post(
        f"/api/conversations/{conversation_id}/messages", json={"body": "n", "type": "note"}
    ).json()
    incoming_id = messages(admin, conversation_id)[0]["id"]
    before = messages(admin, conversation_id)
    for message_id in (queued["id"], note["id"], incoming_id):
        assert_error(admin.post(f"/api/messages/{message_id}/dismiss"), 409)
    assert messages(admin, conversation_id) == before
    assert_error(admin.post("/api/messages/99999/dismiss"), 404)
    assert_error(admin.post(f"/api/messages/{queued['id']}/dismiss", json={"x": 1}), 400)


def test_dismissing_needs_a_session(app: Litestar, admin: Client, client: Client) -> None:
    _, sent = failed_reply(app, admin)
    admin.post("/api/auth/logout")
    assert_error(client.post(f"/api/messages/{sent['id']}/dismiss"), 401)


def test_a_merge_carries_only_undismissed_failures(app: Litestar, admin: Client) -> None:
    channel = api_channel(admin)
    first = incoming(admin, channel, thread_id="order-1")
    second = incoming(admin, channel, thread_id="order-2")
    dismissed, kept = reply(admin, first), reply(admin, second)
    delivery_worker.run_due(desk_of(app))
    admin.post(f"/api/messages/{dismissed['id']}/dismiss")
    merged = admin.post(f"/api/conversations/{first}/merge", json={"into": second})
    assert merged.status_code == 200, merged.text
    assert merged.json()["failed_count"] == 1
    admin.post(f"/api/messages/{kept['id']}/dismiss")
    assert conversation(admin, second)["failed_count"] == 0
