"""The delivery queue: replies in `api` channels go out as signed webhooks to a REAL HTTP
receiver on 127.0.0.1, are retried with backoff while it is down, fail visibly after the last
attempt, can be retried by hand, and survive a restart of the app."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from desk.app import create_app
from desk.config import Settings
from desk.services import delivery_worker
from desk.services.desk import Desk
from desk.services.events import Event
from tests.conftest import FakeClock, new_client, run_setup
from tests.delivery_helpers import api_channel, desk_of, incoming, reply
from tests.servers import start_desk
from tests.webhook_receiver import Receiver

Client = TestClient[Litestar]


def message(client: Client, conversation_id: int, message_id: int) -> dict[str, Any]:
    items = client.get(
        f"/api/conversations/{conversation_id}/messages", params={"per_page": 100}
    ).json()["items"]
    return next(m for m in items if m["id"] == message_id)


def test_reply_is_posted_signed_to_the_webhook(
    app: Litestar, admin: Client, receiver: Receiver
) -> None:
    channel = api_channel(admin, receiver.url)
    receiver.secret = channel["config"]["signing_secret"]
    conversation_id = incoming(admin, channel, thread_id="order-1042")
    heard: list[Event] = []
    desk_of(app).events.add_listener(heard.append)

    sent = reply(admin, conversation_id)
    assert sent["delivery"] == {"status": "queued", "error": None, "dismissed_at": None}
    assert receiver.requests == []  # never from the request itself

    assert delivery_worker.run_due(desk_of(app)) == 1
    assert receiver.bad_signatures == 0
    [request] = receiver.requests
    payload = request["json"]
    assert payload["event"] == "message.created"
    assert payload["message"]["id"] == sent["id"]
    assert payload["message"]["body"] == "On its way!"
    assert payload["message"]["sender"]["name"] == "Ada Admin"
    assert payload["conversation"] == {
        "id": conversation_id,
        "subject": payload["conversation"]["subject"],
        "thread_id": "order-1042",
    }
    assert payload["contact"]["email"] == "grace@example.com"
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["headers"]["X-Desk-Message-Id"] == str(sent["id"])
    assert message(admin, conversation_id, sent["id"])["delivery"] == {
        "status": "sent",
        "error": None,
        "dismissed_at": None,
    }
    updates = [e for e in heard if e.kind == "message.updated"]
    assert [e.data.delivery.status for e in updates] == ["sent"]
    assert delivery_worker.run_due(desk_of(app)) == 0  # nothing left: sent once


def test_a_wrong_secret_is_refused_by_the_receiver(
    app: Litestar, admin: Client, receiver: Receiver
) -> None:
    channel = api_channel(admin, receiver.url)
    receiver.secret = "not-the-channel-secret"
    sent = reply(admin, incoming(admin, channel))
    delivery_worker.run_due(desk_of(app))
    assert receiver.bad_signatures == 1  # the receiver really checks
    assert message(admin, sent["conversation_id"], sent["id"])["delivery"]["status"] == "queued"


def test_receiver_down_then_back(
    app: Litestar, admin: Client, clock: FakeClock, receiver: Receiver
) -> None:
    port = receiver.port
    receiver.stop()  # nothing listens there now: connection refused
    channel = api_channel(admin, f"http://127.0.0.1:{port}/desk-hook")
    sent = reply(admin, incoming(admin, channel))
    desk = desk_of(app)

    assert delivery_worker.run_due(desk) == 1
    state = message(admin, sent["conversation_id"], sent["id"])["delivery"]
    assert state["status"] == "queued"
    assert "connection refused" in state["error"]
    assert delivery_worker.run_due(desk) == 0  # backing off: not due yet
    clock.advance(seconds=5)
    assert delivery_worker.run_due(desk) == 1  # second attempt, still down
    clock.advance(seconds=9)
    assert delivery_worker.run_due(desk) == 0  # the next wait is 10 s
    assert "attempt 3" in message(admin, sent["conversation_id"], sent["id"])["delivery"]["error"]

    back = Receiver(port)
    try:
        back.secret = channel["config"]["signing_secret"]
        clock.advance(seconds=1)
        assert delivery_worker.run_due(desk) == 1
        assert len(back.requests) == 1 and back.bad_signatures == 0
    finally:
        back.stop()
    assert message(admin, sent["conversation_id"], sent["id"])["delivery"] == {
        "status": "sent",
        "error": None,
        "dismissed_at": None,
    }


def test_a_failing_receiver_neither_holds_up_other_channels_nor_gets_hammered(
    app: Litestar, admin: Client, clock: FakeClock, receiver: Receiver
) -> None:
    healthy = Receiver()
    try:
        broken_channel = api_channel(admin, receiver.url)
        receiver.secret = broken_channel["config"]["signing_secret"]
        receiver.status = 500
        good = admin.post(
            "/api/channels",
            json={"name": "ERP", "type": "api", "config": {"webhook_url": healthy.url}},
        ).json()
        healthy.secret = good["config"]["signing_secret"]
        conversation_id = incoming(admin, broken_channel)
        first, second = reply(admin, conversation_id, "one"), reply(admin, conversation_id, "two")
        other = reply(admin, incoming(admin, good))
        desk = desk_of(app)

        assert delivery_worker.run_due(desk) == 3
        assert [r["json"]["message"]["id"] for r in healthy.requests] == [other["id"]]
        assert len(receiver.requests) == 1  # the second waits behind the first
        waiting = message(admin, conversation_id, second["id"])["delivery"]
        assert waiting["status"] == "queued" and waiting["error"].startswith("Waiting to retry")

        receiver.status = 200
        receiver.requests.clear()
        assert delivery_worker.run_due(desk) == 0
        clock.advance(seconds=5)
        assert delivery_worker.run_due(desk) == 2
        bodies = [r["json"]["message"]["body"] for r in receiver.requests]
        assert bodies == ["one", "two"]  # in order
        for sent in (first, second):
            assert message(admin, conversation_id, sent["id"])["delivery"]["status"] == "sent"
    finally:
        healthy.stop()


def test_fixing_the_webhook_url_retries_at_once(
    app: Litestar, admin: Client, clock: FakeClock, receiver: Receiver
) -> None:
    channel = api_channel(admin, "http://127.0.0.1:9/wrong-port")
    sent = reply(admin, incoming(admin, channel))
    desk = desk_of(app)
    for _ in range(4):  # the next attempt is now 40 s away
        delivery_worker.run_due(desk)
        clock.advance(minutes=1)
    delivery_worker.run_due(desk)
    assert delivery_worker.run_due(desk) == 0
    receiver.secret = channel["config"]["signing_secret"]
    fixed = admin.patch(
        f"/api/channels/{channel['id']}", json={"config": {"webhook_url": receiver.url}}
    )
    assert fixed.status_code == 200
    assert delivery_worker.run_due(desk) == 1  # no waiting out the backoff
    assert len(receiver.requests) == 1
    assert message(admin, sent["conversation_id"], sent["id"])["delivery"]["status"] == "sent"


def test_backoff_doubles_and_is_capped() -> None:
    waits = [delivery_worker.backoff(n).total_seconds() for n in range(1, 12)]
    assert waits[:4] == [5, 10, 20, 40]
    assert max(waits) == 3600


def test_fails_after_the_last_attempt_then_retry_by_hand(
    app: Litestar, admin: Client, agent: Client, clock: FakeClock, receiver: Receiver
) -> None:
    channel = api_channel(admin, receiver.url)
    receiver.secret = channel["config"]["signing_secret"]
    receiver.status = 503
    sent = reply(admin, incoming(admin, channel))
    desk = desk_of(app)
    heard: list[Event] = []
    desk.events.add_listener(heard.append)
    for _ in range(delivery_worker.MAX_ATTEMPTS):
        assert delivery_worker.run_due(desk) == 1
        clock.advance(hours=1)
    assert delivery_worker.run_due(desk) == 0
    assert len(receiver.requests) == delivery_worker.MAX_ATTEMPTS
    state = message(admin, sent["conversation_id"], sent["id"])["delivery"]
    assert state["status"] == "failed"
    assert "HTTP 503" in state["error"]
    statuses = [e.data.delivery.status for e in heard if e.kind == "message.updated"]
    assert statuses == ["queued"] * (delivery_worker.MAX_ATTEMPTS - 1) + ["failed"]

    receiver.status = 204
    retried = agent.post(f"/api/messages/{sent['id']}/retry")
    assert retried.status_code == 200, retried.text
    assert retried.json()["id"] == sent["id"]
    assert retried.json()["delivery"] == {"status": "queued", "error": None, "dismissed_at": None}
    assert delivery_worker.run_due(desk) == 1
    assert message(admin, sent["conversation_id"], sent["id"])["delivery"]["status"] == "sent"
    assert agent.post(f"/api/messages/{sent['id']}/retry").status_code == 409  # sent now


def test_retry_refuses_anything_but_a_failed_outgoing_message(
    app: Litestar, admin: Client, client: Client
) -> None:
    channel = api_channel(admin, "http://127.0.0.1:9/unused")
    conversation_id = incoming(admin, channel)
    queued = reply(admin, conversation_id)
    note = admin.post(
        f"/api/conversations/{conversation_id}/messages", json={"body": "psst", "type": "note"}
    ).json()
    first = admin.get(f"/api/conversations/{conversation_id}/messages").json()["items"][0]
    assert first["type"] == "incoming"
    for message_id in (queued["id"], note["id"], first["id"]):
        response = admin.post(f"/api/messages/{message_id}/retry")
        assert response.status_code == 409, response.text
        assert "failed" in response.json()["error"]
    assert admin.post("/api/messages/99999/retry").status_code == 404
    admin.cookies.clear()
    assert admin.post(f"/api/messages/{queued['id']}/retry").status_code == 401


def test_no_webhook_url_fails_with_a_clear_error(app: Litestar, admin: Client) -> None:
    channel = api_channel(admin, None)
    sent = reply(admin, incoming(admin, channel))
    assert delivery_worker.run_due(desk_of(app)) == 1
    state = message(admin, sent["conversation_id"], sent["id"])["delivery"]
    assert state["status"] == "failed"
    assert "webhook_url" in state["error"]


def _channel_conversation(admin: Client, desk: Desk, type: str, config: dict[str, Any]) -> int:
    channel = admin.post("/api/channels", json={"name": type, "type": type, "config": config})
    assert channel.status_code == 201, channel.text
    response = admin.post(
        "/api/conversations",
        json={
            "channel_id": channel.json()["id"],
            "contact": {"name": "Walk-in", "email": f"{type}@example.com"},
            "message": "Called about an invoice",
        },
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


@pytest.mark.parametrize(
    ("type", "config", "status"),
    [
        ("phone", {}, "sent"),
        ("web_chat", {}, "sent"),
    ],
)
def test_other_channel_types(
    app: Litestar, admin: Client, type: str, config: dict[str, Any], status: str
) -> None:
    desk = desk_of(app)
    conversation_id = _channel_conversation(admin, desk, type, config)
    sent = reply(admin, conversation_id)
    delivery_worker.run_due(desk)
    state = message(admin, conversation_id, sent["id"])["delivery"]
    assert state["status"] == status
    assert state["error"] is None  # email: tests/test_email_outbound.py, against a real server


def test_queue_survives_a_restart(settings: Settings, clock: FakeClock) -> None:
    down = Receiver()
    port = down.port
    down.stop()
    with new_client(create_app(settings)) as first:
        run_setup(first)
        channel = api_channel(first, f"http://127.0.0.1:{port}/desk-hook")
        sent = reply(first, incoming(first, channel))
        assert delivery_worker.run_due(desk_of(first.app)) == 1  # receiver down: stays queued
    # The first app is closed; a new one opens the same data directory.
    back = Receiver(port)
    back.secret = channel["config"]["signing_secret"]
    try:
        with new_client(create_app(settings)) as second:
            second.post(
                "/api/auth/login", json={"email": "ada@example.com", "password": "correct horse"}
            )
            state = message(second, sent["conversation_id"], sent["id"])["delivery"]
            assert state["status"] == "queued"
            clock.advance(minutes=1)
            assert delivery_worker.run_due(desk_of(second.app)) == 1
            assert [r["json"]["message"]["id"] for r in back.requests] == [sent["id"]]
            state = message(second, sent["conversation_id"], sent["id"])["delivery"]
            assert state == {"status": "sent", "error": None, "dismissed_at": None}
    finally:
        back.stop()


def test_the_worker_thread_delivers_without_being_asked(
    settings: Settings, receiver: Receiver
) -> None:
    """With background tasks on (as in `desk serve`), a reply is delivered by the worker
    thread, woken by the reply itself."""
    live = replace(settings, background_tasks=True)
    with new_client(create_app(live)) as client:
        run_setup(client)
        channel = api_channel(client, receiver.url)
        receiver.secret = channel["config"]["signing_secret"]
        sent = reply(client, incoming(client, channel))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if message(client, sent["conversation_id"], sent["id"])["delivery"]["status"] == "sent":
                break
            time.sleep(0.02)
        assert message(client, sent["conversation_id"], sent["id"])["delivery"]["status"] == "sent"
        assert len(receiver.requests) == 1


@pytest.mark.slow
def test_a_real_desk_serve_delivers_replies(tmp_path: Any, receiver: Receiver) -> None:
    """End to end: `desk serve` as a process, a hook from another system, an agent's reply,
    and the webhook arriving at the receiver, delivered by the server's own worker."""
    running = start_desk(tmp_path / "data")
    try:
        with running.client() as c:
            setup = {
                "workspace_name": "Acme",
                "name": "Ada",
                "email": "ada@example.com",
                "password": "long enough",
            }
            assert c.post("/api/setup", json=setup).status_code == 201
            channel = c.post(
                "/api/channels",
                json={"name": "CRM", "type": "api", "config": {"webhook_url": receiver.url}},
            ).json()
            receiver.secret = channel["config"]["signing_secret"]
            hook = c.post(
                channel["config"]["inbound_url"],
                json={"contact": {"email": "grace@example.com"}, "body": "Where is my order?"},
            ).json()
            url = f"/api/conversations/{hook['conversation_id']}/messages"
            sent = c.post(url, json={"body": "Shipped today."}).json()
            deadline = time.monotonic() + 15
            while not receiver.requests and time.monotonic() < deadline:
                time.sleep(0.02)
            assert [r["json"]["message"]["id"] for r in receiver.requests] == [sent["id"]]
            while time.monotonic() < deadline:
                items = c.get(url).json()["items"]
                state = next(m for m in items if m["id"] == sent["id"])["delivery"]
                if state["status"] == "sent":
                    break
                time.sleep(0.02)
            assert state == {"status": "sent", "error": None, "dismissed_at": None}
    finally:
        running.stop()
