"""Analytics: volume, first response, resolution, per day/channel/agent/tag, busiest hours.

Definitions (API.md):
- the range is `days` whole local days of the workspace timezone, the last one today;
- first response = first agent `outgoing` after the first `incoming` (kept on the conversation
  as `first_reply_at`; automation replies and notes never set it), counted for conversations
  first answered inside the range; an agent's median covers the conversations assigned to them;
- resolution = `resolved_at` (the last change to resolved) minus `created_at`, for
  conversations resolved inside the range that are still resolved;
- `new`, `assigned` and `by_channel`/`by_tag` count conversations created in the range;
  `messages_out` counts every outgoing message (automations included), `replies` an agent's own;
- `busiest_hours` counts incoming messages per local weekday (Monday first) and hour.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from desk.errors import Invalid
from desk.models.analytics import (
    AgentRow,
    Analytics,
    ChannelRow,
    DayCounts,
    Durations,
    LocalTime,
    Named,
    Percentiles,
    Range,
    TagRow,
    Totals,
    Window,
)
from desk.models.timestamps import iso, parse_iso
from desk.services import workspace
from desk.services.desk import Desk
from desk.store import analytics as store

MAX_DAYS = 365
TOP_TAGS = 25
CACHED = 16  # results kept per Desk (keyed by range and data fingerprint)


def _offset(zone: ZoneInfo, epoch: int) -> int:
    moment = datetime.fromtimestamp(epoch, UTC).astimezone(zone)
    delta = moment.utcoffset()
    return int(delta.total_seconds()) if delta else 0


def local_time(zone: ZoneInfo, start: datetime, end: datetime) -> LocalTime:
    """The zone's UTC offsets between two instants: checked day by day, each change located
    to the second by bisection (zones change at most twice a year)."""
    first, last = int(start.timestamp()), int(end.timestamp())
    boundaries: list[str] = []
    offsets = [_offset(zone, first)]
    day = first
    while day < last:
        following = min(day + 86400, last)
        if _offset(zone, following) != offsets[-1]:
            low, high = day, following
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (
                    (middle, high) if _offset(zone, middle) == offsets[-1] else (low, middle)
                )
            boundaries.append(iso(datetime.fromtimestamp(high, UTC)))
            offsets.append(_offset(zone, high))
        day = following
    return LocalTime(boundaries=boundaries, offsets=offsets)


def _window(zone: ZoneInfo, now: datetime, days: int) -> tuple[Window, list[str]]:
    today = now.astimezone(zone).date()
    dates = [today - timedelta(days=n) for n in range(days - 1, -1, -1)]
    starts = [
        iso(datetime.combine(d, time(0), tzinfo=zone)) for d in [*dates, today + timedelta(days=1)]
    ]
    local = local_time(zone, parse_iso(starts[0]), parse_iso(starts[-1]))
    window = Window(start=starts[0], end=starts[-1], local=local, day_starts=starts)
    return window, [d.isoformat() for d in dates]


def _durations(found: Percentiles | None) -> Durations:
    if found is None:
        return Durations(median=None, p90=None, count=0)
    return Durations(
        median=_seconds(found.values[0.5]), p90=_seconds(found.values[0.9]), count=found.count
    )


def _seconds(value: float) -> int:
    return int(value + 0.5)  # half up, not banker's rounding


def get_analytics(desk: Desk, days: int = 30) -> Analytics:
    if not 1 <= days <= MAX_DAYS:
        raise Invalid(f"days must be between 1 and {MAX_DAYS}.", "days")
    ws = workspace.get_workspace(desk)
    zone = ZoneInfo(ws.timezone)
    now = desk.now()
    window, dates = _window(zone, now, days)
    with desk.db.read() as conn:
        key = (days, ws.timezone, window.start, store.fingerprint(conn))
        cache: dict[tuple[Any, ...], Analytics] = _cache(desk)
        if key in cache:  # nothing changed since: same figures, only `to` moves
            found = cache[key]
            return msgspec.structs.replace(
                found, range=msgspec.structs.replace(found.range, to=iso(now))
            )
        result = _compute(conn, ws.timezone, window, dates, days, now)
    if len(cache) >= CACHED:
        cache.clear()
    cache[key] = result
    return result


def _cache(desk: Desk) -> dict[tuple[Any, ...], Analytics]:
    cache: dict[tuple[Any, ...], Analytics] = desk.shared("analytics.cache", dict)
    return cache


def _compute(
    conn: sqlite3.Connection,
    timezone: str,
    window: Window,
    dates: list[str],
    days: int,
    now: datetime,
) -> Analytics:
    by_day = _by_day(
        dates,
        store.created_by_day(conn, window),
        store.resolved_by_day(conn, window),
        store.messages_by_day(conn, window),
    )
    new = sum(d.new for d in by_day)
    created = store.created_by(conn, window)
    first = store.first_response(conn, window)
    resolution = store.resolution(conn, window)
    return Analytics(
        range=Range(days=days, from_=window.start, to=iso(now), timezone=timezone),
        totals=Totals(
            new_conversations=new,
            resolved=sum(d.resolved for d in by_day),
            open_now=store.open_now(conn),
            messages_in=sum(d.messages_in for d in by_day),
            messages_out=sum(d.messages_out for d in by_day),
        ),
        first_response_seconds=_durations(first.get(store.OVERALL)),
        resolution_seconds=_durations(resolution.get(store.OVERALL)),
        by_day=by_day,
        by_channel=_by_channel(store.channels(conn), _sum_by((c, n) for c, _, n in created)),
        by_agent=_by_agent(
            store.agents(conn),
            _sum_by((a, n) for _, a, n in created),
            {key: found.count for key, found in resolution.items()},
            store.replies_by_agent(conn, window),
            first,
        ),
        by_tag=_by_tag(conn, window, new),
        busiest_hours=store.incoming_by_hour(conn, window),
    )


def _by_tag(conn: sqlite3.Connection, window: Window, inside: int) -> list[TagRow]:
    """Tags of the conversations created in the window, most used first. When most
    conversations are inside the window, all tags minus those of the few outside it is the
    cheaper sum (joins are paid per conversation)."""
    outside = store.created_outside(conn, window)
    if outside < inside:
        counts = store.all_tags(conn)
        for start, end in (("0000", window.start), (window.end, "9999")):
            for tag, n in store.tags_created_between(conn, start, end).items():
                counts[tag] -= n
    else:
        counts = store.tags_created_between(conn, window.start, window.end)
    ranked = sorted(((-n, t) for t, n in counts.items() if n > 0))[:TOP_TAGS]
    return [TagRow(tag=t, conversations=-n) for n, t in ranked]


def _sum_by(pairs: Iterable[tuple[Any, int]]) -> dict[Any, int]:
    totals: dict[Any, int] = {}
    for key, count in pairs:
        totals[key] = totals.get(key, 0) + count
    return totals


def _by_day(
    dates: list[str],
    new: list[int],
    resolved: list[int],
    messages: dict[tuple[str, str], int],
) -> list[DayCounts]:
    return [
        DayCounts(
            date=d,
            new=new[i],
            resolved=resolved[i],
            messages_in=messages.get((d, "incoming"), 0),
            messages_out=messages.get((d, "outgoing"), 0),
        )
        for i, d in enumerate(dates)
    ]


def _by_channel(channels: list[Named], new: dict[Any, int]) -> list[ChannelRow]:
    rows = [
        ChannelRow(channel_id=c.id, channel_type=c.kind, name=c.name, new=new.get(c.id, 0))
        for c in channels
    ]
    return sorted(rows, key=lambda r: (-r.new, r.channel_id))


def _by_agent(
    agents: list[Named],
    assigned: dict[Any, int],
    resolved: dict[Any, int],
    replies: dict[int, int],
    first: dict[int, Percentiles],
) -> list[AgentRow]:
    return [
        AgentRow(
            agent_id=a.id,
            name=a.name,
            assigned=assigned.get(a.id, 0),
            resolved=resolved.get(a.id, 0),
            replies=replies.get(a.id, 0),
            first_response_median_seconds=_durations(first.get(a.id)).median,
        )
        for a in agents
    ]
