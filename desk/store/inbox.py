"""The inbox list: filters, orders, the page and its total (counted in `store.totals`).

Hand-written SQL, one statement for the page: the page of ids in a sub-select, on the
conversations table alone so SQLite walks one of its indexes in the requested order; around it
those rows with their channel, contact, assignee and tags (`store.conversations.select_sql`).
`total` counts with the same WHERE.
"""

from __future__ import annotations

import sqlite3

import msgspec

from desk.models.conversations import (
    NOT_RESOLVED,
    Conversation,
    Filters,
)
from desk.store import search as search_store
from desk.store import totals, walks
from desk.store.conversations import PRIORITY_RANK, get_many, marks, read_rows, select_sql
from desk.store.totals import capped_count, count_cached, data_version

_ORDER: dict[str, str] = {
    "last_activity_desc": "c.last_activity_at DESC, c.id DESC",
    "created_desc": "c.created_at DESC, c.id DESC",
    "created_asc": "c.created_at ASC, c.id ASC",
    "priority_desc": "c.priority_rank DESC, c.last_activity_at DESC, c.id DESC",
    # Waiting on us (open or pending with an unanswered message) first, the longest wait
    # first; then the rest by last activity.
    "waiting_longest": "(c.waiting_first_at IS NULL OR c.status NOT IN ('open', 'pending')),"
    " c.waiting_first_at, c.last_activity_at DESC, c.id DESC",
}


def _channel_ids(conn: sqlite3.Connection, filters: Filters) -> list[int] | None:
    """The channels to look in (None: all). A channel type becomes its channels' ids, so
    SQLite can walk the (channel_id, status, last_activity_at) index per channel."""
    if filters.channel_type is None:
        return None if filters.channel_id is None else [filters.channel_id]
    rows = conn.execute(
        "SELECT id FROM channels WHERE type = ? ORDER BY id", (filters.channel_type,)
    )
    ids = [int(row[0]) for row in rows]
    if filters.channel_id is not None:
        ids = [i for i in ids if i == filters.channel_id]
    return ids


def _where(
    conn: sqlite3.Connection, filters: Filters, counting: bool = False, search: bool = True
) -> tuple[str, list[object]] | None:
    """The WHERE clause and its parameters; None when nothing can match.

    A tag is checked row by row (a primary-key probe) while a page walks conversations in
    order; a count reads the tag's own index instead (see `_index_count`), so its cost
    follows how often the tag is used, not the size of the inbox.
    """
    clauses: list[str] = []
    params: list[object] = []
    if filters.tag is not None and counting and _tag_drives_count(filters):
        clauses.append("t.tag = ?")
        params.append(filters.tag)
    elif filters.tag is not None:
        clauses.append(
            "EXISTS (SELECT 1 FROM conversation_tags t WHERE t.conversation_id = c.id"
            " AND t.tag = ?)"
        )
        params.append(filters.tag)
    if filters.statuses is not None:
        clauses.append(f"c.status IN ({marks(len(filters.statuses))})")
        params.extend(filters.statuses)
    if filters.priority is not None:
        # The rank, not the name: (status, priority_rank, last_activity_at) is an index.
        clauses.append("c.priority_rank = ?")
        params.append(PRIORITY_RANK[filters.priority])
    channel_ids = _channel_ids(conn, filters)
    if channel_ids is not None:
        if not channel_ids:
            return None
        clauses.append(f"c.channel_id IN ({marks(len(channel_ids))})")
        params.extend(channel_ids)
    if filters.exclude_id is not None:
        clauses.append("c.id != ?")
        params.append(filters.exclude_id)
    if filters.unassigned:
        clauses.append("c.assignee_id IS NULL")
    elif filters.assignee_id is not None:
        clauses.append("c.assignee_id = ?")
        params.append(filters.assignee_id)
    if filters.contact_id is not None:
        clauses.append("c.contact_id = ?")
        params.append(filters.contact_id)
    if filters.match is not None and search:
        clauses.append(f"c.id IN ({search_store.matching_ids_sql()})")
        params.append(filters.match)
    if filters.failed is not None:  # the literal of m010's partial index, so SQLite uses it
        clauses.append("c.failed_count > 0" if filters.failed else "c.failed_count = 0")
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _narrowed(filters: Filters) -> bool:
    """A filter with an index of its own (contact, assignee, channel, failed) narrows the
    list."""
    return (
        filters.failed is True
        or filters.contact_id is not None
        or filters.assignee_id is not None
        or filters.unassigned
        or filters.channel_id is not None
        or filters.channel_type is not None
    )


def _tag_drives_count(filters: Filters) -> bool:
    return filters.tag is not None and not _narrowed(filters)


# Totals that never read the conversations table (migration 5). A tag's total counts its rows
# in the (tag, status) index, each row carrying its conversation's status. The default view's
# total under a search probes, for each match, the partial index of the unresolved conversations
# (≈20% of the inbox in a few dozen pages); SQLite uses a partial index only when the query
# repeats its WHERE, hence the literal (constants, not user input).
_UNRESOLVED = "c.status IN ('open', 'pending', 'snoozed')"


def _index_count(filters: Filters) -> tuple[str, list[object]] | None:
    """The total's query and parameters when indexes alone answer it, else None."""
    if filters.priority is not None or filters.failed is not None or _narrowed(filters):
        return None
    if filters.tag is not None:
        sql = "SELECT count(*) FROM conversation_tags t INDEXED BY conversation_tags_tag_status"
        sql += " WHERE t.tag = ?"
        params: list[object] = [filters.tag]
        if filters.statuses is not None:
            sql += f" AND t.status IN ({marks(len(filters.statuses))})"
            params.extend(filters.statuses)
        if filters.match is not None:  # `+`: walk the tag's rows, check each among the matches
            sql += f" AND +t.conversation_id IN ({search_store.matching_ids_sql()})"
            params.append(filters.match)
        return sql, params
    if filters.match is not None and set(filters.statuses or ()) == set(NOT_RESOLVED):
        return (
            f"SELECT count(*) FROM ({search_store.matching_ids_sql()}) m CROSS JOIN conversations"
            f" c INDEXED BY conversations_unresolved ON c.id = m.rowid WHERE {_UNRESOLVED}",
            [filters.match],
        )
    return None


def _status_index(filters: Filters, counting: bool) -> str | None:
    """The status index to walk, or None to let SQLite choose."""
    if filters.statuses is None or _narrowed(filters):
        return None
    if filters.priority is not None and (counting or filters.sort == "last_activity_desc"):
        return "conversations_status_priority"
    return "conversations_status_activity" if counting else walks.STATUS_INDEX[filters.sort]


# A search matching few conversations is fastest read from its matches (primary-key lookups,
# then a small sort); one matching many is fastest checked row by row while walking an index
# in the page's order, which stops after the page.
SELECTIVE_SEARCH = 2000
_ORDER_INDEX: dict[str, str] = {
    "last_activity_desc": "conversations_activity",
    "created_desc": "conversations_created",
    "created_asc": "conversations_created",
}


def _source(filters: Filters, matches: int | None, counting: bool) -> str:
    """The FROM of the page query (or of the count)."""
    if counting and _tag_drives_count(filters):  # CROSS JOIN keeps the tag index outermost
        return "conversation_tags t CROSS JOIN conversations c ON c.id = t.conversation_id"
    if matches is not None and matches <= SELECTIVE_SEARCH and not _narrowed(filters):
        return "conversations c NOT INDEXED"  # rowids from the search, looked up one by one
    index = _status_index(filters, counting)
    if index is None and filters.statuses is None and not counting and not _narrowed(filters):
        index = _ORDER_INDEX.get(filters.sort)
    return f"conversations c INDEXED BY {index}" if index else "conversations c"


def _page_sql(
    filters: Filters, matches: int | None, where: str, columns: str = "c.id", short: bool = False
) -> str:
    return (
        f"SELECT {columns} FROM {_walk_source(filters, matches, filters.sort, short)}{where}"
        f" ORDER BY {_ORDER[filters.sort]} LIMIT ? OFFSET ?"
    )


def _walk_source(filters: Filters, matches: int | None, sort: str, short: bool) -> str:
    """The FROM of a page read in `sort`'s order (`walks.narrowed_index`, else `_source`)."""
    index = walks.narrowed_index(filters, sort, short)
    return f"conversations c INDEXED BY {index}" if index else _source(filters, matches, False)


def _page_query(
    conn: sqlite3.Connection,
    filters: Filters,
    matches: int | None,
    limit: int,
    offset: int,
    columns: str = "c.id",
    total: int | None = None,
) -> tuple[str, list[object]] | None:
    """The page's ids in order (first column, then at least what the order reads) and the
    parameters, None when nothing matches: one walk of an index in the page's order, or one per
    status (`store.walks`)."""
    found = _where(conn, filters)
    if found is None:
        return None
    parts = walks.split(filters, _channel_ids(conn, filters), _ORDER[filters.sort])
    narrowed = _narrowed(filters) or filters.priority is not None
    count = len(parts) if parts else 1
    short = narrowed and walks.short_list(conn, filters, total, offset + limit, count)
    if parts is None:
        where, params = found
        return _page_sql(filters, matches, where, columns, short), [*params, limit, offset]
    sqls: list[str] = []
    params = []
    for part, condition, order, sort in parts:
        where, part_params = _where(conn, part) or ("", [])
        sqls.append(
            f"SELECT {walks.COLUMNS[filters.sort]} FROM {_walk_source(part, None, sort, short)}"
            f"{where}{condition} ORDER BY {order} LIMIT ?"
        )
        params += [*part_params, offset + limit]
    return walks.union_sql(sqls, _ORDER[filters.sort]), [*params, limit, offset]


def _rows_sql(filters: Filters, page: str) -> str:
    """The page's conversations in one statement: the page of ids (walking one index, see
    `_page_sql`) outermost (CROSS JOIN), each joined to its row, sorted again (25 rows)."""
    return (
        select_sql(f"({page}) page CROSS JOIN conversations c ON c.id = page.id")
        + f" ORDER BY {_ORDER[filters.sort]}"
    )


# A search matching a large share of the inbox (a common word) is answered without reading all
# its matches: walk the first rows of the list's index in order (a window of candidates) and
# ask the full-text index about each one (a probe by rowid, ~15 µs), keeping the first matches.
# Reading every match into a set instead costs ~0.35 µs a match: 70 ms for 200,000 matches at a
# million conversations, against ~4 ms of probes for a word in a fifth of them. The window is
# bounded; when it holds too few matches (the word is rare among recent conversations), the
# page is read again the usual way, so the answer never depends on the plan.
PROBE_COST = 43  # one probe costs about as much as reading this many matches
PROBE_WINDOW = 2000  # at most this many candidates probed (~30 ms)
_PROBE = "SELECT 1 FROM search_index s WHERE s.search_index MATCH ? AND s.rowid = c.id"


def _probe_window(
    conn: sqlite3.Connection, match: str, matches: int | None, limit: int, offset: int
) -> int | None:
    """How many candidates to probe for this page, or None to read the matches instead.

    Never for a prefix (`"questi"*`, the word being typed): FTS5 answers each probe of a
    prefix by merging the lists of every word it starts (milliseconds, not microseconds:
    250 probes of `"question"*` took 2.5 s at 100,000 conversations), so its matches are read
    once instead. A prefix spelt out as its words (`("question" OR "questions")`) is probed,
    each probe seeking every word."""
    if matches is None or matches <= SELECTIVE_SEARCH or match.endswith("*"):
        return None
    wanted = limit + offset
    words = 1 + match.count(" OR ")  # no word has a space: only ORs between words
    window = PROBE_WINDOW // words
    if matches > totals.SEARCH_TOTAL_CAP:  # a tenth or more of what is probed is expected to match
        return min(window, 10 * wanted)
    inbox = int(conn.execute("SELECT max(id) FROM conversations").fetchone()[0] or 0)
    expected = wanted * inbox // matches + 1  # candidates probed for `wanted` matches
    if expected * PROBE_COST * words >= matches:
        return None
    return min(window, 3 * expected)


def _probed_page_sql(filters: Filters, candidates: str) -> str:
    """The page's ids among the candidates: the first rows of the list without its search."""
    order = _ORDER[filters.sort]
    return (
        f"SELECT c.id FROM ({candidates}) c WHERE EXISTS ({_PROBE})"
        f" ORDER BY {order} LIMIT ? OFFSET ?"
    )


def _read_page(
    conn: sqlite3.Connection,
    filters: Filters,
    matches: int | None,
    total: int,
    limit: int,
    offset: int,
) -> list[Conversation]:
    assert matches is None or filters.match is not None
    window = _probe_window(conn, filters.match or "", matches, limit, offset)
    if window is not None:
        unsearched = msgspec.structs.replace(filters, match=None)
        found = _page_query(conn, unsearched, None, window, 0, walks.COLUMNS[filters.sort])
        assert found is not None and filters.match is not None
        candidates, params = found
        page = _probed_page_sql(filters, candidates)
        rows = read_rows(conn, _rows_sql(filters, page), [*params, filters.match, limit, offset])
        if len(rows) == min(limit, total - offset):  # the window held the whole page
            return rows
    found = _page_query(conn, filters, matches, limit, offset, total=total)
    assert found is not None  # the caller has a total
    page, params = found
    return read_rows(conn, _rows_sql(filters, page), params)


def _count_query(
    filters: Filters, matches: int | None, counted: tuple[str, list[object]]
) -> tuple[str, list[object]]:
    """The total's query: from indexes alone when they can answer, else with the same WHERE."""
    fast = _index_count(filters)
    if fast is not None:
        return fast
    where, params = counted
    return f"SELECT count(*) FROM {_source(filters, matches, counting=True)}{where}", params


def _only_search(filters: Filters) -> bool:
    """Every status and no filter but the search: its total is the number of matches."""
    return filters.statuses is None and filters == Filters(
        statuses=None, match=filters.match, sort=filters.sort
    )


def _matches(conn: sqlite3.Connection, version: int | None, filters: Filters) -> int | None:
    """How many conversations the search matches, counted up to SEARCH_TOTAL_CAP + 1."""
    if filters.match is None:
        return None
    sql = capped_count(f"SELECT count(*) FROM ({search_store.matching_ids_sql()})")
    return count_cached(conn, version, sql, [filters.match])


def list_conversations(
    conn: sqlite3.Connection, filters: Filters, *, limit: int, offset: int
) -> tuple[list[Conversation], int, bool]:
    """A page of the list, its total, and whether the total stopped at SEARCH_TOTAL_CAP (a
    search). With `pin_id` (a search that is a conversation's
    number) that conversation comes first when it passes the other filters, whether or not
    its text matches; the rest follow in order without it."""
    pin = filters.pin_id
    filters = msgspec.structs.replace(filters, pin_id=None)
    if pin is None or not _fits(conn, filters, pin):
        return _list_page(conn, filters, limit=limit, offset=offset)
    _, total, capped = _list_page(conn, filters, limit=0, offset=0)
    matched = filters.match is not None and search_store.document_matches(conn, filters.match, pin)
    total += 0 if matched or capped else 1
    rest = msgspec.structs.replace(filters, exclude_id=pin)
    if offset >= total and not capped:
        return [], total, capped
    if offset == 0:
        ids = [pin, *_page_ids(conn, rest, limit=limit - 1, offset=0)]
    else:
        ids = _page_ids(conn, rest, limit=limit, offset=offset - 1)
    return get_many(conn, ids), total, capped


def _fits(conn: sqlite3.Connection, filters: Filters, conversation_id: int) -> bool:
    """Whether a conversation passes every filter but the search."""
    found = _where(conn, msgspec.structs.replace(filters, match=None))
    if found is None:
        return False
    where, params = found
    sql = f"SELECT 1 FROM conversations c{where}{' AND' if where else ' WHERE'} c.id = ?"
    return conn.execute(sql, [*params, conversation_id]).fetchone() is not None


def _page_ids(conn: sqlite3.Connection, filters: Filters, *, limit: int, offset: int) -> list[int]:
    if limit <= 0:
        return []
    matches = _matches(conn, data_version(conn), filters)
    found = _page_query(conn, filters, matches, limit, offset)
    if found is None or matches == 0:
        return []
    sql, params = found
    return [int(row[0]) for row in conn.execute(sql, params)]


def _list_page(
    conn: sqlite3.Connection, filters: Filters, *, limit: int, offset: int
) -> tuple[list[Conversation], int, bool]:
    version = data_version(conn)
    matches = _matches(conn, version, filters)
    found = _where(conn, filters)
    counted = _where(conn, filters, counting=True)
    if found is None or counted is None or matches == 0:
        return [], 0, False
    if matches is not None and _only_search(filters):
        total = matches
    elif totals.tallied(filters):
        total = totals.tally_total(conn, filters, _channel_ids(conn, filters))
    else:
        sql, count_params = _count_query(filters, matches, counted)
        total = count_cached(conn, version, capped_count(sql) if matches else sql, count_params)
    capped = matches is not None and total > totals.SEARCH_TOTAL_CAP
    if capped:
        total = totals.SEARCH_TOTAL_CAP
    elif offset >= total:
        return [], total, False
    if limit <= 0:
        return [], total, capped
    return _read_page(conn, filters, matches, total, limit, offset), total, capped


def explain_list(conn: sqlite3.Connection, filters: Filters) -> list[str]:
    """The query plan of a list page (for tests and the benchmark: indexes, not scans), without
    the scaffolding of a union of walks (`walks.reading_steps`)."""
    matches = _matches(conn, None, filters)
    found = _page_query(conn, filters, matches, 25, 0)
    sql, params = found if found is not None else (_page_sql(filters, matches, ""), [25, 0])
    rows = conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)
    return walks.reading_steps([str(row["detail"]) for row in rows])


def explain_count(conn: sqlite3.Connection, filters: Filters) -> list[str]:
    """The query plan of a list's total."""
    counted = _where(conn, filters, counting=True) or ("", [])
    sql, params = _count_query(filters, _matches(conn, None, filters), counted)
    rows = conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)
    return [str(row["detail"]) for row in rows]
