"""The messages table, and the conversation bookkeeping every new message implies.

`insert_message` is the one place that writes a message, and in the same transaction keeps
the denormalised conversation columns and the search document in step (m002's rules):
- `incoming`, `outgoing`, `note` messages become the conversation's last message
  (id, type, first 140 characters, time) and move `last_activity_at`; `activity` messages
  (the system's record of a change) only touch `updated_at`, so the inbox preview and its
  order show what people said, not who clicked what;
- an `incoming` message sets `first_incoming_at` (once), `waiting_since` (its own time:
  the latest unanswered incoming message) and `waiting_first_at` (m013: the first unanswered
  one, unless already set); `unread_count` grows by one only when it came
  through a channel (`unread=True`), not when an agent logs it;
- an `outgoing` message by an agent (not an automation) clears both waits and sets
  `first_reply_at` once, if an incoming message came first;
- the bodies of `incoming`, `outgoing` and `note` messages are appended to the
  conversation's `search_index.bodies`, joined by "\n".
"""

from __future__ import annotations

import sqlite3

import msgspec

from desk.models.messages import (
    Activity,
    Delivery,
    DeliveryStatus,
    EmailInfo,
    Message,
    MessageType,
    Sender,
)
from desk.store import attachments as attachments_store
from desk.store import emails as emails_store

PREVIEW_CHARS = 140
SEARCHABLE_TYPES = ("incoming", "outgoing", "note")


_COLUMNS = (
    "id, conversation_id, type, body, sender_type, sender_id, sender_name,"
    " delivery_status, delivery_error, delivery_dismissed_at, created_at, send_at, activity"
)


def _message(row: sqlite3.Row) -> Message:
    send_at = row["send_at"]
    return Message(
        id=row["id"],
        conversation_id=row["conversation_id"],
        type=row["type"],
        body=row["body"],
        sender=Sender(type=row["sender_type"], id=row["sender_id"], name=row["sender_name"]),
        delivery=Delivery(
            status="scheduled" if send_at else row["delivery_status"],
            error=row["delivery_error"],
            dismissed_at=row["delivery_dismissed_at"],
        ),
        created_at=row["created_at"],
        send_at=send_at,
        activity=msgspec.json.decode(row["activity"], type=Activity) if row["activity"] else None,
    )


def get_message(conn: sqlite3.Connection, message_id: int) -> Message | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM messages WHERE id = ?", (message_id,)).fetchone()
    return _with_files(conn, [_message(row)])[0] if row else None


def _with_files(conn: sqlite3.Connection, found: list[Message]) -> list[Message]:
    """Fill in the attachments and email details of these messages (two queries)."""
    ids = [m.id for m in found]
    files = attachments_store.attachments_of(conn, ids)
    emails = emails_store.emails_of(conn, ids)
    for message in found:
        message.attachments = files.get(message.id, [])
        record = emails.get(message.id)
        if record is not None:
            message.email = EmailInfo(
                subject=record.subject,
                from_name=record.from_name,
                from_address=record.from_address,
                has_original=record.raw_sha256 is not None,
            )
    return found


def list_messages(
    conn: sqlite3.Connection, conversation_id: int, *, limit: int, offset: int, newest_first: bool
) -> list[Message]:
    order = "DESC" if newest_first else "ASC"  # a fixed keyword, never user text
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM messages WHERE conversation_id = ?"
        f" ORDER BY id {order} LIMIT ? OFFSET ?",
        (conversation_id, limit, offset),
    )
    return _with_files(conn, [_message(row) for row in rows])


def count_messages(conn: sqlite3.Connection, conversation_id: int) -> int:
    row = conn.execute(
        "SELECT count(*) FROM messages WHERE conversation_id = ?", (conversation_id,)
    )
    return int(row.fetchone()[0])


def insert_message(
    conn: sqlite3.Connection,
    *,
    conversation_id: int,
    type: MessageType,
    body: str,
    sender: Sender,
    now: str,
    delivery_status: DeliveryStatus | None = None,
    external_id: str | None = None,
    unread: bool = False,
    send_at: str | None = None,
    send_keep_status: bool = False,
    activity: Activity | None = None,
) -> int:
    """Add a message and apply its effects on the conversation and its search document.

    A scheduled reply (`send_at`) has none yet (m009): it is written anew when it goes.
    """
    cursor = conn.execute(
        "INSERT INTO messages (conversation_id, type, body, sender_type, sender_id,"
        " sender_name, delivery_status, external_id, created_at, send_at, send_keep_status,"
        " activity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            conversation_id,
            type,
            body,
            sender.type,
            sender.id,
            sender.name,
            delivery_status,
            external_id,
            now,
            send_at,
            int(send_keep_status),
            msgspec.json.encode(activity).decode() if activity is not None else None,
        ),
    )
    message_id = int(cursor.lastrowid or 0)
    if send_at is not None:
        return message_id
    _apply_to_conversation(conn, conversation_id, message_id, type, body, sender, now, unread)
    if type in SEARCHABLE_TYPES:
        conn.execute(
            "UPDATE search_index SET bodies = CASE WHEN bodies IS NULL OR bodies = ''"
            " THEN ? ELSE bodies || char(10) || ? END WHERE rowid = ?",
            (body, body, conversation_id),
        )
    return message_id


def _apply_to_conversation(
    conn: sqlite3.Connection,
    conversation_id: int,
    message_id: int,
    type: MessageType,
    body: str,
    sender: Sender,
    now: str,
    unread: bool,
) -> None:
    if type == "activity":
        conn.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id))
        return
    conn.execute(
        "UPDATE conversations SET last_message_id = ?, last_message_type = ?,"
        " last_message_preview = ?, last_message_at = ?, last_activity_at = ?, updated_at = ?"
        " WHERE id = ?",
        (message_id, type, body[:PREVIEW_CHARS], now, now, now, conversation_id),
    )
    if type == "incoming":
        conn.execute(
            "UPDATE conversations SET first_incoming_at = coalesce(first_incoming_at, ?),"
            " waiting_since = ?, waiting_first_at = coalesce(waiting_first_at, ?),"
            " unread_count = unread_count + ? WHERE id = ?",
            (now, now, now, 1 if unread else 0, conversation_id),
        )
    elif type == "outgoing" and sender.type == "agent":
        conn.execute(
            "UPDATE conversations SET waiting_since = NULL, waiting_first_at = NULL,"
            " first_reply_at = CASE WHEN first_reply_at IS NULL AND first_incoming_at IS NOT NULL"
            " THEN ? ELSE first_reply_at END WHERE id = ?",
            (now, conversation_id),
        )


def recount_replies(conn: sqlite3.Connection, conversation_id: int) -> None:
    """Recompute `first_reply_at` and `waiting_since` from the messages, leaving out agent
    replies that failed (one failed or was queued again): a reply that did not go out neither
    answers the contact nor ends their wait."""
    conn.execute(
        "UPDATE conversations SET first_reply_at = (SELECT min(m.created_at) FROM messages m"
        "  WHERE m.conversation_id = conversations.id AND m.type = 'outgoing'"
        "  AND m.sender_type = 'agent' AND m.delivery_status IS NOT 'failed'"
        "  AND m.send_at IS NULL AND m.created_at >= conversations.first_incoming_at),"
        " waiting_since = (SELECT m.created_at FROM messages m"
        "  WHERE m.conversation_id = conversations.id AND m.type = 'incoming'"
        f"  AND m.id > coalesce(({_LAST_REPLY}), 0) ORDER BY m.id DESC LIMIT 1),"
        " waiting_first_at = (SELECT m.created_at FROM messages m"
        "  WHERE m.conversation_id = conversations.id AND m.type = 'incoming'"
        f"  AND m.id > coalesce(({_LAST_REPLY}), 0) ORDER BY m.id LIMIT 1)"
        " WHERE id = ?",
        (conversation_id,),
    )


# The latest agent reply that did not fail, inside a statement on `conversations`.
_LAST_REPLY = (
    "SELECT max(r.id) FROM messages r WHERE r.conversation_id = conversations.id"
    " AND r.type = 'outgoing' AND r.sender_type = 'agent' AND r.delivery_status IS NOT 'failed'"
    " AND r.send_at IS NULL"  # a scheduled reply (m012) has not answered anyone yet
)


def conversation_of(conn: sqlite3.Connection, message_id: int) -> int | None:
    """The conversation a message belongs to; None for an unknown message."""
    row = conn.execute("SELECT conversation_id FROM messages WHERE id = ?", (message_id,))
    found = row.fetchone()
    return int(found[0]) if found else None


def replies_after(
    conn: sqlite3.Connection, conversation_id: int, after_id: int, *, limit: int
) -> list[Message]:
    """The conversation's replies (`outgoing`, gone or going out; not scheduled ones still
    waiting) written after message `after_id`, oldest first."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM messages WHERE conversation_id = ? AND id > ?"
        " AND type = 'outgoing' AND send_at IS NULL ORDER BY id LIMIT ?",
        (conversation_id, after_id, limit),
    )
    return _with_files(conn, [_message(row) for row in rows])
