"""/api/events: live updates for signed-in agents, as server-sent events.

Each event is `id:` (increasing), `event:` (`conversation.created`, `message.updated`, ...) and
`data:` (the object as the REST API returns it). A client that reconnects with `Last-Event-ID`
(header, or `last_event_id` in the query for clients that cannot set headers) first gets what
it missed from the bus's bounded backlog. A comment line every HEARTBEAT_SECONDS keeps proxies
and browsers from closing an idle stream; before each, the session is checked again, so a
stream ends once its agent signs out, is deleted or their session expires. When the server
stops, `end_streams` ends every open stream so the server need not wait for clients to hang up.
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
from desk.services import auth
from desk.services.desk import Desk
from desk.services.events import Event, Subscription

HEARTBEAT_SECONDS = 15.0
RETRY_MS = 3000
_END = "stream.end"  # never published on the bus: delivered only to open streams, at shutdown


def _open_streams(desk: Desk) -> set[Subscription]:
    streams: set[Subscription] = desk.shared("events.open_streams", set)
    return streams


def end_streams(desk: Desk) -> None:
    """Ask every open event stream of this Desk to finish (the server is stopping)."""
    for subscription in list(_open_streams(desk)):
        subscription.deliver(Event(id=0, kind=_END, data=None))


def _last_event_id(request: Request[Any, Any, Any], from_query: int | None) -> int | None:
    header = request.headers.get("last-event-id", "").strip()
    if header.isascii() and header.isdigit():  # "²".isdigit() holds, but int() refuses it
        return int(header)
    return from_query


async def _signed_in(desk: Desk, token: str) -> bool:
    return await anyio.to_thread.run_sync(auth.resolve_session, desk, token) is not None


async def _stream(
    desk: Desk, subscription: Subscription, token: str
) -> AsyncIterator[ServerSentEventMessage]:
    streams = _open_streams(desk)
    streams.add(subscription)
    signed_in = await anyio.to_thread.run_sync(auth.resolve_session, desk, token)
    me = signed_in.agent.id if signed_in else None
    try:
        yield ServerSentEventMessage(comment="connected", retry=RETRY_MS, data=None)
        while True:
            try:
                event = await asyncio.wait_for(subscription.next(), HEARTBEAT_SECONDS)
            except TimeoutError:
                if not await _signed_in(desk, token):
                    return  # signed out, expired or deleted meanwhile: no more events
                yield ServerSentEventMessage(comment="heartbeat", data=None)
                continue
            if event.kind == _END:
                return
            if event.agent_id is not None and event.agent_id != me:
                continue  # another agent's notification
            yield ServerSentEventMessage(
                id=event.id, event=event.kind, data=msgspec.json.encode(event.data).decode()
            )
    finally:
        streams.discard(subscription)
        subscription.close()


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
    last_event_id: FromQuery[int | None] = None,
) -> ServerSentEvent:
    token = request.cookies.get(SESSION_COOKIE, "")
    subscription = desk.events.subscribe(_last_event_id(request, last_event_id))
    return ServerSentEvent(_stream(desk, subscription, token))
