"""The SQL behind analytics: every figure is aggregated here, nothing per row in Python.

Times are stored in UTC; the caller passes `LocalTime`, the workspace zone's UTC offsets over
the range (a handful of DST changes at most), and each query turns a UTC timestamp into local
time with one CASE expression. Messages are counted from `message_counts` (per quarter-hour,
kept by triggers), never by scanning the messages table.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import msgspec


class LocalTime(msgspec.Struct, frozen=True):
    """UTC offsets (seconds) of the workspace zone: `offsets[i]` applies before
    `boundaries[i]` (UTC ISO instants, ascending), `offsets[-1]` after the last one."""

    boundaries: list[str]
    offsets: list[int]


class Window(msgspec.Struct, frozen=True):
    """[start, end) in UTC ISO, and the zone's offsets inside it."""

    start: str
    end: str
    local: LocalTime


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


def _local_epoch(column: str, local: LocalTime, width: int) -> tuple[str, list[Any]]:
    """SQL for the local wall-clock time of `column` as seconds since the epoch.
    `width` cuts the boundaries to the column's format (16 for quarter-hour buckets)."""
    if not local.boundaries:
        return f"(unixepoch({column}) + ?)", [local.offsets[0]]
    sql = f"(unixepoch({column}) + CASE"
    params: list[Any] = []
    for boundary, offset in zip(local.boundaries, local.offsets, strict=False):
        sql += f" WHEN {column} < ? THEN ?"
        params += [boundary[:width], offset]
    return sql + " ELSE ? END)", [*params, local.offsets[-1]]


def conversations_by_day(conn: sqlite3.Connection, window: Window, column: str) -> dict[str, int]:
    """Conversations created (`created_at`) or resolved (`resolved_at`) per local day."""
    assert column in ("created_at", "resolved_at")
    local, params = _local_epoch(column, window.local, 20)
    resolved_only = " AND status = 'resolved'" if column == "resolved_at" else ""
    rows = conn.execute(
        f"SELECT date({local}, 'unixepoch'), count(*) FROM conversations"
        f" WHERE {column} >= ? AND {column} < ?{resolved_only} GROUP BY 1",
        [*params, window.start, window.end],
    )
    return {row[0]: int(row[1]) for row in rows}


def messages_by_day(conn: sqlite3.Connection, window: Window) -> dict[tuple[str, str], int]:
    """Incoming and outgoing messages per (local day, type)."""
    local, params = _local_epoch("bucket", window.local, 16)
    rows = conn.execute(
        f"SELECT date({local}, 'unixepoch'), type, sum(n) FROM message_counts"
        " WHERE bucket >= ? AND bucket < ? GROUP BY 1, 2",
        [*params, window.start[:16], window.end[:16]],
    )
    return {(row[0], row[1]): int(row[2]) for row in rows}


def incoming_by_hour(conn: sqlite3.Connection, window: Window) -> list[list[int]]:
    """Incoming messages per local weekday (Monday first) and hour: 7 rows of 24."""
    local, params = _local_epoch("bucket", window.local, 16)
    rows = conn.execute(
        f"SELECT (CAST(strftime('%w', {local}, 'unixepoch') AS INTEGER) + 6) % 7,"
        f" CAST(strftime('%H', {local}, 'unixepoch') AS INTEGER), sum(n)"
        " FROM message_counts WHERE type = 'incoming' AND bucket >= ? AND bucket < ?"
        " GROUP BY 1, 2",
        [*params, *params, window.start[:16], window.end[:16]],
    )
    grid = [[0] * 24 for _ in range(7)]
    for weekday, hour, count in rows:
        grid[weekday][hour] = int(count)
    return grid


def open_now(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT count(*) FROM conversations WHERE status != 'resolved'")
    return int(row.fetchone()[0])


_FIRST_RESPONSE = (
    "SELECT {group} AS g, max(0, unixepoch(first_reply_at) - unixepoch(first_incoming_at)) AS s"
    " FROM conversations WHERE first_reply_at >= ? AND first_reply_at < ?"
    " AND first_incoming_at IS NOT NULL"
)
_RESOLUTION = (
    "SELECT {group} AS g, max(0, unixepoch(resolved_at) - unixepoch(created_at)) AS s"
    " FROM conversations WHERE resolved_at >= ? AND resolved_at < ? AND status = 'resolved'"
)


def _percentiles(
    conn: sqlite3.Connection, durations: str, window: Window, by_assignee: bool
) -> dict[int, Percentiles]:
    """Median and p90 of a duration, overall (key 0) or per assignee, in one window query."""
    sql = durations.format(group="coalesce(assignee_id, 0)" if by_assignee else "0")
    rows = conn.execute(
        f"WITH d AS ({sql}), r AS (SELECT g, s, row_number() OVER w - 1 AS i,"
        " count(*) OVER (PARTITION BY g) AS n FROM d WINDOW w AS (PARTITION BY g ORDER BY s))"
        " SELECT g, n, i, s FROM r WHERE i IN ((n - 1) / 2, (n - 1) / 2 + 1,"
        " (n - 1) * 9 / 10, (n - 1) * 9 / 10 + 1)",
        [window.start, window.end],
    )
    ranked: dict[int, tuple[int, dict[int, int]]] = {}
    for group, n, index, seconds in rows:
        ranked.setdefault(group, (n, {}))[1][index] = seconds
    return {group: _interpolate(n, at) for group, (n, at) in ranked.items()}


def _interpolate(n: int, at: dict[int, int]) -> Percentiles:
    values: dict[float, float] = {}
    for p in (0.5, 0.9):
        position = (n - 1) * p
        low = int(position)
        high = at.get(low + 1, at[low])
        values[p] = at[low] + (high - at[low]) * (position - low)
    return Percentiles(count=n, values=values)


def first_response(
    conn: sqlite3.Connection, window: Window, by_assignee: bool = False
) -> dict[int, Percentiles]:
    """First agent reply minus first incoming, for conversations first answered in the window."""
    return _percentiles(conn, _FIRST_RESPONSE, window, by_assignee)


def resolution(conn: sqlite3.Connection, window: Window) -> Percentiles | None:
    """Resolved minus created, for conversations (still) resolved in the window."""
    return _percentiles(conn, _RESOLUTION, window, False).get(0)


def channels(conn: sqlite3.Connection) -> list[Named]:
    rows = conn.execute("SELECT id, name, type FROM channels ORDER BY id")
    return [Named(id=r[0], name=r[1], kind=r[2]) for r in rows]


def agents(conn: sqlite3.Connection) -> list[Named]:
    rows = conn.execute("SELECT id, name FROM agents ORDER BY name COLLATE NOCASE, id")
    return [Named(id=r[0], name=r[1]) for r in rows]


def new_by(conn: sqlite3.Connection, window: Window, column: str) -> dict[int, int]:
    """Conversations created in the window per channel_id or assignee_id."""
    assert column in ("channel_id", "assignee_id")
    rows = conn.execute(
        f"SELECT {column}, count(*) FROM conversations"
        " WHERE created_at >= ? AND created_at < ? GROUP BY 1",
        [window.start, window.end],
    )
    return {row[0]: int(row[1]) for row in rows if row[0] is not None}


def resolved_by_assignee(conn: sqlite3.Connection, window: Window) -> dict[int, int]:
    rows = conn.execute(
        "SELECT assignee_id, count(*) FROM conversations WHERE resolved_at >= ?"
        " AND resolved_at < ? AND status = 'resolved' AND assignee_id IS NOT NULL GROUP BY 1",
        [window.start, window.end],
    )
    return {row[0]: int(row[1]) for row in rows}


def replies_by_agent(conn: sqlite3.Connection, window: Window) -> dict[int, int]:
    rows = conn.execute(
        "SELECT sender_id, sum(n) FROM message_counts WHERE bucket >= ? AND bucket < ?"
        " AND type = 'outgoing' AND sender_type = 'agent' GROUP BY 1",
        [window.start[:16], window.end[:16]],
    )
    return {row[0]: int(row[1]) for row in rows}


def tags(conn: sqlite3.Connection, window: Window, limit: int) -> list[tuple[str, int]]:
    """Tags of the conversations created in the window, most used first."""
    rows = conn.execute(
        "SELECT t.tag, count(*) FROM conversations AS c"
        " JOIN conversation_tags AS t ON t.conversation_id = c.id"
        " WHERE c.created_at >= ? AND c.created_at < ? GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?",
        [window.start, window.end, limit],
    )
    return [(row[0], int(row[1])) for row in rows]
