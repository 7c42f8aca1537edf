"""/api/events: live updates for signed-in agents, as server-sent events.

Each event is `id:` (increasing), `event:` (`conversation.created`, `message.updated`, ...) and
`data:` (the object as the REST API returns it). A client that reconnects with `Last-Event-ID`
(header, or `last_event_id` in the query for clients that cannot set headers) first gets what
it missed from the bus's bounded backlog. A comment line every HEARTBEAT_SECONDS keeps proxies
and browsers from closing an idle stream.

A stream ends when its session does (API.md: within 5 seconds, however busy): the services that
end sessions (logout, password change, agent deletion) end its streams on the bus at once, and
the stream itself checks its session again every RECHECK_SECONDS on a deadline that events do
not push back (expiry; a password reset from the command line, in another process). A session
has at most MAX_STREAMS_PER_SESSION streams; a new one ends the oldest. When the server stops,
`end_streams` ends every open stream so the server need not wait for clients to hang up.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import anyio.to_thread
import msgspec
from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import ServerSentEvent, ServerSentEventMessage

from desk.api.errors import error_responses
from desk.api.security import SESSION_COOKIE
from desk.models.agents import SignedIn
from desk.services import auth
from desk.services.desk import Desk
from desk.services.events import STREAM_END, Event, Subscription

HEARTBEAT_SECONDS = 15.0
RECHECK_SECONDS = 2.0
RETRY_MS = 3000
BATCH_EVENTS = 100  # queued events sent in one write, at most


def end_streams(desk: Desk) -> None:
    """Ask every open event stream of this Desk to finish (the server is stopping)."""
    desk.events.end_streams(everyone=True)


def _last_event_id(request: Request[Any, Any, Any], from_query: int | None) -> int | None:
    header = request.headers.get("last-event-id", "").strip()
    if header.isascii() and header.isdigit():  # "²".isdigit() holds, but int() refuses it
        return int(header)
    return from_query


async def _signed_in(desk: Desk, token: str) -> bool:
    # On the loop, as a request's session is read (security.py): cached, or an indexed read; a
    # thread only when the session is due to be touched or has expired (a write).
    signed_in = auth.cached_session(desk, token)
    if isinstance(signed_in, auth.NeedsWrite):
        signed_in = await anyio.to_thread.run_sync(auth.resolve_session, desk, token)
    return signed_in is not None


async def _stream(
    desk: Desk, subscription: Subscription, token: str
) -> AsyncIterator[ServerSentEventMessage]:
    loop = asyncio.get_running_loop()
    try:
        yield ServerSentEventMessage(comment="connected", retry=RETRY_MS, data=None)
        next_check = loop.time() + RECHECK_SECONDS
        next_beat = loop.time() + HEARTBEAT_SECONDS
        while True:
            if loop.time() >= next_check:  # on a deadline: a busy stream is checked as often
                if not await _signed_in(desk, token):
                    return  # signed out, expired or deleted meanwhile: no more events
                next_check = loop.time() + RECHECK_SECONDS
            if loop.time() >= next_beat:
                yield ServerSentEventMessage(comment="heartbeat", data=None)
                next_beat = loop.time() + HEARTBEAT_SECONDS
            events = subscription.ready(BATCH_EVENTS)
            if not events:
                wait = max(0.0, min(next_check, next_beat) - loop.time())
                try:
                    events = [await asyncio.wait_for(subscription.next(), wait)]
                except TimeoutError:
                    continue
                events += subscription.ready(BATCH_EVENTS - 1)
            wire, ended = _frame(events, subscription.agent_id)
            if wire:
                yield _Wire(wire)
            if ended:
                return
    finally:
        subscription.close()


class _Wire(ServerSentEventMessage):
    """Events already in their wire form, as one chunk: what queued up while the stream
    waited for its socket goes out in one write."""

    def __init__(self, wire: bytes) -> None:
        super().__init__(data=None)
        self.wire = wire

    def encode(self) -> bytes:
        return self.wire


def _frame(events: list[Event], agent_id: int | None) -> tuple[bytes, bool]:
    """The wire form of `events` up to a STREAM_END, and whether there was one."""
    parts: list[bytes] = []
    for event in events:
        if event.kind == STREAM_END:
            return b"".join(parts), True
        if event.agent_id is not None and event.agent_id != agent_id:
            continue  # another agent's notification
        parts.append(wire_form(event))
    return b"".join(parts), False


def wire_form(event: Event) -> bytes:
    """`id:`, `event:` and `data:` lines as Litestar's ServerSentEventMessage writes them (one
    data line: JSON has no raw line breaks), from the JSON the publisher encoded once."""
    data = event.json if event.json is not None else msgspec.json.encode(event.data)
    return b"id: %d\r\nevent: %s\r\ndata: %s\r\n\r\n" % (event.id, event.kind.encode(), data)


@get(
    "/api/events",
    tags=["events"],
    media_type="text/event-stream",
    responses=error_responses(400, 401),
    description="Server-sent events: conversation.created/updated, message.created/updated.",
)
async def stream_events(
    request: Request[Any, Any, Any],
    desk: NamedDependency[Desk],
    signed_in: NamedDependency[SignedIn],
    last_event_id: FromQuery[int | None] = None,
) -> ServerSentEvent:
    token = request.cookies.get(SESSION_COOKIE, "")
    subscription = desk.events.subscribe(
        _last_event_id(request, last_event_id),
        session_id=signed_in.session_id,
        agent_id=signed_in.agent.id,
    )
    return ServerSentEvent(_stream(desk, subscription, token))
