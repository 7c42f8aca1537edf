"""The analytics answer, and the figures the store aggregates for it."""

from __future__ import annotations

import msgspec


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


class LocalTime(msgspec.Struct, frozen=True):
    """UTC offsets (seconds) of the workspace zone: `offsets[i]` applies before
    `boundaries[i]` (UTC ISO instants, ascending), `offsets[-1]` after the last one."""

    boundaries: list[str]
    offsets: list[int]


class Window(msgspec.Struct, frozen=True):
    """[start, end) in UTC ISO, the zone's offsets inside it, and the UTC instants at which
    each local day of the window starts (`days + 1` of them: the last one is `end`)."""

    start: str
    end: str
    local: LocalTime
    day_starts: list[str]


class DayCounts(msgspec.Struct, kw_only=True):
    date: str
    new: int = 0
    resolved: int = 0
    messages_in: int = 0
    messages_out: int = 0


class Percentiles(msgspec.Struct, kw_only=True):
    """Linear-interpolated percentiles (like numpy's default) of durations in seconds."""

    count: int
    values: dict[float, float]


class Named(msgspec.Struct, kw_only=True):
    id: int
    name: str
    kind: str = ""
