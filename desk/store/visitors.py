"""The web-chat visitors table (m008) and what a visitor may read of their conversation."""

from __future__ import annotations

import sqlite3

from desk.models.web_chat import VISIBLE_TYPES, VisibleMessage, Visitor

_VISITOR_COLUMNS = (
    "id, channel_id, name, email, email_verified, contact_id, conversation_id, last_seen_at"
)


def _visitor(row: sqlite3.Row) -> Visitor:
    return Visitor(
        id=row["id"],
        channel_id=row["channel_id"],
        name=row["name"],
        email=row["email"],
        email_verified=bool(row["email_verified"]),
        contact_id=row["contact_id"],
        conversation_id=row["conversation_id"],
        last_seen_at=row["last_seen_at"],
    )


def insert_visitor(
    conn: sqlite3.Connection,
    *,
    channel_id: int,
    token_hash: str,
    name: str | None,
    email: str | None,
    email_verified: bool,
    now: str,
) -> int:
    cursor = conn.execute(
        "INSERT INTO web_chat_visitors (channel_id, token_hash, name, email, email_verified,"
        " created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (channel_id, token_hash, name, email, int(email_verified), now, now),
    )
    return int(cursor.lastrowid or 0)


def find_visitor(conn: sqlite3.Connection, channel_id: int, token_hash: str) -> Visitor | None:
    """The visitor holding this token on this channel (a token of another channel: None)."""
    row = conn.execute(
        f"SELECT {_VISITOR_COLUMNS} FROM web_chat_visitors WHERE token_hash = ? AND channel_id = ?",
        (token_hash, channel_id),
    ).fetchone()
    return _visitor(row) if row else None


def get_visitor(conn: sqlite3.Connection, visitor_id: int) -> Visitor | None:
    row = conn.execute(
        f"SELECT {_VISITOR_COLUMNS} FROM web_chat_visitors WHERE id = ?", (visitor_id,)
    ).fetchone()
    return _visitor(row) if row else None


def link_visitor(
    conn: sqlite3.Connection, visitor_id: int, *, contact_id: int, conversation_id: int, now: str
) -> None:
    conn.execute(
        "UPDATE web_chat_visitors SET contact_id = ?, conversation_id = ?, last_seen_at = ?"
        " WHERE id = ?",
        (contact_id, conversation_id, now, visitor_id),
    )


def set_presence(conn: sqlite3.Connection, visitor_id: int, *, online: bool, now: str) -> None:
    conn.execute(
        "UPDATE web_chat_visitors SET online = ?, last_seen_at = ? WHERE id = ?",
        (int(online), now, visitor_id),
    )


def clear_presence(conn: sqlite3.Connection) -> None:
    """Nobody is online when the server starts: streams do not outlive it."""
    conn.execute("UPDATE web_chat_visitors SET online = 0 WHERE online = 1")


def visible_messages(
    conn: sqlite3.Connection, conversation_id: int, *, after: int, limit: int
) -> list[VisibleMessage]:
    rows = conn.execute(
        "SELECT id, type, body, sender_type, sender_name, created_at FROM messages"
        " WHERE conversation_id = ? AND id > ? AND type IN (?, ?)"
        " AND send_at IS NULL"  # not a scheduled reply
        " ORDER BY id LIMIT ?",
        (conversation_id, after, *VISIBLE_TYPES, limit),
    )
    return [
        VisibleMessage(
            id=r["id"],
            type=r["type"],
            body=r["body"],
            sender_type=r["sender_type"],
            sender_name=r["sender_name"],
            created_at=r["created_at"],
        )
        for r in rows
    ]


def conversation_status(conn: sqlite3.Connection, conversation_id: int) -> str | None:
    row = conn.execute(
        "SELECT status FROM conversations WHERE id = ?", (conversation_id,)
    ).fetchone()
    return str(row[0]) if row else None


def prune_silent(conn: sqlite3.Connection, before: str) -> int:
    """Forget visitors who never wrote and were last seen before `before` (their typed name
    and email were never anyone's contact)."""
    cursor = conn.execute(
        "DELETE FROM web_chat_visitors WHERE contact_id IS NULL AND last_seen_at < ?", (before,)
    )
    return cursor.rowcount
