"""The conversations table: one denormalised row per conversation (see m002's docstring).

Reading and changing single conversations; the inbox list and its counts are `store.inbox`.
"""

from __future__ import annotations

import sqlite3

from desk.models.conversations import (
    AgentRef,
    ContactRef,
    Conversation,
    LastMessage,
    Priority,
    State,
    Status,
    VisitorPresence,
)
from desk.store import search as search_store

PRIORITY_RANK: dict[str, int] = {"low": 0, "normal": 1, "high": 2, "urgent": 3}


_SELECT = """
SELECT c.id, c.subject, c.status, c.snoozed_until, c.priority, c.channel_id,
       ch.type AS channel_type, ch.name AS channel_name,
       c.contact_id, p.name AS contact_name, p.email AS contact_email,
       c.assignee_id, a.name AS assignee_name, c.unread_count,
       c.last_message_id, c.last_message_type, c.last_message_preview, c.last_message_at,
       c.created_at, c.updated_at, c.last_activity_at, c.failed_count, c.waiting_first_at
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
        failed_count=row["failed_count"],
        waiting_since=row["waiting_first_at"] if row["status"] in ("open", "pending") else None,
    )


def marks(count: int) -> str:
    """`?, ?, ?`: placeholders for a list of parameters."""
    return ", ".join("?" * count)


def _tags_of(conn: sqlite3.Connection, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {i: [] for i in ids}
    rows = conn.execute(
        f"SELECT conversation_id, tag FROM conversation_tags WHERE conversation_id IN"
        f" ({marks(len(ids))}) ORDER BY tag",
        ids,
    )
    for row in rows:
        found[row[0]].append(row[1])
    return found


def _visitors_of(conn: sqlite3.Connection, ids: list[int]) -> dict[int, VisitorPresence]:
    rows = conn.execute(
        "SELECT conversation_id, max(online), max(last_seen_at) FROM web_chat_visitors"
        f" WHERE conversation_id IN ({marks(len(ids))}) GROUP BY conversation_id",
        ids,
    )
    return {r[0]: VisitorPresence(online=bool(r[1]), last_seen_at=r[2]) for r in rows}


def get_many(conn: sqlite3.Connection, ids: list[int]) -> list[Conversation]:
    """These conversations, in the order of `ids` (unknown ids are skipped)."""
    if not ids:
        return []
    rows = conn.execute(f"{_SELECT} WHERE c.id IN ({marks(len(ids))})", ids).fetchall()
    tags = _tags_of(conn, ids)
    by_id = {row["id"]: _conversation(row, tags[row["id"]]) for row in rows}
    chats = [row["id"] for row in rows if row["channel_type"] == "web_chat"]
    for conversation_id, visitor in (_visitors_of(conn, chats) if chats else {}).items():
        by_id[conversation_id].visitor = visitor
    return [by_id[i] for i in ids if i in by_id]


def get_conversation(conn: sqlite3.Connection, conversation_id: int) -> Conversation | None:
    found = get_many(conn, [conversation_id])
    return found[0] if found else None


def conversation_exists(conn: sqlite3.Connection, conversation_id: int) -> bool:
    row = conn.execute("SELECT 1 FROM conversations WHERE id = ?", (conversation_id,))
    return row.fetchone() is not None


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
    # Above every merged conversation's id too (m016): a merged id never names another one.
    cursor = conn.execute(
        "INSERT INTO conversations (id, channel_id, contact_id, subject, priority, priority_rank,"
        " assignee_id, thread_key, created_at, updated_at, last_activity_at)"
        " VALUES (max(coalesce((SELECT max(id) FROM conversations), 0),"
        " coalesce((SELECT max(id) FROM merged_conversations), 0)) + 1,"
        " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
    """The conversation of this thread on this channel, or the one it was merged into."""
    row = conn.execute(
        "SELECT id FROM conversations WHERE channel_id = ? AND thread_key = ?"
        " ORDER BY id DESC LIMIT 1",
        (channel_id, thread_key),
    ).fetchone()
    if row is None:
        row = conn.execute(
            "SELECT into_id FROM merged_conversations WHERE channel_id = ? AND thread_key = ?"
            " ORDER BY id DESC LIMIT 1",
            (channel_id, thread_key),
        ).fetchone()
    return int(row[0]) if row else None


def ids_of_contact(conn: sqlite3.Connection, contact_id: int) -> list[int]:
    rows = conn.execute("SELECT id FROM conversations WHERE contact_id = ?", (contact_id,))
    return [int(row[0]) for row in rows]


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
