"""The conversations table: one denormalised row per conversation (see m002's docstring).

The inbox list is hand-written SQL in two steps: first the page of ids, on the conversations
table alone so SQLite walks one of its indexes in the requested order; then those rows with
their channel, contact, assignee and tags. `total` counts with the same WHERE.
"""

from __future__ import annotations

import sqlite3
from typing import Literal

import msgspec

from desk.store import search as search_store

Status = Literal["open", "pending", "snoozed", "resolved"]
Priority = Literal["low", "normal", "high", "urgent"]
Sort = Literal["last_activity_desc", "created_desc", "created_asc", "priority_desc"]

PRIORITY_RANK: dict[str, int] = {"low": 0, "normal": 1, "high": 2, "urgent": 3}
NOT_RESOLVED: tuple[Status, ...] = ("open", "pending", "snoozed")

_ORDER: dict[str, str] = {
    "last_activity_desc": "c.last_activity_at DESC, c.id DESC",
    "created_desc": "c.created_at DESC, c.id DESC",
    "created_asc": "c.created_at ASC, c.id ASC",
    "priority_desc": "c.priority_rank DESC, c.last_activity_at DESC, c.id DESC",
}


class ContactRef(msgspec.Struct, kw_only=True):
    id: int
    name: str | None
    email: str | None


class AgentRef(msgspec.Struct, kw_only=True):
    id: int
    name: str


class LastMessage(msgspec.Struct, kw_only=True):
    id: int
    type: str
    preview: str
    created_at: str


class Conversation(msgspec.Struct, kw_only=True):
    """A conversation exactly as the API returns it."""

    id: int
    subject: str
    status: Status
    snoozed_until: str | None
    priority: Priority
    channel_id: int
    channel_type: str
    channel_name: str
    contact: ContactRef
    assignee: AgentRef | None
    tags: list[str]
    unread_count: int
    last_message: LastMessage | None
    created_at: str
    updated_at: str
    last_activity_at: str


class Filters(msgspec.Struct, kw_only=True):
    """What the inbox list asks for; every field already validated by the service."""

    statuses: tuple[Status, ...] | None = NOT_RESOLVED  # None: every status
    channel_type: str | None = None
    channel_id: int | None = None
    tag: str | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    contact_id: int | None = None
    priority: Priority | None = None
    match: str | None = None  # an FTS5 query over search_index
    sort: Sort = "last_activity_desc"


_SELECT = """
SELECT c.id, c.subject, c.status, c.snoozed_until, c.priority, c.channel_id,
       ch.type AS channel_type, ch.name AS channel_name,
       c.contact_id, p.name AS contact_name, p.email AS contact_email,
       c.assignee_id, a.name AS assignee_name, c.unread_count,
       c.last_message_id, c.last_message_type, c.last_message_preview, c.last_message_at,
       c.created_at, c.updated_at, c.last_activity_at
FROM conversations c
JOIN channels ch ON ch.id = c.channel_id
JOIN contacts p ON p.id = c.contact_id
LEFT JOIN agents a ON a.id = c.assignee_id
"""


def _conversation(row: sqlite3.Row, tags: list[str]) -> Conversation:
    last = None
    if row["last_message_id"] is not None:
        last = LastMessage(
            id=row["last_message_id"],
            type=row["last_message_type"],
            preview=row["last_message_preview"] or "",
            created_at=row["last_message_at"],
        )
    assignee = None
    if row["assignee_id"] is not None:
        assignee = AgentRef(id=row["assignee_id"], name=row["assignee_name"])
    return Conversation(
        id=row["id"],
        subject=row["subject"],
        status=row["status"],
        snoozed_until=row["snoozed_until"] if row["status"] == "snoozed" else None,
        priority=row["priority"],
        channel_id=row["channel_id"],
        channel_type=row["channel_type"],
        channel_name=row["channel_name"],
        contact=ContactRef(
            id=row["contact_id"], name=row["contact_name"], email=row["contact_email"]
        ),
        assignee=assignee,
        tags=tags,
        unread_count=row["unread_count"],
        last_message=last,
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        last_activity_at=row["last_activity_at"],
    )


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def _tags_of(conn: sqlite3.Connection, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {i: [] for i in ids}
    rows = conn.execute(
        f"SELECT conversation_id, tag FROM conversation_tags WHERE conversation_id IN"
        f" ({_marks(len(ids))}) ORDER BY tag",
        ids,
    )
    for row in rows:
        found[row[0]].append(row[1])
    return found


def get_many(conn: sqlite3.Connection, ids: list[int]) -> list[Conversation]:
    """These conversations, in the order of `ids` (unknown ids are skipped)."""
    if not ids:
        return []
    rows = conn.execute(f"{_SELECT} WHERE c.id IN ({_marks(len(ids))})", ids).fetchall()
    tags = _tags_of(conn, ids)
    by_id = {row["id"]: _conversation(row, tags[row["id"]]) for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def get_conversation(conn: sqlite3.Connection, conversation_id: int) -> Conversation | None:
    found = get_many(conn, [conversation_id])
    return found[0] if found else None


def conversation_exists(conn: sqlite3.Connection, conversation_id: int) -> bool:
    row = conn.execute("SELECT 1 FROM conversations WHERE id = ?", (conversation_id,))
    return row.fetchone() is not None


def _where(filters: Filters) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if filters.statuses is not None:
        clauses.append(f"c.status IN ({_marks(len(filters.statuses))})")
        params.extend(filters.statuses)
    if filters.channel_type is not None:
        clauses.append("c.channel_id IN (SELECT id FROM channels WHERE type = ?)")
        params.append(filters.channel_type)
    if filters.channel_id is not None:
        clauses.append("c.channel_id = ?")
        params.append(filters.channel_id)
    if filters.tag is not None:
        clauses.append("c.id IN (SELECT conversation_id FROM conversation_tags WHERE tag = ?)")
        params.append(filters.tag)
    if filters.unassigned:
        clauses.append("c.assignee_id IS NULL")
    elif filters.assignee_id is not None:
        clauses.append("c.assignee_id = ?")
        params.append(filters.assignee_id)
    if filters.contact_id is not None:
        clauses.append("c.contact_id = ?")
        params.append(filters.contact_id)
    if filters.priority is not None:
        clauses.append("c.priority = ?")
        params.append(filters.priority)
    if filters.match is not None:
        clauses.append(f"c.id IN ({search_store.matching_ids_sql()})")
        params.append(filters.match)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def list_conversations(
    conn: sqlite3.Connection, filters: Filters, *, limit: int, offset: int
) -> tuple[list[Conversation], int]:
    where, params = _where(filters)
    total = int(conn.execute(f"SELECT count(*) FROM conversations c{where}", params).fetchone()[0])
    if offset >= total:
        return [], total
    ids = [
        row[0]
        for row in conn.execute(
            f"SELECT c.id FROM conversations c{where} ORDER BY {_ORDER[filters.sort]}"
            " LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
    ]
    return get_many(conn, ids), total


def explain_list(conn: sqlite3.Connection, filters: Filters) -> list[str]:
    """The query plan of a list page (for tests and the benchmark: indexes, not scans)."""
    where, params = _where(filters)
    rows = conn.execute(
        f"EXPLAIN QUERY PLAN SELECT c.id FROM conversations c{where}"
        f" ORDER BY {_ORDER[filters.sort]} LIMIT 25",
        params,
    )
    return [str(row["detail"]) for row in rows]


def insert_conversation(
    conn: sqlite3.Connection,
    *,
    channel_id: int,
    contact_id: int,
    subject: str,
    priority: Priority,
    assignee_id: int | None,
    thread_key: str | None,
    now: str,
) -> int:
    cursor = conn.execute(
        "INSERT INTO conversations (channel_id, contact_id, subject, priority, priority_rank,"
        " assignee_id, thread_key, created_at, updated_at, last_activity_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            channel_id,
            contact_id,
            subject,
            priority,
            PRIORITY_RANK[priority],
            assignee_id,
            thread_key,
            now,
            now,
            now,
        ),
    )
    conversation_id = int(cursor.lastrowid or 0)
    search_store.insert_document(conn, conversation_id, subject, contact_id)
    return conversation_id


class State(msgspec.Struct, kw_only=True):
    """The columns the services decide on."""

    id: int
    channel_id: int
    contact_id: int
    status: Status
    snoozed_until: str | None
    priority: Priority
    assignee_id: int | None
    unread_count: int


def get_state(conn: sqlite3.Connection, conversation_id: int) -> State | None:
    row = conn.execute(
        "SELECT id, channel_id, contact_id, status, snoozed_until, priority, assignee_id,"
        " unread_count FROM conversations WHERE id = ?",
        (conversation_id,),
    ).fetchone()
    return State(**dict(row)) if row else None


def set_status(
    conn: sqlite3.Connection,
    conversation_id: int,
    status: Status,
    snoozed_until: str | None,
    now: str,
) -> None:
    conn.execute(
        "UPDATE conversations SET status = ?, snoozed_until = ?, updated_at = ?,"
        " resolved_at = CASE WHEN ? = 'resolved' THEN ? ELSE resolved_at END WHERE id = ?",
        (status, snoozed_until, now, status, now, conversation_id),
    )


def set_assignee(
    conn: sqlite3.Connection, conversation_id: int, agent_id: int | None, now: str
) -> None:
    conn.execute(
        "UPDATE conversations SET assignee_id = ?, updated_at = ? WHERE id = ?",
        (agent_id, now, conversation_id),
    )


def set_priority(
    conn: sqlite3.Connection, conversation_id: int, priority: Priority, now: str
) -> None:
    conn.execute(
        "UPDATE conversations SET priority = ?, priority_rank = ?, updated_at = ? WHERE id = ?",
        (priority, PRIORITY_RANK[priority], now, conversation_id),
    )


def mark_read(conn: sqlite3.Connection, conversation_id: int) -> bool:
    """Set unread_count to 0; True if it was not 0 already."""
    cursor = conn.execute(
        "UPDATE conversations SET unread_count = 0 WHERE id = ? AND unread_count > 0",
        (conversation_id,),
    )
    return cursor.rowcount > 0


def find_by_thread(conn: sqlite3.Connection, channel_id: int, thread_key: str) -> int | None:
    row = conn.execute(
        "SELECT id FROM conversations WHERE channel_id = ? AND thread_key = ?"
        " ORDER BY id DESC LIMIT 1",
        (channel_id, thread_key),
    ).fetchone()
    return int(row[0]) if row else None


def find_unresolved_of_contact(
    conn: sqlite3.Connection, channel_id: int, contact_id: int
) -> int | None:
    """The contact's latest conversation on this channel that is not resolved."""
    row = conn.execute(
        "SELECT id FROM conversations WHERE contact_id = ? AND channel_id = ?"
        " AND status != 'resolved' ORDER BY last_activity_at DESC, id DESC LIMIT 1",
        (contact_id, channel_id),
    ).fetchone()
    return int(row[0]) if row else None


def due_snoozed(conn: sqlite3.Connection, now: str, limit: int = 500) -> list[int]:
    rows = conn.execute(
        "SELECT id FROM conversations WHERE status = 'snoozed' AND snoozed_until <= ?"
        " ORDER BY snoozed_until LIMIT ?",
        (now, limit),
    )
    return [int(row[0]) for row in rows]


class Counts(msgspec.Struct, kw_only=True):
    """The numbers the inbox's views show (`open` = every status but resolved)."""

    mine: int
    unassigned: int
    open: int
    pending: int
    snoozed: int
    resolved: int
    unread: int


def counts(conn: sqlite3.Connection, agent_id: int) -> Counts:
    by_status = dict(
        conn.execute("SELECT status, count(*) FROM conversations GROUP BY status").fetchall()
    )
    marks = _marks(len(NOT_RESOLVED))
    mine, unassigned = conn.execute(
        f"SELECT (SELECT count(*) FROM conversations"
        f" WHERE assignee_id = ? AND status IN ({marks})),"
        f" (SELECT count(*) FROM conversations"
        f" WHERE assignee_id IS NULL AND status IN ({marks}))",
        (agent_id, *NOT_RESOLVED, *NOT_RESOLVED),
    ).fetchone()
    unread = conn.execute("SELECT count(*) FROM conversations WHERE unread_count > 0").fetchone()
    return Counts(
        mine=mine,
        unassigned=unassigned,
        open=sum(by_status.get(s, 0) for s in NOT_RESOLVED),
        pending=by_status.get("pending", 0),
        snoozed=by_status.get("snoozed", 0),
        resolved=by_status.get("resolved", 0),
        unread=int(unread[0]),
    )
