"""Live updates over server-sent events, against a real `desk serve` process."""

from __future__ import annotations

import json
import queue
import threading
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.conftest import ADMIN, AGENT
from tests.servers import RunningDesk

pytestmark = pytest.mark.slow  # streams events from a real desk serve

DELIVERY_DEADLINE = 1.0  # API.md: every signed-in agent gets the event within one second


@dataclass
class SseEvent:
    id: int | None = None
    event: str | None = None
    data: Any = None
    comments: list[str] = field(default_factory=list)


class Stream:
    """Reads an event stream (/api/events unless `path` says otherwise) in a thread; events (and
    a None when the stream ends) go to a queue."""

    def __init__(
        self,
        client: httpx.Client,
        headers: dict[str, str] | None = None,
        path: str = "/api/events",
        **params: Any,
    ):
        self.events: queue.Queue[SseEvent | None] = queue.Queue()
        self.status: int | None = None
        self.content_type = ""
        self.ended_cleanly = False
        self._response: httpx.Response | None = None
        self._opened = threading.Event()
        self._thread = threading.Thread(
            target=self._read, args=(client, path, headers or {}, params), daemon=True
        )
        self._thread.start()
        assert self._opened.wait(10), "the stream did not open"

    def _read(
        self, client: httpx.Client, path: str, headers: dict[str, str], params: dict[str, Any]
    ) -> None:
        timeout = httpx.Timeout(10, read=60)
        try:
            with client.stream(
                "GET", path, headers=headers, params=params, timeout=timeout
            ) as response:
                self._response = response
                self.status = response.status_code
                self.content_type = response.headers.get("content-type", "")
                pending = SseEvent()
                for line in response.iter_lines():
                    if line == "":
                        if pending.comments == ["connected"]:
                            self._opened.set()  # subscribed: events from now on reach us
                        elif pending.event or pending.data is not None:
                            self.events.put(pending)
                        pending = SseEvent()
                        continue
                    name, _, value = line.partition(":")
                    value = value.removeprefix(" ")
                    if name == "":
                        pending.comments.append(value)
                    elif name == "id":
                        pending.id = int(value)
                    elif name == "event":
                        pending.event = value
                    elif name == "data":
                        pending.data = json.loads(value)
            self.ended_cleanly = True
        except httpx.HTTPError:
            pass
        finally:
            self._opened.set()
            self.events.put(None)

    def next(self, timeout: float = DELIVERY_DEADLINE) -> SseEvent:
        event = self.events.get(timeout=timeout)
        assert event is not None, "the stream ended"
        return event

    def next_of(self, kind: str, timeout: float = DELIVERY_DEADLINE) -> SseEvent:
        while True:
            event = self.next(timeout)
            if event.event == kind:
                return event

    def close(self) -> None:
        if self._response is not None:
            self._response.close()

    def ended(self, timeout: float) -> bool:
        self._thread.join(timeout)
        return not self._thread.is_alive()


def signed_in(server: RunningDesk, email: str, password: str) -> httpx.Client:
    client = server.client()
    response = client.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return client


@pytest.fixture
def team(server: RunningDesk) -> tuple[httpx.Client, httpx.Client]:
    """(Ada the admin, Sam an agent), each with their own session."""
    ada = server.client()
    setup = ada.post(
        "/api/setup",
        json={
            "workspace_name": "Acme",
            "name": ADMIN["name"],
            "email": ADMIN["email"],
            "password": ADMIN["password"],
        },
    )
    assert setup.status_code == 201, setup.text
    assert ada.post("/api/agents", json={**AGENT, "role": "agent"}).status_code == 201
    return ada, signed_in(server, AGENT["email"], AGENT["password"])


def start_conversation(client: httpx.Client) -> dict[str, Any]:
    channel = client.post("/api/channels", json={"name": "Phone", "type": "phone", "config": {}})
    assert channel.status_code == 201, channel.text
    created = client.post(
        "/api/conversations",
        json={"channel_id": channel.json()["id"], "contact": {"name": "Grace"}, "subject": "Hi"},
    )
    assert created.status_code == 201, created.text
    return dict(created.json())


def test_the_stream_needs_a_session(server: RunningDesk) -> None:
    response = server.client().get("/api/events")
    assert response.status_code == 401
    assert response.json() == {"error": "Sign in first.", "code": "unauthorized"}


def test_another_agent_sees_changes_live_and_can_catch_up_after_reconnecting(
    team: tuple[httpx.Client, httpx.Client],
) -> None:
    ada, sam = team
    stream = Stream(sam)
    assert stream.status == 200 and stream.content_type.startswith("text/event-stream")
    conversation = start_conversation(ada)
    created = stream.next_of("conversation.created")
    assert created.data == conversation  # exactly what the REST API answered
    reply = ada.post(
        f"/api/conversations/{conversation['id']}/messages", json={"body": "On it", "type": "note"}
    ).json()
    message = stream.next_of("message.created")
    assert message.data == reply
    assert message.id is not None and created.id is not None and message.id > created.id
    stream.close()

    # While Sam is away, Ada tags the conversation; Sam reconnects where he left off.
    ada.post(f"/api/conversations/{conversation['id']}/tags", json={"tag": "vip"})
    again = Stream(sam, headers={"Last-Event-ID": str(message.id)})
    missed = again.next_of("conversation.updated")
    assert missed.data["tags"] == ["vip"]
    assert again.next_of("message.created").data["body"] == "Ada Admin added tag vip"
    again.close()
    by_query = Stream(sam, last_event_id=message.id)
    assert by_query.next_of("conversation.updated").data["tags"] == ["vip"]
    by_query.close()


def test_stopping_the_server_ends_open_streams(
    server: RunningDesk, team: tuple[httpx.Client, httpx.Client]
) -> None:
    _, sam = team
    stream = Stream(sam)
    server.stop(timeout=10)  # raises if the server hangs on the open stream
    assert stream.ended(timeout=10)
    assert stream.ended_cleanly


def test_a_quiet_stream_sends_heartbeats_and_ends_when_the_agent_signs_out(
    app: Any, admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stream itself, driven directly with a short heartbeat (no server needed)."""
    import asyncio

    from desk.api import events as events_api

    monkeypatch.setattr(events_api, "HEARTBEAT_SECONDS", 0.01)
    monkeypatch.setattr(events_api, "RECHECK_SECONDS", 0.01)
    desk = app.state.desk
    token = admin.cookies.get("desk_session")

    async def scenario() -> list[str]:
        # No session named: only the stream's own re-check can end it.
        stream = events_api._stream(desk, desk.events.subscribe(None), token)
        seen = [(await anext(stream)).encode().decode()]  # connected, retry
        seen.append((await anext(stream)).encode().decode())  # a heartbeat
        await asyncio.to_thread(admin.post, "/api/auth/logout")
        seen += [message.encode().decode() async for message in stream]
        return seen

    seen = asyncio.run(asyncio.wait_for(scenario(), 10))
    assert seen[0].startswith(": connected") and "retry: 3000" in seen[0]
    assert seen[1].startswith(": heartbeat") and "data" not in seen[1]
    assert len(seen) == 2  # signed out: the next check ends the stream, no more heartbeats


def test_presence_reaches_the_other_agents_stream(
    team: tuple[httpx.Client, httpx.Client],
) -> None:
    ada, sam = team
    conversation = start_conversation(ada)
    stream = Stream(sam)
    said = ada.post(f"/api/conversations/{conversation['id']}/presence", json={"state": "typing"})
    assert said.status_code == 200, said.text
    event = stream.next_of("presence")
    assert event.data == {
        "conversation_id": conversation["id"],
        "agent": {"id": said.json()["agent"]["id"], "name": ADMIN["name"]},
        "state": "typing",
    }
    stream.close()
