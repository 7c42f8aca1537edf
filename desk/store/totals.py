"""How many: totals cached until the database changes, the search total's cap, and the
counts of the inbox's views."""

from __future__ import annotations

import sqlite3
import threading

from desk.models.conversations import NOT_RESOLVED, Counts
from desk.store.conversations import marks
from desk.store.db import ReaderConnection

# Counting every match is the costly half of a filtered page (a common tag, a frequent word:
# thousands of rows). Reader connections (one per thread, query-only) keep their counts until
# the database changes: `PRAGMA data_version` moves whenever another connection commits, so a
# cached total is always the true one. The writer never caches (its own commits do not move
# its data_version).
_COUNT_CACHE_SIZE = 256
_local = threading.local()


def data_version(conn: sqlite3.Connection) -> int | None:
    """The version to cache counts under; None on the writer. Read it before anything else in
    the transaction, so the snapshot counted is never older than the version."""
    if not isinstance(conn, ReaderConnection):
        return None
    return int(conn.execute("PRAGMA data_version").fetchone()[0])


def count_cached(
    conn: sqlite3.Connection, version: int | None, sql: str, params: list[object]
) -> int:
    if version is None:
        return int(conn.execute(sql, params).fetchone()[0])
    # One cache per thread, for the one reader connection it holds (compared by identity:
    # another Desk's connection in the same thread, as in tests, starts afresh).
    entry: tuple[sqlite3.Connection | None, int, dict[str, int]]
    entry = getattr(_local, "counts", (None, -1, {}))
    owner, cached_version, cache = entry
    if owner is not conn or cached_version != version or len(cache) >= _COUNT_CACHE_SIZE:
        cache = {}
        _local.counts = (conn, version, cache)
    key = sql + "\x00" + repr(params)
    if key not in cache:
        cache[key] = int(conn.execute(sql, params).fetchone()[0])
    return cache[key]


# A search's total stops at this many (API.md: `total_capped`): a word in a fifth of a large
# inbox would otherwise be counted match by match on every change.
SEARCH_TOTAL_CAP = 10_000


def capped_count(sql: str) -> str:
    """`SELECT count(*) FROM x` counting at most SEARCH_TOTAL_CAP + 1 rows."""
    head = "SELECT count(*) FROM "
    assert sql.startswith(head)
    cap = SEARCH_TOTAL_CAP + 1
    return f"{head}(SELECT 1 FROM {sql.removeprefix(head)} LIMIT {cap})"


def counts(conn: sqlite3.Connection, agent_id: int) -> Counts:
    by_status = dict(
        conn.execute("SELECT status, count(*) FROM conversations GROUP BY status").fetchall()
    )
    statuses = marks(len(NOT_RESOLVED))
    mine, unassigned = conn.execute(
        f"SELECT (SELECT count(*) FROM conversations"
        f" WHERE assignee_id = ? AND status IN ({statuses})),"
        f" (SELECT count(*) FROM conversations"
        f" WHERE assignee_id IS NULL AND status IN ({statuses}))",
        (agent_id, *NOT_RESOLVED, *NOT_RESOLVED),
    ).fetchone()
    unread = conn.execute("SELECT count(*) FROM conversations WHERE unread_count > 0").fetchone()
    failed = conn.execute("SELECT count(*) FROM conversations WHERE failed_count > 0").fetchone()
    return Counts(
        failed=int(failed[0]),
        open_only=by_status.get("open", 0),
        mine=mine,
        unassigned=unassigned,
        open=sum(by_status.get(s, 0) for s in NOT_RESOLVED),
        pending=by_status.get("pending", 0),
        snoozed=by_status.get("snoozed", 0),
        resolved=by_status.get("resolved", 0),
        unread=int(unread[0]),
    )
