"""Attachments: the files of messages, and agents' uploads waiting to be used (`message_id`
NULL). The bytes are in the file store (`store/files.py`), named by `sha256`."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import msgspec

from desk.models.messages import Attachment


class AttachmentRecord(msgspec.Struct, kw_only=True):
    id: int
    message_id: int | None
    uploader_id: int | None
    filename: str
    content_type: str
    size: int
    sha256: str
    created_at: str

    def public(self) -> Attachment:
        return Attachment(
            id=self.id, filename=self.filename, content_type=self.content_type, size=self.size
        )


_COLUMNS = "id, message_id, uploader_id, filename, content_type, size, sha256, created_at"


def _record(row: sqlite3.Row) -> AttachmentRecord:
    return AttachmentRecord(
        id=row["id"],
        message_id=row["message_id"],
        uploader_id=row["uploader_id"],
        filename=row["filename"],
        content_type=row["content_type"],
        size=row["size"],
        sha256=row["sha256"],
        created_at=row["created_at"],
    )


def insert_attachment(
    conn: sqlite3.Connection,
    *,
    message_id: int | None,
    uploader_id: int | None,
    filename: str,
    content_type: str,
    size: int,
    sha256: str,
    now: str,
) -> int:
    cursor = conn.execute(
        "INSERT INTO attachments (message_id, uploader_id, filename, content_type, size,"
        " sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (message_id, uploader_id, filename, content_type, size, sha256, now),
    )
    return int(cursor.lastrowid or 0)


def get_attachment(conn: sqlite3.Connection, attachment_id: int) -> AttachmentRecord | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM attachments WHERE id = ?", (attachment_id,)
    ).fetchone()
    return _record(row) if row else None


def get_attachments(
    conn: sqlite3.Connection, attachment_ids: Sequence[int]
) -> dict[int, AttachmentRecord]:
    if not attachment_ids:
        return {}
    marks = ",".join("?" * len(attachment_ids))
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM attachments WHERE id IN ({marks})", list(attachment_ids)
    )
    return {row["id"]: _record(row) for row in rows}


def attachments_of(
    conn: sqlite3.Connection, message_ids: Sequence[int]
) -> dict[int, list[Attachment]]:
    """Each message's attachments, in the order they were added."""
    if not message_ids:
        return {}
    marks = ",".join("?" * len(message_ids))
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM attachments WHERE message_id IN ({marks}) ORDER BY message_id, id",
        list(message_ids),
    )
    found: dict[int, list[Attachment]] = {}
    for row in rows:
        found.setdefault(row["message_id"], []).append(_record(row).public())
    return found


def files_of_message(conn: sqlite3.Connection, message_id: int) -> list[AttachmentRecord]:
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM attachments WHERE message_id = ? ORDER BY id", (message_id,)
    )
    return [_record(row) for row in rows]


def attach_uploads(conn: sqlite3.Connection, attachment_ids: Sequence[int], message_id: int) -> int:
    """Give unused uploads to a message; returns how many were still unused."""
    changed = 0
    for attachment_id in attachment_ids:
        cursor = conn.execute(
            "UPDATE attachments SET message_id = ? WHERE id = ? AND message_id IS NULL",
            (message_id, attachment_id),
        )
        changed += cursor.rowcount
    return changed


def unused_before(conn: sqlite3.Connection, cutoff: str) -> list[AttachmentRecord]:
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM attachments WHERE message_id IS NULL AND created_at < ?",
        (cutoff,),
    )
    return [_record(row) for row in rows]


def delete_attachments(conn: sqlite3.Connection, attachment_ids: Sequence[int]) -> None:
    conn.executemany("DELETE FROM attachments WHERE id = ?", [(i,) for i in attachment_ids])


def files_of_contact(conn: sqlite3.Connection, contact_id: int) -> list[str]:
    """The hashes of every attachment on the contact's conversations (erasure)."""
    rows = conn.execute(
        "SELECT a.sha256 FROM attachments a JOIN messages m ON m.id = a.message_id"
        " JOIN conversations v ON v.id = m.conversation_id WHERE v.contact_id = ?",
        (contact_id,),
    )
    return [str(row[0]) for row in rows]


def files_of_channel(conn: sqlite3.Connection, channel_id: int) -> list[str]:
    rows = conn.execute(
        "SELECT a.sha256 FROM attachments a JOIN messages m ON m.id = a.message_id"
        " JOIN conversations v ON v.id = m.conversation_id WHERE v.channel_id = ?"
        " UNION SELECT e.raw_sha256 FROM emails e JOIN messages m ON m.id = e.message_id"
        " JOIN conversations v ON v.id = m.conversation_id"
        " WHERE v.channel_id = ? AND e.raw_sha256 IS NOT NULL",
        (channel_id, channel_id),
    )
    return [str(row[0]) for row in rows]
