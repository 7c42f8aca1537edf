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
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import msgspec

from desk.errors import Invalid
from desk.models import iso
from desk.services import workspace
from desk.services.context import Desk
from desk.store import analytics as store
from desk.store.analytics import DayCounts, LocalTime, Percentiles, Window

MAX_DAYS = 365
TOP_TAGS = 25


class Range(msgspec.Struct, kw_only=True):
    days: int
    from_: str = msgspec.field(name="from")
    to: str
    timezone: str


class Totals(msgspec.Struct, kw_only=True):
    new_conversations: int
    resolved: int
    open_now: int
    messages_in: int
    messages_out: int


class Durations(msgspec.Struct, kw_only=True):
    median: int | None
    p90: int | None
    count: int


class ChannelRow(msgspec.Struct, kw_only=True):
    channel_id: int
    channel_type: str
    name: str
    new: int


class AgentRow(msgspec.Struct, kw_only=True):
    agent_id: int
    name: str
    assigned: int
    resolved: int
    replies: int
    first_response_median_seconds: int | None


class TagRow(msgspec.Struct, kw_only=True):
    tag: str
    conversations: int


class Analytics(msgspec.Struct, kw_only=True):
    range: Range
    totals: Totals
    first_response_seconds: Durations
    resolution_seconds: Durations
    by_day: list[DayCounts]
    by_channel: list[ChannelRow]
    by_agent: list[AgentRow]
    by_tag: list[TagRow]
    busiest_hours: list[list[int]]


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
    start = datetime.combine(dates[0], time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(today + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    window = Window(start=iso(start), end=iso(end), local=local_time(zone, start, end))
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
        by_day = _by_day(conn, window, dates)
        first = store.first_response(conn, window, by_assignee=True)
        overall = store.first_response(conn, window).get(0)
        totals = Totals(
            new_conversations=sum(d.new for d in by_day),
            resolved=sum(d.resolved for d in by_day),
            open_now=store.open_now(conn),
            messages_in=sum(d.messages_in for d in by_day),
            messages_out=sum(d.messages_out for d in by_day),
        )
        return Analytics(
            range=Range(days=days, from_=window.start, to=iso(now), timezone=ws.timezone),
            totals=totals,
            first_response_seconds=_durations(overall),
            resolution_seconds=_durations(store.resolution(conn, window)),
            by_day=by_day,
            by_channel=_by_channel(conn, window),
            by_agent=_by_agent(conn, window, first),
            by_tag=[TagRow(tag=t, conversations=n) for t, n in store.tags(conn, window, TOP_TAGS)],
            busiest_hours=store.incoming_by_hour(conn, window),
        )


def _by_day(conn: sqlite3.Connection, window: Window, dates: list[str]) -> list[DayCounts]:
    new = store.conversations_by_day(conn, window, "created_at")
    resolved = store.conversations_by_day(conn, window, "resolved_at")
    messages = store.messages_by_day(conn, window)
    return [
        DayCounts(
            date=d,
            new=new.get(d, 0),
            resolved=resolved.get(d, 0),
            messages_in=messages.get((d, "incoming"), 0),
            messages_out=messages.get((d, "outgoing"), 0),
        )
        for d in dates
    ]


def _by_channel(conn: sqlite3.Connection, window: Window) -> list[ChannelRow]:
    new = store.new_by(conn, window, "channel_id")
    rows = [
        ChannelRow(channel_id=c.id, channel_type=c.kind, name=c.name, new=new.get(c.id, 0))
        for c in store.channels(conn)
    ]
    return sorted(rows, key=lambda r: (-r.new, r.channel_id))


def _by_agent(
    conn: sqlite3.Connection, window: Window, first: dict[int, Percentiles]
) -> list[AgentRow]:
    assigned = store.new_by(conn, window, "assignee_id")
    resolved = store.resolved_by_assignee(conn, window)
    replies = store.replies_by_agent(conn, window)
    return [
        AgentRow(
            agent_id=a.id,
            name=a.name,
            assigned=assigned.get(a.id, 0),
            resolved=resolved.get(a.id, 0),
            replies=replies.get(a.id, 0),
            first_response_median_seconds=_durations(first.get(a.id)).median,
        )
        for a in store.agents(conn)
    ]
