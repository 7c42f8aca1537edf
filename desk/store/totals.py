"""How many: totals cached until the database changes, the search total's cap, and the
counts of the inbox's views."""

from __future__ import annotations

import sqlite3
import threading

from desk.models.conversations import NOT_RESOLVED, Counts, Filters
from desk.store.conversations import PRIORITY_RANK, marks
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
    """The views' numbers, summed from `conversation_tally` (migration 22): a few hundred rows,
    however large the inbox."""
    unresolved = f"status IN ({marks(len(NOT_RESOLVED))})"
    row = conn.execute(
        "SELECT coalesce(sum(n) FILTER (WHERE status = 'open'), 0),"
        " coalesce(sum(n) FILTER (WHERE status = 'pending'), 0),"
        " coalesce(sum(n) FILTER (WHERE status = 'snoozed'), 0),"
        " coalesce(sum(n) FILTER (WHERE status = 'resolved'), 0),"
        f" coalesce(sum(n) FILTER (WHERE assignee_id = ? AND {unresolved}), 0),"
        f" coalesce(sum(n) FILTER (WHERE assignee_id = 0 AND {unresolved}), 0),"
        " coalesce(sum(n) FILTER (WHERE unread), 0),"
        " coalesce(sum(n) FILTER (WHERE failed), 0)"
        " FROM conversation_tally",
        (agent_id, *NOT_RESOLVED, *NOT_RESOLVED),
    ).fetchone()
    open_only, pending, snoozed, resolved, mine, unassigned, unread, failed = map(int, row)
    return Counts(
        failed=failed,
        open_only=open_only,
        mine=mine,
        unassigned=unassigned,
        open=open_only + pending + snoozed,
        pending=pending,
        snoozed=snoozed,
        resolved=resolved,
        unread=unread,
    )


def tallied(filters: Filters) -> bool:
    """Whether `conversation_tally` can total this list: filtered only by status, priority,
    channel, assignee and failed replies."""
    return (
        filters.match is None
        and filters.tag is None
        and filters.contact_id is None
        and filters.exclude_id is None
        and filters.pin_id is None
    )


def tally_total(conn: sqlite3.Connection, filters: Filters, channel_ids: list[int] | None) -> int:
    """The total of a list that `tallied` accepts (`channel_ids`: its channels, None for all)."""
    clauses: list[str] = []
    params: list[object] = []
    if filters.statuses is not None:
        clauses.append(f"status IN ({marks(len(filters.statuses))})")
        params.extend(filters.statuses)
    if filters.priority is not None:
        clauses.append("priority_rank = ?")
        params.append(PRIORITY_RANK[filters.priority])
    if channel_ids is not None:
        clauses.append(f"channel_id IN ({marks(len(channel_ids))})")
        params.extend(channel_ids)
    if filters.unassigned:
        clauses.append("assignee_id = 0")
    elif filters.assignee_id is not None:
        clauses.append("assignee_id = ?")
        params.append(filters.assignee_id)
    if filters.failed is not None:
        clauses.append(f"failed = {int(filters.failed)}")
    where = " WHERE " + " AND ".join(clauses) if clauses else ""
    row = conn.execute(f"SELECT coalesce(sum(n), 0) FROM conversation_tally{where}", params)
    return int(row.fetchone()[0])
