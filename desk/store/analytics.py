"""The SQL behind analytics: every figure is aggregated here, nothing per row in Python.

Times are stored in UTC; the caller passes `LocalTime`, the workspace zone's UTC offsets over
the range (a handful of DST changes at most), and each query turns a UTC timestamp into local
time with one CASE expression. Messages are counted from `message_counts` (per quarter-hour,
kept by triggers), never by scanning the messages table; conversations through covering
indexes (m003), never their wide rows.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from typing import Any

import msgspec

from desk.models.analytics import LocalTime, Named, Percentiles, Window


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


def _day_counts(
    conn: sqlite3.Connection, window: Window, column: str, index: str, where: str
) -> list[int]:
    """Rows per local day of `column`, in day order: one index range count per day between
    that day's local midnights (exact in every zone, no per-row date arithmetic)."""
    bounds = msgspec.json.encode(window.day_starts).decode()
    rows = conn.execute(
        f"SELECT a.key, (SELECT count(*) FROM conversations INDEXED BY {index}"
        f"  WHERE {column} >= a.value AND {column} < b.value{where})"
        " FROM json_each(?) AS a JOIN json_each(?) AS b ON b.key = a.key + 1 ORDER BY a.key",
        [bounds, bounds],
    )
    return [int(row[1]) for row in rows]


_CREATED = ("created_at", "conversations_created_cover", "")
_RESOLVED = ("resolved_at", "conversations_resolution", " AND status = 'resolved'")


def created_by_day(conn: sqlite3.Connection, window: Window) -> list[int]:
    return _day_counts(conn, window, *_CREATED)


def resolved_by_day(conn: sqlite3.Connection, window: Window) -> list[int]:
    """Conversations resolved in the window and still resolved, per local day."""
    return _day_counts(conn, window, *_RESOLVED)


def created_by(conn: sqlite3.Connection, window: Window) -> list[tuple[int, int | None, int]]:
    """Conversations created in the window per (channel_id, assignee_id), in one scan of the
    covering index, counted in Python (cheaper than SQLite sorting 100k rows to group them)."""
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples, hashable
    rows = Counter(
        cursor.execute(
            "SELECT channel_id, assignee_id"
            " FROM conversations INDEXED BY conversations_created_cover"
            " WHERE created_at >= ? AND created_at < ?",
            [window.start, window.end],
        )
    )
    return [(int(channel), assignee, n) for (channel, assignee), n in rows.items()]


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


OVERALL = -1  # the group key of the figure over all conversations

# The selected expressions are those indexed by m006, written the same way: SQLite then reads
# the durations from the index instead of computing them per row.
_FIRST_RESPONSE = (
    "SELECT coalesce(assignee_id, 0) AS g,"
    " max(0, unixepoch(first_reply_at) - unixepoch(first_incoming_at)) AS s"
    " FROM conversations INDEXED BY conversations_first_response"
    " WHERE first_reply_at >= ? AND first_reply_at < ? AND first_incoming_at IS NOT NULL"
)
_RESOLUTION = (
    "SELECT coalesce(assignee_id, 0) AS g,"
    " max(0, unixepoch(resolved_at) - unixepoch(created_at)) AS s"
    " FROM conversations INDEXED BY conversations_resolution"
    " WHERE resolved_at >= ? AND resolved_at < ? AND status = 'resolved'"
)


def _percentiles(
    conn: sqlite3.Connection, durations: str, window: Window
) -> dict[int, Percentiles]:
    """Median and p90 of a duration OVERALL and per assignee (0: unassigned), from durations
    read off an index (m006) in index order. Python groups and sorts them: for 100k values
    that is faster than SQLite sorting by (assignee, duration), and several times faster
    than window functions."""
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples
    groups: dict[int, list[int]] = {}
    for key, seconds in cursor.execute(durations, [window.start, window.end]):
        found = groups.get(key)
        if found is None:
            groups[key] = [seconds]
        else:
            found.append(seconds)
    if not groups:
        return {}
    result: dict[int, Percentiles] = {}
    every: list[int] = []
    for key, values in groups.items():
        values.sort()
        result[key] = _interpolate(len(values), values)
        every += values
    every.sort()  # runs already sorted per group: a cheap merge
    result[OVERALL] = _interpolate(len(every), every)
    return result


def _interpolate(n: int, ordered: list[int]) -> Percentiles:
    values: dict[float, float] = {}
    for p in (0.5, 0.9):
        position = (n - 1) * p
        low = int(position)
        high = ordered[min(low + 1, n - 1)]
        values[p] = ordered[low] + (high - ordered[low]) * (position - low)
    return Percentiles(count=n, values=values)


def first_response(conn: sqlite3.Connection, window: Window) -> dict[int, Percentiles]:
    """First agent reply minus first incoming, for conversations first answered in the
    window: per assignee and OVERALL."""
    return _percentiles(conn, _FIRST_RESPONSE, window)


def resolution(conn: sqlite3.Connection, window: Window) -> dict[int, Percentiles]:
    """Resolved minus created, for conversations (still) resolved in the window: per
    assignee (whose `count` is how many they resolved) and OVERALL."""
    return _percentiles(conn, _RESOLUTION, window)


def channels(conn: sqlite3.Connection) -> list[Named]:
    rows = conn.execute("SELECT id, name, type FROM channels ORDER BY id")
    return [Named(id=r[0], name=r[1], kind=r[2]) for r in rows]


def agents(conn: sqlite3.Connection) -> list[Named]:
    rows = conn.execute("SELECT id, name FROM agents ORDER BY name COLLATE NOCASE, id")
    return [Named(id=r[0], name=r[1]) for r in rows]


def replies_by_agent(conn: sqlite3.Connection, window: Window) -> dict[int, int]:
    rows = conn.execute(
        "SELECT agent_id, sum(n) FROM agent_replies WHERE bucket >= ? AND bucket < ? GROUP BY 1",
        [window.start[:16], window.end[:16]],
    )
    return {row[0]: int(row[1]) for row in rows}


def tags_created_between(conn: sqlite3.Connection, start: str, end: str) -> dict[str, int]:
    """Tags of the conversations created in [start, end): how many conversations carry each."""
    rows = conn.execute(
        "SELECT t.tag, count(*) FROM conversations AS c INDEXED BY conversations_created"
        " JOIN conversation_tags AS t ON t.conversation_id = c.id"
        " WHERE c.created_at >= ? AND c.created_at < ? GROUP BY 1",
        [start, end],
    )
    return {row[0]: int(row[1]) for row in rows}


def all_tags(conn: sqlite3.Connection) -> dict[str, int]:
    """Every tag and its conversations: one ordered scan of the tag index, no join."""
    rows = conn.execute("SELECT tag, count(*) FROM conversation_tags GROUP BY 1")
    return {row[0]: int(row[1]) for row in rows}


def created_outside(conn: sqlite3.Connection, window: Window) -> int:
    row = conn.execute(
        "SELECT count(*) FROM conversations INDEXED BY conversations_created"
        " WHERE created_at < ? OR created_at >= ?",
        [window.start, window.end],
    ).fetchone()
    return int(row[0])


def fingerprint(conn: sqlite3.Connection) -> tuple[Any, ...]:
    """Changes whenever a figure can: every inbox change writes a message (replies, notes,
    activity lines for status, assignment, tags and priority); erasure drops conversations;
    agents and channels may be renamed; a reply that fails (or is retried) writes nothing new
    but moves the failed total (m010's partial index). A few index lookups, no scan of the wide
    tables."""
    row = conn.execute(
        "SELECT (SELECT max(id) FROM messages), (SELECT max(id) FROM conversations),"
        " (SELECT total(failed_count) FROM conversations WHERE failed_count > 0),"
        " (SELECT count(*) FROM conversations INDEXED BY conversations_created),"
        " (SELECT group_concat(id || ':' || name, '|') FROM agents),"
        " (SELECT group_concat(id || ':' || name || ':' || type, '|') FROM channels)"
    ).fetchone()
    return tuple(row)
