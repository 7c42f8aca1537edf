"""Live updates for widget visitors: one small queue per open stream, fed by conversation.

Visitor streams do not subscribe to the event bus one by one (every event would then wake every
stream). One listener on the bus looks each event's conversation up in a dict and hands it to
the streams of that conversation's visitor only, so 500 idle visitors cost nothing per event
but a dict lookup, and nothing at all while no event concerns them.

A stream gets `message.created` (what the visitor and the team said: the visitor's own too, so
their other tabs follow) and `conversation.updated` with `{"status"}` when the status changes.
It ends when its conversation is deleted (the contact erased), when its channel is switched off
or its allowed origins change, and when the server stops.

Agents see whether a visitor is online: a conversation's `visitor` (`{"online",
"last_seen_at"}`) changes, and `conversation.updated` is published, when its visitor's first
stream opens and after their last one has been closed for OFFLINE_GRACE_SECONDS (so a page
reload is not a flicker). No stream outlives the server, so every start clears `online`.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator
from typing import Any

import anyio.to_thread

from desk.models.web_chat import VISIBLE_TYPES, Visitor
from desk.services.desk import Desk
from desk.services.events import Event
from desk.store import conversations as conversations_store
from desk.store import visitors as store

HEARTBEAT_SECONDS = 15.0
OFFLINE_GRACE_SECONDS = 5.0
MAX_STREAMS_PER_VISITOR = 8  # tabs; more is a loop or an attack
QUEUE_SIZE = 200
_END = ("stream.end", None)
Item = tuple[str, Any]  # (event name, data); _END ends the stream; None data: a heartbeat


def _field(data: Any, name: str) -> Any:
    return data.get(name) if isinstance(data, dict) else getattr(data, name, None)


class VisitorStream:
    """One open widget stream: its visitor, conversation and a queue fed from any thread."""

    __slots__ = ("channel_id", "conversation_id", "loop", "queue", "status", "visitor_id")

    def __init__(self, visitor: Visitor, status: str | None) -> None:
        self.visitor_id = visitor.id
        self.channel_id = visitor.channel_id
        self.conversation_id = visitor.conversation_id
        self.status = status
        self.loop = asyncio.get_running_loop()
        self.queue: asyncio.Queue[Item] = asyncio.Queue(QUEUE_SIZE)

    def deliver(self, item: Item) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is gone: so is the stream
            self.loop.call_soon_threadsafe(self._put, item)

    def _put(self, item: Item) -> None:
        if self.queue.full():  # a stuck client: drop the oldest, it catches up by `after=`
            self.queue.get_nowait()
        self.queue.put_nowait(item)


class Hub:
    """Every open visitor stream of one Desk, by visitor and by conversation."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.lock = threading.Lock()
        self.by_visitor: dict[int, set[VisitorStream]] = {}
        self.by_conversation: dict[int, set[VisitorStream]] = {}
        self.offline_timers: dict[int, asyncio.TimerHandle] = {}
        with desk.db.write() as conn:
            store.clear_presence(conn)
        desk.events.add_listener(self.listen)

    def open(self, visitor: Visitor, status: str | None) -> tuple[VisitorStream, bool] | None:
        """A new stream (and whether it is the visitor's first), or None at the tab limit."""
        with self.lock:
            streams = self.by_visitor.setdefault(visitor.id, set())
            if len(streams) >= MAX_STREAMS_PER_VISITOR:
                return None
            stream = VisitorStream(visitor, status)
            first = not streams and visitor.id not in self.offline_timers
            timer = self.offline_timers.pop(visitor.id, None)
            if timer is not None:
                timer.cancel()
            streams.add(stream)
            if stream.conversation_id is not None:
                self.by_conversation.setdefault(stream.conversation_id, set()).add(stream)
        return stream, first

    def close(self, stream: VisitorStream) -> bool:
        """Forget a stream; True when it was the visitor's last."""
        with self.lock:
            streams = self.by_visitor.get(stream.visitor_id, set())
            streams.discard(stream)
            if not streams:
                self.by_visitor.pop(stream.visitor_id, None)
            if stream.conversation_id is not None:
                of_conversation = self.by_conversation.get(stream.conversation_id, set())
                of_conversation.discard(stream)
                if not of_conversation:
                    self.by_conversation.pop(stream.conversation_id, None)
            return not streams

    def bind(self, visitor_id: int, conversation_id: int) -> None:
        """The visitor's first message made their conversation: route it to their streams."""
        with self.lock:
            for stream in self.by_visitor.get(visitor_id, ()):
                if stream.conversation_id != conversation_id:
                    stream.conversation_id = conversation_id
                    self.by_conversation.setdefault(conversation_id, set()).add(stream)

    def online(self, conversation_id: int) -> bool:
        with self.lock:
            return bool(self.by_conversation.get(conversation_id))

    def streams_of(self, conversation_id: int) -> list[VisitorStream]:
        with self.lock:
            return list(self.by_conversation.get(conversation_id, ()))

    def listen(self, event: Event) -> None:
        """Runs in the publishing thread: route, never block."""
        if event.private or not self.by_conversation:
            return
        if event.kind == "message.created":
            streams = self.streams_of(int(_field(event.data, "conversation_id") or 0))
            if streams and _field(event.data, "type") in VISIBLE_TYPES:
                from desk.services.channels.web_chat import widget_message  # (an import cycle)

                item = ("message.created", widget_message(event.data))
                for stream in streams:
                    stream.deliver(item)
        elif event.kind in ("conversation.created", "conversation.updated"):
            status = _field(event.data, "status")
            for stream in self.streams_of(int(_field(event.data, "id") or 0)):
                if stream.status != status:
                    stream.status = status
                    stream.deliver(("conversation.updated", {"status": status}))
        elif event.kind == "conversation.deleted":
            for stream in self.streams_of(int(_field(event.data, "id") or 0)):
                stream.deliver(_END)

    def end(self, channel_id: int | None = None) -> None:
        """End the streams of one channel (switched off, origins changed), or all of them."""
        with self.lock:
            streams = [s for group in self.by_visitor.values() for s in group]
        for stream in streams:
            if channel_id is None or stream.channel_id == channel_id:
                stream.deliver(_END)


def hub(desk: Desk) -> Hub:
    return desk.shared("web_chat.hub", lambda: Hub(desk))


def bind(desk: Desk, visitor_id: int, conversation_id: int) -> None:
    hub(desk).bind(visitor_id, conversation_id)


def end_channel_streams(desk: Desk, channel_id: int) -> None:
    hub(desk).end(channel_id)


def end_streams(desk: Desk) -> None:
    """The server is stopping: end every visitor stream so it need not wait for them."""
    hub(desk).end()


def visitor_online(desk: Desk, conversation_id: int) -> bool:
    return hub(desk).online(conversation_id)


def start(desk: Desk) -> None:
    """At the app's start: listen, and mark every visitor offline."""
    hub(desk)


def _set_presence(desk: Desk, visitor_id: int, online: bool) -> None:
    """Record it, and tell the agents when the visitor has a conversation."""
    with desk.db.write() as conn:
        store.set_presence(conn, visitor_id, online=online, now=desk.now_iso())
        visitor = store.get_visitor(conn, visitor_id)
        conversation_id = visitor.conversation_id if visitor else None
        conversation = conversations_store.get_conversation(conn, conversation_id or 0)
    if conversation is not None:
        desk.events.publish("conversation.updated", conversation)


def _status(desk: Desk, visitor: Visitor) -> str | None:
    if visitor.conversation_id is None:
        return None
    with desk.db.read() as conn:
        return store.conversation_status(conn, visitor.conversation_id)


async def open_stream(desk: Desk, visitor: Visitor) -> VisitorStream | None:
    """Register a visitor's stream (None: too many open). Announce them online if first."""
    status = await anyio.to_thread.run_sync(_status, desk, visitor)
    opened = hub(desk).open(visitor, status)
    if opened is None:
        return None
    stream, first = opened
    if first:
        await anyio.to_thread.run_sync(_set_presence, desk, visitor.id, True)
    return stream


async def events(desk: Desk, stream: VisitorStream) -> AsyncIterator[Item | None]:
    """The stream's events as they come; None every HEARTBEAT_SECONDS of silence. Closing the
    iterator unregisters the stream."""
    try:
        while True:
            try:
                item = await asyncio.wait_for(stream.queue.get(), HEARTBEAT_SECONDS)
            except TimeoutError:
                yield None
                continue
            if item is _END:
                return
            yield item
    finally:
        if hub(desk).close(stream):
            _went_quiet(desk, stream)


def _went_quiet(desk: Desk, stream: VisitorStream) -> None:
    """The visitor's last stream closed: say they left, unless one reopens meanwhile."""
    the_hub = hub(desk)

    def offline() -> None:
        with the_hub.lock:
            the_hub.offline_timers.pop(stream.visitor_id, None)
            if stream.visitor_id in the_hub.by_visitor:
                return  # back already
        task = stream.loop.create_task(
            anyio.to_thread.run_sync(_set_presence, desk, stream.visitor_id, False)
        )
        task.add_done_callback(_ignore_shutdown)

    with the_hub.lock:
        the_hub.offline_timers[stream.visitor_id] = stream.loop.call_later(
            OFFLINE_GRACE_SECONDS, offline
        )


def _ignore_shutdown(done: asyncio.Task[None]) -> None:
    """The server may stop (the database close) before a departure is recorded: no matter,
    the next start marks everyone offline."""
    if not done.cancelled():
        done.exception()
