"""The email side of messages (Message-IDs for threading, subject, sender, the raw mail) and
each email channel's place in its mailbox."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import msgspec

MAX_LOOKUP_IDS = 200  # a References header longer than this is cut (oldest ids dropped)


class EmailRecord(msgspec.Struct, kw_only=True):
    message_id: int
    header_id: str | None
    subject: str
    from_address: str
    from_name: str
    raw_sha256: str | None


class Cursor(msgspec.Struct, kw_only=True):
    mailbox: str
    uidvalidity: int
    last_uid: int


def insert_email(
    conn: sqlite3.Connection,
    message_id: int,
    *,
    header_id: str | None,
    subject: str,
    from_address: str,
    from_name: str,
    raw_sha256: str | None,
) -> None:
    conn.execute(
        "INSERT INTO emails (message_id, header_id, subject, from_address, from_name,"
        " raw_sha256) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO UPDATE SET"
        " header_id = excluded.header_id, subject = excluded.subject,"
        " from_address = excluded.from_address, from_name = excluded.from_name",
        (message_id, header_id, subject, from_address, from_name, raw_sha256),
    )


def get_email(conn: sqlite3.Connection, message_id: int) -> EmailRecord | None:
    row = conn.execute(
        "SELECT message_id, header_id, subject, from_address, from_name, raw_sha256"
        " FROM emails WHERE message_id = ?",
        (message_id,),
    ).fetchone()
    return _record(row) if row else None


def emails_of(conn: sqlite3.Connection, message_ids: Sequence[int]) -> dict[int, EmailRecord]:
    """The email records of these messages (those that have one)."""
    if not message_ids:
        return {}
    marks = ",".join("?" * len(message_ids))
    rows = conn.execute(
        "SELECT message_id, header_id, subject, from_address, from_name, raw_sha256"
        f" FROM emails WHERE message_id IN ({marks})",
        list(message_ids),
    )
    return {row["message_id"]: _record(row) for row in rows}


def _record(row: sqlite3.Row) -> EmailRecord:
    return EmailRecord(
        message_id=row["message_id"],
        header_id=row["header_id"],
        subject=row["subject"],
        from_address=row["from_address"],
        from_name=row["from_name"],
        raw_sha256=row["raw_sha256"],
    )


def thread_of(conn: sqlite3.Connection, channel_id: int, header_ids: Sequence[str]) -> int | None:
    """The conversation on this channel that stored one of these Message-IDs, or one that a
    conversation of this channel was merged into (the first id in the given order that is
    known wins)."""
    ids = list(dict.fromkeys(header_ids))[:MAX_LOOKUP_IDS]
    if not ids:
        return None
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        "SELECT e.header_id, m.conversation_id FROM emails e"
        " JOIN messages m ON m.id = e.message_id"
        " JOIN conversations v ON v.id = m.conversation_id"
        f" WHERE e.header_id IN ({marks}) AND (v.channel_id = ? OR v.id IN"
        " (SELECT into_id FROM merged_conversations WHERE channel_id = ?))",
        [*ids, channel_id, channel_id],
    )
    found = {row[0]: int(row[1]) for row in rows}
    for header_id in ids:
        if header_id in found:
            return found[header_id]
    return None


def received_already(conn: sqlite3.Connection, channel_id: int, header_id: str) -> bool:
    """An incoming email with this Message-ID is on this channel already."""
    row = conn.execute(
        "SELECT 1 FROM emails e JOIN messages m ON m.id = e.message_id"
        " JOIN conversations v ON v.id = m.conversation_id"
        " WHERE e.header_id = ? AND m.type = 'incoming' AND v.channel_id = ? LIMIT 1",
        (header_id, channel_id),
    ).fetchone()
    return row is not None


def sent_with(conn: sqlite3.Connection, channel_id: int, header_ids: Sequence[str]) -> list[int]:
    """The outgoing messages on this channel that were sent with one of these Message-IDs."""
    ids = list(dict.fromkeys(header_ids))[:MAX_LOOKUP_IDS]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        "SELECT m.id FROM emails e JOIN messages m ON m.id = e.message_id"
        " JOIN conversations v ON v.id = m.conversation_id"
        f" WHERE e.header_id IN ({marks}) AND m.type = 'outgoing' AND v.channel_id = ?",
        [*ids, channel_id],
    )
    return [int(row[0]) for row in rows]


def latest_incoming(conn: sqlite3.Connection, conversation_id: int) -> EmailRecord | None:
    """The newest email the contact (or anyone) sent into this conversation."""
    row = conn.execute(
        "SELECT e.message_id, e.header_id, e.subject, e.from_address, e.from_name, e.raw_sha256"
        " FROM messages m JOIN emails e ON e.message_id = m.id"
        " WHERE m.conversation_id = ? AND m.type = 'incoming' ORDER BY m.id DESC LIMIT 1",
        (conversation_id,),
    ).fetchone()
    return _record(row) if row else None


def thread_ids(conn: sqlite3.Connection, conversation_id: int) -> list[str]:
    """Every Message-ID of the conversation's emails, oldest first."""
    rows = conn.execute(
        "SELECT e.header_id FROM messages m JOIN emails e ON e.message_id = m.id"
        " WHERE m.conversation_id = ? AND e.header_id IS NOT NULL ORDER BY m.id",
        (conversation_id,),
    )
    return [str(row[0]) for row in rows]


def raw_files_of_contact(conn: sqlite3.Connection, contact_id: int) -> list[str]:
    rows = conn.execute(
        "SELECT e.raw_sha256 FROM emails e JOIN messages m ON m.id = e.message_id"
        " JOIN conversations v ON v.id = m.conversation_id"
        " WHERE v.contact_id = ? AND e.raw_sha256 IS NOT NULL",
        (contact_id,),
    )
    return [str(row[0]) for row in rows]


# -- where each email channel is in its mailbox ---------------------------------------------


def get_cursor(conn: sqlite3.Connection, channel_id: int) -> Cursor | None:
    row = conn.execute(
        "SELECT mailbox, uidvalidity, last_uid FROM mailbox_cursors WHERE channel_id = ?",
        (channel_id,),
    ).fetchone()
    if row is None:
        return None
    return Cursor(mailbox=row[0], uidvalidity=row[1], last_uid=row[2])


def set_cursor(conn: sqlite3.Connection, channel_id: int, cursor: Cursor) -> None:
    conn.execute(
        "INSERT INTO mailbox_cursors (channel_id, mailbox, uidvalidity, last_uid)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (channel_id) DO UPDATE SET mailbox = excluded.mailbox,"
        " uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid",
        (channel_id, cursor.mailbox, cursor.uidvalidity, cursor.last_uid),
    )
