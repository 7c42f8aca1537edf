"""The email channel and attachments.

- `emails`: the email side of a message that arrived or left by email: its `Message-ID`
  (threading follows these, for mail Desk received and mail it sent), the subject and sender
  as the email had them, and for received mail the raw bytes (`raw_sha256`, a file in the
  attachment store) for "View original". Through `messages` it follows its conversation,
  also when conversations are merged.
- `attachments`: files on messages, and agents' uploads not yet used (`message_id` NULL).
  The bytes live once per content under `DATA_DIR/attachments/` (`sha256`); rows share them.
- `mailbox_cursors`: per email channel, which mailbox was read (`mailbox`: user, host, port
  and folder; another one starts afresh), its UIDVALIDITY and the highest UID taken.
- `channel_health`: the last success and failure of each side of a channel (receiving:
  the email poll; sending: SMTP or the webhook), and the mail dropped unanswered.
"""

from __future__ import annotations

import sqlite_utils

TABLES = [
    """
    CREATE TABLE emails (
        message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
        header_id TEXT,
        subject TEXT NOT NULL DEFAULT '',
        from_address TEXT NOT NULL DEFAULT '',
        from_name TEXT NOT NULL DEFAULT '',
        raw_sha256 TEXT
    )
    """,
    """
    CREATE TABLE attachments (
        id INTEGER PRIMARY KEY,
        message_id INTEGER REFERENCES messages(id) ON DELETE CASCADE,
        uploader_id INTEGER REFERENCES agents(id) ON DELETE SET NULL,
        filename TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        created_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE mailbox_cursors (
        channel_id INTEGER PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
        mailbox TEXT NOT NULL,
        uidvalidity INTEGER NOT NULL,
        last_uid INTEGER NOT NULL
    )
    """,
    """
    CREATE TABLE channel_health (
        channel_id INTEGER PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
        receive_ok_at TEXT,
        receive_error TEXT,
        receive_error_at TEXT,
        send_ok_at TEXT,
        send_error TEXT,
        send_error_at TEXT,
        dropped INTEGER NOT NULL DEFAULT 0
    )
    """,
]

INDEXES = [
    "CREATE INDEX emails_header ON emails (header_id) WHERE header_id IS NOT NULL",
    "CREATE INDEX emails_raw ON emails (raw_sha256) WHERE raw_sha256 IS NOT NULL",
    "CREATE INDEX attachments_message ON attachments (message_id, id) WHERE message_id IS NOT NULL",
    "CREATE INDEX attachments_unused ON attachments (created_at) WHERE message_id IS NULL",
    "CREATE INDEX attachments_sha ON attachments (sha256)",
    "CREATE INDEX attachments_uploader ON attachments (uploader_id)",
]


def apply(db: sqlite_utils.Database) -> None:
    for statement in [*TABLES, *INDEXES]:
        db.execute(statement)
