"""Live updates: services publish after their transaction commits; subscribers receive.

Two kinds of subscriber:
- streams (the SSE endpoint for agents, later the chat widget) get an asyncio queue that is
  fed thread-safely from whichever worker thread published;
- listeners (the automations engine, the delivery queue) are plain callables run in the
  publishing thread; they must be quick (hand work to their own thread or table).

Event ids increase across restarts (they start from the clock in milliseconds), so a client
reconnecting with `Last-Event-ID` after a restart never mistakes new events for old ones. The
clock alone is not enough (it can be set back, a restored database is older): `IdFloor` keeps
in DATA_DIR/event-id-floor a number above every id handed out, reserved a block at a time, and
a restart starts above it. The backlog is bounded and in memory: a client that was away for
longer reloads its view.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import msgspec

log = logging.getLogger("desk.events")

BACKLOG = 2000
FLOOR_FILENAME = "event-id-floor"
FLOOR_BLOCK = 1_000_000  # ids reserved per write of the floor file


class IdFloor:
    """A number in a file, above every event id this data dir has handed out."""

    def __init__(self, path: os.PathLike[str] | str) -> None:
        self.path = os.fspath(path)

    def read(self) -> int:
        try:
            with open(self.path) as handle:
                return max(0, int(handle.read().strip() or 0))
        except (OSError, ValueError):
            return 0

    def write(self, value: int) -> bool:
        """Replace the number (whole or not at all); False when the disk refused."""
        partial = self.path + ".partial"
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(f"{value}\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(partial, self.path)
        except OSError as exc:
            log.warning("could not keep the event id floor in %s: %s", self.path, exc)
            return False
        return True


STREAM_END = "stream.end"  # never published: delivered to a stream to end it
MAX_STREAMS_PER_SESSION = 8  # tabs; more is a loop or an attack (the oldest is closed)


class Event(msgspec.Struct, frozen=True):
    id: int
    kind: str  # "conversation.created", "conversation.updated", "message.created", ...
    data: Any  # the object as the REST API returns it
    private: bool = False  # notes and activity: for agents only, never for a contact's widget
    agent_id: int | None = None  # for this agent's streams only (their notifications)
    # `data` as JSON, encoded once by the publisher for every stream (None: nobody was
    # streaming, or it would not encode; a stream then encodes it itself).
    json: bytes | None = None


Listener = Callable[[Event], None]


class Inbox:
    """A stream's queue, on the stream's loop, with one reader: events in order, the oldest
    dropped past `size` (a stuck client). Lighter than asyncio.Queue, whose every put and get
    was several calls, for each of 50 streams and every event."""

    def __init__(self, size: int) -> None:
        self._events: deque[Event] = deque(maxlen=size)  # past maxlen, append drops the oldest
        self._waiter: asyncio.Future[None] | None = None

    def empty(self) -> bool:
        return not self._events

    def put_nowait(self, event: Event) -> None:
        self._events.append(event)
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def take(self, limit: int) -> list[Event]:
        """Up to `limit` events, oldest first, without waiting."""
        events = self._events
        return [events.popleft() for _ in range(min(limit, len(events)))]

    def clear(self) -> None:
        self._events.clear()

    async def get(self) -> Event:
        while not self._events:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._events.popleft()


class Subscription:
    """One stream's queue. Iterate with `await subscription.next()`; an event of kind
    STREAM_END asks the stream to finish. `session_id` and `agent_id` say whose stream it is,
    so ending a session ends its streams."""

    def __init__(
        self,
        bus: EventBus,
        loop: asyncio.AbstractEventLoop,
        session_id: int | None = None,
        agent_id: int | None = None,
    ) -> None:
        self._bus = bus
        self._loop = loop
        self.session_id = session_id
        self.agent_id = agent_id
        self.queue = Inbox(10_000)

    def end(self) -> None:
        """Ask the stream to finish (from any thread): it ends before any queued event."""
        self._bus.unsubscribe(self)  # nothing more is delivered to it
        with contextlib.suppress(RuntimeError):  # the loop is closed: the stream is gone
            self._loop.call_soon_threadsafe(self._end)

    def _end(self) -> None:
        self.queue.clear()  # a revoked stream gets nothing more, not even its backlog
        self.queue.put_nowait(Event(id=0, kind=STREAM_END, data=None))

    def _put(self, event: Event) -> None:
        self.queue.put_nowait(event)  # a stuck client: the oldest goes rather than grow forever

    async def next(self) -> Event:
        return await self.queue.get()

    def ready(self, limit: int) -> list[Event]:
        """Up to `limit` events already queued, without waiting (on the stream's loop)."""
        return self.queue.take(limit)

    def close(self) -> None:
        self._bus.unsubscribe(self)


class EventBus:
    def __init__(
        self, backlog: int = BACKLOG, first_id: int | None = None, floor: IdFloor | None = None
    ) -> None:
        self._lock = threading.Lock()
        self._last_id = first_id if first_id is not None else int(time.time() * 1000)
        self._floor = floor
        self._reserved = 0
        if floor is not None:
            self._last_id = max(self._last_id, floor.read())
            self._reserve()
        self._backlog: deque[Event] = deque(maxlen=backlog)
        self._subscriptions: dict[Subscription, None] = {}  # in the order they opened
        self._listeners: list[Listener] = []

    def publish(
        self,
        kind: str,
        data: Any,
        *,
        private: bool = False,
        agent_id: int | None = None,
        transient: bool = False,
    ) -> Event:
        """Send an event to every stream and listener (with `agent_id`: private, and for that
        agent's streams only). Call only after the commit. A `transient` event (presence) is
        not kept in the backlog: replayed after a reconnect it would be stale."""
        encoded = _encode(data) if self._subscriptions else None  # off the streams' loop
        with self._lock:
            self._last_id += 1
            if self._floor is not None and self._last_id >= self._reserved:
                self._reserve()
            event = Event(
                id=self._last_id,
                kind=kind,
                data=data,
                private=private or agent_id is not None,
                agent_id=agent_id,
                json=encoded,
            )
            if not transient:
                self._backlog.append(event)
            subscriptions = list(self._subscriptions)
            listeners = list(self._listeners)
        _deliver([s for s in subscriptions if agent_id is None or s.agent_id == agent_id], event)
        for listener in listeners:
            try:
                listener(event)
            except Exception:
                log.exception("event listener failed on %s", kind)
        return event

    @property
    def last_id(self) -> int:
        return self._last_id

    def _reserve(self) -> None:
        """Write a floor a block above the last id (rarely: once per FLOOR_BLOCK events)."""
        assert self._floor is not None
        wanted = self._last_id + FLOOR_BLOCK
        if self._floor.write(wanted):
            self._reserved = wanted
        else:  # try again at the next event; ids still grow within this process
            self._reserved = self._last_id + 1

    def subscribe(
        self,
        last_event_id: int | None = None,
        *,
        session_id: int | None = None,
        agent_id: int | None = None,
    ) -> Subscription:
        """A new stream on the running loop, first fed what it missed after `last_event_id`.
        A session's streams beyond MAX_STREAMS_PER_SESSION end, oldest first."""
        subscription = Subscription(self, asyncio.get_running_loop(), session_id, agent_id)
        with self._lock:
            missed = [
                e
                for e in self._backlog
                if last_event_id is not None
                and e.id > last_event_id
                and (e.agent_id is None or e.agent_id == agent_id)
            ]
            same_session = [
                s
                for s in self._subscriptions
                if session_id is not None and s.session_id == session_id
            ]
            self._subscriptions[subscription] = None
        for old in same_session[: max(0, len(same_session) + 1 - MAX_STREAMS_PER_SESSION)]:
            old.end()
        for event in missed:
            subscription._put(event)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            self._subscriptions.pop(subscription, None)

    def end_streams(
        self,
        *,
        session_id: int | None = None,
        agent_id: int | None = None,
        keep_session_id: int | None = None,
        everyone: bool = False,
    ) -> int:
        """End the streams of a session, or of an agent (but `keep_session_id`'s), or all of
        them (`everyone`: the server is stopping). Call after the commit that ended the
        sessions. Returns how many were asked to end."""
        with self._lock:
            chosen = [
                s
                for s in self._subscriptions
                if everyone
                or (session_id is not None and s.session_id == session_id)
                or (
                    agent_id is not None
                    and s.agent_id == agent_id
                    and (keep_session_id is None or s.session_id != keep_session_id)
                )
            ]
        for subscription in chosen:
            subscription.end()
        return len(chosen)

    def add_listener(self, listener: Listener) -> None:
        with self._lock:
            self._listeners.append(listener)


def _encode(data: Any) -> bytes | None:
    try:
        return msgspec.json.encode(data)
    except (TypeError, ValueError, msgspec.EncodeError):  # the stream raises it, as before
        return None


def _deliver(subscriptions: list[Subscription], event: Event) -> None:
    """Queue `event` on each stream with one wake-up of each event loop, not one per stream
    (50 agents' streams on one loop were 50 wake-ups per event)."""
    by_loop: dict[asyncio.AbstractEventLoop, list[Subscription]] = {}
    for subscription in subscriptions:
        by_loop.setdefault(subscription._loop, []).append(subscription)
    for loop, on_loop in by_loop.items():
        try:
            loop.call_soon_threadsafe(_put_each, on_loop, event)
        except RuntimeError:  # the loop is closed: its streams are gone
            for subscription in on_loop:
                subscription.close()


def _put_each(subscriptions: list[Subscription], event: Event) -> None:
    for subscription in subscriptions:
        subscription._put(event)
