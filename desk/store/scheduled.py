"""Scheduled replies (m009): `messages` rows with a `send_at`, waiting for their time."""

from __future__ import annotations

import sqlite3

import msgspec


class ScheduledSend(msgspec.Struct, kw_only=True):
    message_id: int
    conversation_id: int
    channel_id: int
    body: str
    sender_type: str
    sender_id: int | None
    sender_name: str
    send_at: str
    keep_status: bool


def get(conn: sqlite3.Connection, message_id: int) -> ScheduledSend | None:
    row = conn.execute(
        "SELECT m.id, m.conversation_id, v.channel_id, m.body, m.sender_type, m.sender_id,"
        " m.sender_name, m.send_at, m.send_keep_status FROM messages m"
        " JOIN conversations v ON v.id = m.conversation_id"
        " WHERE m.id = ? AND m.send_at IS NOT NULL",
        (message_id,),
    ).fetchone()
    if row is None:
        return None
    return ScheduledSend(
        message_id=row["id"],
        conversation_id=row["conversation_id"],
        channel_id=row["channel_id"],
        body=row["body"],
        sender_type=row["sender_type"],
        sender_id=row["sender_id"],
        sender_name=row["sender_name"],
        send_at=row["send_at"],
        keep_status=bool(row["send_keep_status"]),
    )


def due(conn: sqlite3.Connection, now: str, limit: int) -> list[int]:
    """The ids of the scheduled replies whose time has come, earliest first."""
    rows = conn.execute(
        "SELECT id FROM messages WHERE send_at IS NOT NULL AND send_at <= ?"
        " ORDER BY send_at, id LIMIT ?",
        (now, limit),
    )
    return [int(r[0]) for r in rows]


def update(
    conn: sqlite3.Connection, message_id: int, body: str | None, send_at: str | None
) -> None:
    if body is not None:
        conn.execute("UPDATE messages SET body = ? WHERE id = ?", (body, message_id))
    if send_at is not None:
        conn.execute("UPDATE messages SET send_at = ? WHERE id = ?", (send_at, message_id))


def move_attachments(conn: sqlite3.Connection, from_id: int, to_id: int) -> None:
    conn.execute("UPDATE attachments SET message_id = ? WHERE message_id = ?", (to_id, from_id))


def release_attachments(conn: sqlite3.Connection, message_id: int) -> None:
    """A cancelled reply's files become unused uploads again (pruned with the others)."""
    conn.execute("UPDATE attachments SET message_id = NULL WHERE message_id = ?", (message_id,))


def delete_message(conn: sqlite3.Connection, message_id: int) -> None:
    """Remove a scheduled reply (never counted, never in the search document: nothing to undo)."""
    conn.execute("DELETE FROM messages WHERE id = ? AND send_at IS NOT NULL", (message_id,))
