"""The conversations table: one denormalised row per conversation (see m002's docstring).

Reading and changing single conversations; the inbox list and its counts are `store.inbox`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

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


# One statement reads a conversation with everything it shows: its channel, contact and assignee
# (joins), its tags (joined by \x1f, which no tag contains) and, for web chat, its visitor's
# presence (one probe of web_chat_visitors_conversation: `online` 0/1 then `last_seen_at`).
# Rows are read as plain tuples, by position: building 25 conversations from sqlite3.Row by
# name cost more than the query.
_COLUMNS = """
c.id, c.subject, c.status, c.snoozed_until, c.priority, c.channel_id, ch.type, ch.name,
c.contact_id, p.name, p.email, c.assignee_id, a.name, c.unread_count,
c.last_message_id, c.last_message_type, c.last_message_preview, c.last_message_at,
c.created_at, c.updated_at, c.last_activity_at, c.failed_count, c.waiting_first_at,
(SELECT group_concat(t.tag, char(31)) FROM conversation_tags t WHERE t.conversation_id = c.id),
CASE WHEN ch.type = 'web_chat' THEN (SELECT max(v.online) || max(v.last_seen_at)
  FROM web_chat_visitors v WHERE v.conversation_id = c.id) END
"""
_JOINS = """
JOIN channels ch ON ch.id = c.channel_id
JOIN contacts p ON p.id = c.contact_id
LEFT JOIN agents a ON a.id = c.assignee_id
"""


def select_sql(source: str) -> str:
    """`SELECT` every shown column `FROM source` (which names the conversations `c`), with
    the joins; the caller adds WHERE / ORDER BY. Read the rows with `read_rows`."""
    return f"SELECT {_COLUMNS} FROM {source} {_JOINS}"


def read_rows(conn: sqlite3.Connection, sql: str, params: Sequence[object]) -> list[Conversation]:
    """The conversations a `select_sql` query finds, in its order."""
    cursor = conn.cursor()
    cursor.row_factory = None  # tuples: read by position below
    return [_conversation(row) for row in cursor.execute(sql, params)]


def _conversation(r: tuple[Any, ...]) -> Conversation:
    (id_, subject, status, snoozed_until, priority, channel_id, channel_type, channel_name,
     contact_id, contact_name, contact_email, assignee_id, assignee_name, unread_count,
     last_id, last_type, last_preview, last_at, created_at, updated_at, last_activity_at,
     failed_count, waiting_first_at, tags, presence) = r  # fmt: skip
    last = None
    if last_id is not None:
        preview = last_preview or ""
        last = LastMessage(id=last_id, type=last_type, preview=preview, created_at=last_at)
    return Conversation(
        id=id_,
        subject=subject,
        status=status,
        snoozed_until=snoozed_until if status == "snoozed" else None,
        priority=priority,
        channel_id=channel_id,
        channel_type=channel_type,
        channel_name=channel_name,
        contact=ContactRef(id=contact_id, name=contact_name, email=contact_email),
        assignee=None if assignee_id is None else AgentRef(id=assignee_id, name=assignee_name),
        tags=sorted(tags.split("\x1f")) if tags else [],
        unread_count=unread_count,
        last_message=last,
        created_at=created_at,
        updated_at=updated_at,
        last_activity_at=last_activity_at,
        failed_count=failed_count,
        waiting_since=waiting_first_at if status in ("open", "pending") else None,
        visitor=None
        if presence is None
        else VisitorPresence(online=presence[0] == "1", last_seen_at=presence[1:]),
    )


def marks(count: int) -> str:
    """`?, ?, ?`: placeholders for a list of parameters."""
    return ", ".join("?" * count)


def get_many(conn: sqlite3.Connection, ids: list[int]) -> list[Conversation]:
    """These conversations, in the order of `ids` (unknown ids are skipped)."""
    if not ids:
        return []
    sql = select_sql("conversations c") + f" WHERE c.id IN ({marks(len(ids))})"
    found = read_rows(conn, sql, ids)
    by_id = {conversation.id: conversation for conversation in found}
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
