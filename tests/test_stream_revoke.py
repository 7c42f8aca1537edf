"""A live stream ends when its session ends, however busy it is (API.md: within 5 seconds).

The review found an agent deleted mid-shift kept receiving every customer message for 35 s:
the stream re-checked its session only after 15 s without events. Here a steady flow of events
runs while the session is ended by logout, password change, deletion or expiry.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from desk.api import events as events_api
from desk.services.events import MAX_STREAMS_PER_SESSION, STREAM_END
from tests.conftest import AGENT, FakeClock
from tests.servers import RunningDesk
from tests.test_live import Stream, signed_in, start_conversation

REVOKE_DEADLINE = 5.0  # API.md: a revoked session's streams end within 5 seconds


class Chatter:
    """Ada writes notes without pause, so every stream always has an event coming."""

    def __init__(self, ada: httpx.Client, conversation_id: int) -> None:
        self._stop = threading.Event()
        self.sent = 0
        self._thread = threading.Thread(target=self._run, args=(ada, conversation_id))
        self._thread.start()

    def _run(self, ada: httpx.Client, conversation_id: int) -> None:
        while not self._stop.is_set():
            ada.post(
                f"/api/conversations/{conversation_id}/messages",
                json={"body": f"note {self.sent}", "type": "note"},
            )
            self.sent += 1

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(30)


@pytest.fixture
def busy(server: RunningDesk) -> Iterator[tuple[httpx.Client, RunningDesk]]:
    """Ada (admin) with Sam (agent) created, and a steady flow of events running."""
    ada = server.client()
    setup = ada.post(
        "/api/setup",
        json={
            "workspace_name": "Acme",
            "name": "Ada",
            "email": "ada@example.com",
            "password": "correct horse",
        },
    )
    assert setup.status_code == 201, setup.text
    assert ada.post("/api/agents", json={**AGENT, "role": "agent"}).status_code == 201
    writer = signed_in(server, "ada@example.com", "correct horse")
    chatter = Chatter(writer, start_conversation(ada)["id"])
    try:
        yield ada, server
    finally:
        chatter.stop()


def _streaming_sam(server: RunningDesk, password: str = AGENT["password"]) -> tuple[Any, Stream]:
    sam = signed_in(server, AGENT["email"], password)
    stream = Stream(sam)
    assert stream.status == 200
    stream.next_of("message.created")  # the flow reaches Sam
    return sam, stream


@pytest.mark.slow
def test_a_busy_stream_ends_at_logout(busy: tuple[httpx.Client, RunningDesk]) -> None:
    _, server = busy
    sam, stream = _streaming_sam(server)
    assert sam.post("/api/auth/logout").status_code == 200
    assert stream.ended(REVOKE_DEADLINE), "the stream kept streaming after logout"


@pytest.mark.slow
def test_a_busy_stream_ends_when_its_agent_changes_password_elsewhere(
    busy: tuple[httpx.Client, RunningDesk],
) -> None:
    _, server = busy
    _, stream = _streaming_sam(server)
    other = signed_in(server, AGENT["email"], AGENT["password"])
    changed = other.post(
        "/api/settings/password",
        json={"current_password": AGENT["password"], "new_password": "a new long password"},
    )
    assert changed.status_code == 200, changed.text
    assert stream.ended(REVOKE_DEADLINE), "the stream outlived its session"
    mine = Stream(other)  # the session that changed the password keeps streaming
    mine.next_of("message.created")
    mine.close()


@pytest.mark.slow
def test_a_busy_stream_ends_when_its_agent_is_deleted(
    busy: tuple[httpx.Client, RunningDesk],
) -> None:
    ada, server = busy
    _, stream = _streaming_sam(server)
    sam_id = next(a["id"] for a in ada.get("/api/agents").json()["items"] if a["role"] == "agent")
    assert ada.delete(f"/api/agents/{sam_id}").status_code == 200
    assert stream.ended(REVOKE_DEADLINE), "a deleted agent kept receiving messages"


def _drain(stream: Any, into: list[str]) -> Any:
    async def read() -> None:
        async for message in stream:
            into.append(message.encode().decode())

    return read()


def test_a_busy_stream_ends_when_its_session_expires(
    app: Litestar, admin: TestClient[Litestar], clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Expiry has no request that ends it: the stream's own re-check, on a deadline that a
    steady flow of events does not push back, finds it."""
    monkeypatch.setattr(events_api, "RECHECK_SECONDS", 0.05)
    desk = app.state.desk
    token = admin.cookies.get("desk_session")
    signed = admin.get("/api/auth/me").json()["agent"]

    async def scenario() -> tuple[list[str], int]:
        subscription = desk.events.subscribe(None, agent_id=signed["id"])
        stream = events_api._stream(desk, subscription, token)
        seen: list[str] = []
        reader = asyncio.ensure_future(_drain(stream, seen))
        published = 0
        while published < 3 or not reader.done():
            desk.events.publish("message.created", {"n": published})
            published += 1
            if published == 3:
                clock.advance(hours=13)  # idle limit: 12 h
            await asyncio.sleep(0.001)  # events never stop while the stream lives
            if published > 100_000:
                break
        return seen, published

    seen, published = asyncio.run(asyncio.wait_for(scenario(), 30))
    assert published <= 100_000, "the stream never ended"
    assert any("message.created" in s for s in seen)


def test_ending_a_session_ends_only_its_streams(app: Litestar, admin: TestClient[Litestar]) -> None:
    desk = app.state.desk

    async def scenario() -> list[str]:
        mine = desk.events.subscribe(None, session_id=1, agent_id=1)
        other_tab = desk.events.subscribe(None, session_id=1, agent_id=1)
        other_session = desk.events.subscribe(None, session_id=2, agent_id=1)
        colleague = desk.events.subscribe(None, session_id=3, agent_id=2)
        desk.events.publish("message.created", {"n": 1})
        desk.events.end_streams(session_id=1)
        desk.events.end_streams(agent_id=1, keep_session_id=2)
        desk.events.publish("message.created", {"n": 2})
        await asyncio.sleep(0.01)
        kinds = []
        for sub in (mine, other_tab, other_session, colleague):
            kinds.append((await sub.next()).kind)  # ended ones: STREAM_END before anything
        for sub in (mine, other_tab, other_session, colleague):
            sub.close()
        return kinds

    kinds = asyncio.run(scenario())
    assert kinds == [STREAM_END, STREAM_END, "message.created", "message.created"]


def test_a_session_has_at_most_eight_streams_and_the_oldest_closes(
    app: Litestar, admin: TestClient[Litestar]
) -> None:
    desk = app.state.desk

    async def scenario() -> list[str]:
        subs = [
            desk.events.subscribe(None, session_id=7, agent_id=1)
            for _ in range(MAX_STREAMS_PER_SESSION + 2)
        ]
        desk.events.publish("message.created", {"n": 1})
        await asyncio.sleep(0.01)
        kinds = [(await sub.next()).kind for sub in subs]
        for sub in subs:
            sub.close()
        return kinds

    kinds = asyncio.run(scenario())
    assert kinds == [STREAM_END] * 2 + ["message.created"] * MAX_STREAMS_PER_SESSION
