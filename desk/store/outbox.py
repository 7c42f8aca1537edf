"""The outbox: outgoing messages waiting for delivery. The table is the queue, so it survives a
restart; `messages.delivery_status` / `delivery_error` show each message's outcome."""

from __future__ import annotations

import json
import sqlite3

import msgspec

from desk.models.messages import DeliveryJob, DeliveryStatus
from desk.store import messages as messages_store


class OutboxItem(msgspec.Struct, kw_only=True):
    message_id: int
    attempts: int
    next_attempt_at: str
    last_error: str | None


def add(conn: sqlite3.Connection, message_id: int, due_at: str) -> None:
    """Queue a message (again): attempts start from zero."""
    conn.execute(
        "INSERT INTO outbox (message_id, attempts, next_attempt_at, last_error)"
        " VALUES (?, 0, ?, NULL) ON CONFLICT (message_id) DO UPDATE SET attempts = 0,"
        " next_attempt_at = excluded.next_attempt_at, last_error = NULL",
        (message_id, due_at),
    )


def get_item(conn: sqlite3.Connection, message_id: int) -> OutboxItem | None:
    r = conn.execute(
        "SELECT message_id, attempts, next_attempt_at, last_error FROM outbox WHERE message_id = ?",
        (message_id,),
    ).fetchone()
    if r is None:
        return None
    return OutboxItem(
        message_id=r["message_id"],
        attempts=r["attempts"],
        next_attempt_at=r["next_attempt_at"],
        last_error=r["last_error"],
    )


def next_due_at(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT min(next_attempt_at) FROM outbox").fetchone()
    return str(row[0]) if row and row[0] is not None else None


def reschedule(
    conn: sqlite3.Connection, message_id: int, *, attempts: int, due_at: str, error: str
) -> None:
    conn.execute(
        "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE message_id = ?",
        (attempts, due_at, error, message_id),
    )


def make_channel_due(conn: sqlite3.Connection, channel_id: int, due_at: str) -> int:
    """Bring a channel's waiting messages forward (its settings changed: try again now)."""
    cursor = conn.execute(
        "UPDATE outbox SET next_attempt_at = ? WHERE next_attempt_at > ? AND message_id IN"
        " (SELECT m.id FROM messages m JOIN conversations v ON v.id = m.conversation_id"
        " WHERE v.channel_id = ?)",
        (due_at, due_at, channel_id),
    )
    return cursor.rowcount


def remove(conn: sqlite3.Connection, message_id: int) -> None:
    conn.execute("DELETE FROM outbox WHERE message_id = ?", (message_id,))


def set_delivery(
    conn: sqlite3.Connection, message_id: int, status: DeliveryStatus, error: str | None
) -> int | None:
    """Set a message's delivery outcome. When it becomes or stops being `failed`, its
    conversation's reply bookkeeping follows (m010's triggers count it; `recount_replies`);
    returns that conversation's id then, else None."""
    row = conn.execute(
        "SELECT conversation_id, delivery_status FROM messages WHERE id = ?", (message_id,)
    ).fetchone()
    conn.execute(  # a new outcome ends a dismissal (m020): a failure after a retry counts
        "UPDATE messages SET delivery_status = ?1, delivery_error = ?2,"
        " delivery_dismissed_at = CASE WHEN delivery_status IS ?1"
        "   THEN delivery_dismissed_at END WHERE id = ?3",
        (status, error, message_id),
    )
    if row is None or (row[1] == "failed") == (status == "failed"):
        return None
    messages_store.recount_replies(conn, int(row[0]))
    return int(row[0])


def dismiss_failure(conn: sqlite3.Connection, message_id: int, now: str) -> bool:
    """Mark a `failed` message dismissed (m020's triggers take it out of its conversation's
    `failed_count`); False when it was dismissed already."""
    return (
        conn.execute(
            "UPDATE messages SET delivery_dismissed_at = ? WHERE id = ?"
            " AND delivery_status = 'failed' AND delivery_dismissed_at IS NULL",
            (now, message_id),
        ).rowcount
        > 0
    )


def delivery_status(conn: sqlite3.Connection, message_id: int) -> tuple[str, str | None] | None:
    """(type, delivery_status) of a message, or None if there is no such message."""
    row = conn.execute(
        "SELECT type, delivery_status FROM messages WHERE id = ?", (message_id,)
    ).fetchone()
    return (str(row[0]), row[1]) if row else None


_JOB_SQL = (
    "SELECT m.id, m.type, m.body, m.sender_type, m.sender_id, m.sender_name, m.created_at,"
    " v.id AS conversation_id, v.subject, v.thread_key, k.id AS contact_id,"
    " k.name AS contact_name, k.email, k.phone, k.external_id, h.id AS channel_id,"
    " h.type AS channel_type, h.active, h.config, h.signing_secret"
    " FROM outbox o JOIN messages m ON m.id = o.message_id"
    " JOIN conversations v ON v.id = m.conversation_id"
    " JOIN contacts k ON k.id = v.contact_id JOIN channels h ON h.id = v.channel_id"
    " WHERE o.next_attempt_at <= ? ORDER BY o.next_attempt_at, o.message_id LIMIT ?"
)


def due_jobs(conn: sqlite3.Connection, now: str, limit: int) -> list[DeliveryJob]:
    """The queued messages due by `now`, oldest due first, with what delivering them needs
    (one query for the whole batch)."""
    return [_job(row) for row in conn.execute(_JOB_SQL, (now, limit))]


def _job(row: sqlite3.Row) -> DeliveryJob:
    return DeliveryJob(
        message_id=row["id"],
        message_type=row["type"],
        body=row["body"],
        sender_type=row["sender_type"],
        sender_id=row["sender_id"],
        sender_name=row["sender_name"],
        created_at=row["created_at"],
        conversation_id=row["conversation_id"],
        subject=row["subject"],
        thread_key=row["thread_key"],
        contact_id=row["contact_id"],
        contact_name=row["contact_name"],
        contact_email=row["email"],
        contact_phone=row["phone"],
        contact_external_id=row["external_id"],
        channel_id=row["channel_id"],
        channel_type=row["channel_type"],
        channel_active=bool(row["active"]),
        channel_config=json.loads(row["config"]),
        signing_secret=row["signing_secret"],
    )
