"""The event bus: ordering, replay after Last-Event-ID, thread-safe delivery, listeners."""

from __future__ import annotations

import asyncio
import threading
import time

import msgspec
from litestar.response import ServerSentEventMessage

from desk.api.events import wire_form
from desk.services.events import Event, EventBus, Inbox


def test_ids_increase_and_listeners_hear_every_event() -> None:
    bus = EventBus(first_id=100)
    heard: list[Event] = []
    bus.add_listener(heard.append)
    first = bus.publish("conversation.created", {"id": 1})
    second = bus.publish("message.created", {"id": 2}, private=True)
    assert (first.id, second.id) == (101, 102)
    assert [e.kind for e in heard] == ["conversation.created", "message.created"]
    assert heard[1].private


def test_a_failing_listener_does_not_stop_the_others() -> None:
    bus = EventBus()
    heard: list[str] = []

    def broken(_: Event) -> None:
        raise RuntimeError("boom")

    bus.add_listener(broken)
    bus.add_listener(lambda e: heard.append(e.kind))
    bus.publish("x", {})
    assert heard == ["x"]


def test_stream_replays_what_it_missed_then_gets_live_events_from_threads() -> None:
    bus = EventBus(first_id=0, backlog=3)
    for n in range(5):
        bus.publish("old", {"n": n})  # ids 1..5; only 3..5 stay in the backlog

    async def scenario() -> list[int]:
        subscription = bus.subscribe(last_event_id=3)
        worker = threading.Thread(target=lambda: bus.publish("new", {"n": 5}))
        worker.start()
        worker.join()
        got = [(await asyncio.wait_for(subscription.next(), 1)).id for _ in range(3)]
        subscription.close()
        return got

    assert asyncio.run(scenario()) == [4, 5, 6]


def test_ids_start_from_the_clock_so_they_grow_across_restarts() -> None:
    before_ms = int(time.time() * 1000)
    earlier = EventBus().publish("a", {}).id
    assert earlier > before_ms  # a bus counting from 0 would reuse ids after a restart
    assert EventBus().publish("b", {}).id >= earlier


def test_publishing_encodes_the_data_once_and_streams_write_it_as_litestar_would() -> None:
    bus = EventBus(first_id=0)
    data = {"body": "two\nlines\r\nand \u2028 é \x00", "n": 1}

    async def scenario() -> Event:
        subscription = bus.subscribe()
        bus.publish("message.created", data)
        await asyncio.sleep(0)  # the loop runs the delivery
        (event,) = subscription.ready(10)
        subscription.close()
        return event

    event = asyncio.run(scenario())
    assert event.json == msgspec.json.encode(data)
    litestar = ServerSentEventMessage(
        id=event.id, event=event.kind, data=msgspec.json.encode(data).decode()
    ).encode()
    assert wire_form(event) == litestar
    assert wire_form(Event(id=event.id, kind=event.kind, data=data)) == litestar  # not encoded


def test_a_stream_takes_what_queued_up_in_order_and_at_most_its_limit() -> None:
    bus = EventBus(first_id=0)

    async def scenario() -> tuple[list[int], list[int], list[int]]:
        subscription = bus.subscribe()
        for n in range(5):
            bus.publish("x", {"n": n})
        await asyncio.sleep(0)  # the loop runs the deliveries
        taken = ([e.id for e in subscription.ready(3)], [e.id for e in subscription.ready(3)])
        subscription.close()
        return *taken, [e.id for e in subscription.ready(3)]

    assert asyncio.run(scenario()) == ([1, 2, 3], [4, 5], [])


def test_a_stuck_stream_keeps_the_newest_events_and_a_waiting_one_wakes() -> None:
    async def scenario() -> tuple[list[int], int]:
        inbox = Inbox(3)
        for n in range(1, 6):
            inbox.put_nowait(Event(id=n, kind="x", data={}))
        kept = [e.id for e in inbox.take(10)]
        waiting = asyncio.ensure_future(inbox.get())
        await asyncio.sleep(0)
        assert not waiting.done()
        inbox.put_nowait(Event(id=6, kind="x", data={}))
        return kept, (await asyncio.wait_for(waiting, 1)).id

    assert asyncio.run(scenario()) == ([3, 4, 5], 6)
