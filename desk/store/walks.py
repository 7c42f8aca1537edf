"""The inbox page as a union of walks: one per status (and per channel of a channel type), each
reading its own stretch of an index in the page's order and stopping after `offset + limit` rows.

SQLite walks an index in order only within one value of its leading column: for `status IN
('open', 'pending', 'snoozed')` it reads every unresolved conversation and sorts them all (a
temporary B-tree) to show 25, a fifth of the inbox for every page. Read as one sub-select per
status instead, each `ORDER BY … LIMIT offset + limit` along (status, the order's columns), the
page is among the first `offset + limit` rows of the walks together: those are sorted again (at
most walks * (offset + limit) rows) and cut. Filters the index does not hold (a tag, a priority
under another sort) are still checked row by row inside each walk, so the rows are the same.

`waiting_longest` puts open and pending conversations with an unanswered message first, the
longest wait first, then the rest by last activity: for those two statuses the waiting ones and
the others are two walks of (status, waiting_first_at, last_activity_at, id), each in order.
"""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

import msgspec

from desk.models.conversations import Filters, Status
from desk.store import totals

STATUSES: tuple[Status, ...] = ("open", "pending", "snoozed", "resolved")
_WAITING: tuple[Status, ...] = ("open", "pending")  # as in inbox._ORDER's waiting_longest
MAX_WALKS = 24  # more (a channel type with many channels): one walk, one sort
_ALIAS = "walks"

# With a status filter and nothing that narrows by its own index (a contact, an assignee, a
# channel), the status index in the page's order is the one to walk: SQLite reads each status's
# first rows in order and stops; a tag or a search is checked row by row. SQLite has no
# statistics to choose between indexes that are all "covering" here, hence the explicit choice.
STATUS_INDEX: dict[str, str] = {
    "last_activity_desc": "conversations_status_activity",
    "created_desc": "conversations_status_created",
    "created_asc": "conversations_status_created",
    "priority_desc": "conversations_status_priority",
    "waiting_longest": "conversations_status_waiting",
}
# The columns each order reads, all in its status index, so every walk reads the index alone.
COLUMNS: dict[str, str] = {
    "last_activity_desc": "c.id, c.last_activity_at",
    "created_desc": "c.id, c.created_at",
    "created_asc": "c.id, c.created_at",
    "priority_desc": "c.id, c.priority_rank, c.last_activity_at",
    "waiting_longest": "c.id, c.status, c.waiting_first_at, c.last_activity_at",
}
# Orders with an index over every status: with every status and nothing narrowing, one walk.
_ONE_WALK_FOR_ALL = ("last_activity_desc", "created_desc", "created_asc")
# Inside one waiting walk the page's first term (waiting or not) is constant, and so is
# waiting_first_at in the walk of those not waiting: each walk's order is the rest, which an
# index holds.
_WAITING_ORDER = "c.waiting_first_at, c.last_activity_at DESC, c.id DESC"
_NOT_WAITING_ORDER = "c.last_activity_at DESC, c.id DESC"
_ACTIVITY = "last_activity_desc"


class Walk(NamedTuple):
    filters: Filters  # one status, at most one channel
    condition: str  # added to the WHERE ("" or " AND …")
    order: str  # the walk's ORDER BY: the page's, less what is constant in the walk
    sort: str  # the sort whose index reads the walk in order


def split(filters: Filters, channel_ids: list[int] | None, order: str) -> list[Walk] | None:
    """The walks of a page whose ORDER BY is `order`, or None when one walk reads the page in
    order."""
    if filters.contact_id is not None or filters.failed is True or filters.match is not None:
        return None  # a contact's or the failed conversations are few: read and sorted
    statuses = STATUSES if filters.statuses is None else filters.statuses
    channels: list[int | None] = list(channel_ids) if channel_ids is not None else [None]
    sort = filters.sort
    waiting = sort == "waiting_longest"
    if not statuses or (not waiting and len(statuses) == 1 and len(channels) == 1):
        return None
    narrowed = channel_ids is not None or filters.assignee_id is not None or filters.unassigned
    if filters.statuses is None and filters.sort in _ONE_WALK_FOR_ALL and not narrowed:
        return None
    walks: list[Walk] = []
    for status in statuses:
        for channel in channels:
            part = msgspec.structs.replace(filters, statuses=(status,))
            if channel_ids is not None:
                part = msgspec.structs.replace(part, channel_type=None, channel_id=channel)
            if waiting and status in _WAITING:
                walks.append(
                    Walk(part, " AND c.waiting_first_at IS NOT NULL", _WAITING_ORDER, sort)
                )
                walks.append(
                    Walk(part, " AND c.waiting_first_at IS NULL", _NOT_WAITING_ORDER, _ACTIVITY)
                )
            else:
                walks.append(Walk(part, "", _WAITING_ORDER if waiting else order, sort))
    return walks if len(walks) <= MAX_WALKS else None


def short_list(
    conn: sqlite3.Connection, filters: Filters, total: int | None, wanted: int, walks: int
) -> bool:
    """Whether reading a whole list of `total` conversations from a filter's own index and
    sorting it costs less than `walks` walks of status indexes in order until `wanted` rows pass
    (about walks * wanted * walked / total rows, `walked` the conversations of the list's
    statuses; either way each row is looked up in the table, for the filter or for the sort's
    columns). Without a total (a pinned search), walk."""
    if total is None or total <= wanted:
        return total is not None
    walked = totals.tally_total(conn, Filters(statuses=filters.statuses), None)
    return total * total <= walks * wanted * walked


def narrowed_index(filters: Filters, sort: str, short: bool) -> str | None:
    """The index to read a page (or a walk) in `sort`'s order from when a filter has an index
    of its own, else None (store.inbox's choice). SQLite has no statistics to weigh them:
    without a hint it walks the status index in order, checking the filter on every row, which
    reads the whole status for a filter that few conversations pass.

    The failed conversations and a contact's are few: read and sorted. An assignee's or a
    channel's conversations of one status are in the order of last activity in their index;
    for another order, a `short` list (`short_list`) is read from it and sorted, a long one
    walked along the status index. So is a priority's, from (status, priority_rank, …)."""
    if filters.match is not None:
        return None  # a search's plan is store.inbox's
    if filters.failed is True:
        return "conversations_failed"
    if filters.contact_id is not None:
        return "conversations_contact"
    if filters.assignee_id is not None or filters.unassigned:
        own = "conversations_assignee"
    elif filters.channel_id is not None or filters.channel_type is not None:
        own = "conversations_channel_status"
    elif filters.priority is not None and filters.statuses is not None:  # (status, priority…)
        return "conversations_status_priority" if short else None
    else:
        return None
    return own if sort == _ACTIVITY or short else STATUS_INDEX[sort]


def union_sql(walks: list[str], order: str) -> str:
    """The first rows of every walk (each a `SELECT COLUMNS … LIMIT ?`), sorted again and cut
    (`LIMIT ? OFFSET ?`); `order` is the page's, on `c`."""
    union = " UNION ALL ".join(f"SELECT * FROM ({walk})" for walk in walks)
    again = order.replace("c.", f"{_ALIAS}.")
    return f"SELECT {_ALIAS}.* FROM ({union}) {_ALIAS} ORDER BY {again} LIMIT ? OFFSET ?"


_SCAFFOLDING = (
    "CO-ROUTINE", "COMPOUND QUERY", "LEFT-MOST SUBQUERY", "UNION ALL", "MERGE (UNION ALL)",
    "SCAN (subquery-",
)  # fmt: skip


def reading_steps(plan: list[str]) -> list[str]:
    """A query plan without a union's scaffolding (its co-routines and their scans): the steps
    that read rows, each walk's in turn, then the sort of their first rows."""
    return [
        step
        for step in plan
        if not step.startswith(_SCAFFOLDING) and step not in (f"SCAN {_ALIAS}", "LEFT", "RIGHT")
    ]
