"""A failed reply an agent dismissed ("we dealt with it another way") stops counting as a
failure of its conversation: `messages.delivery_dismissed_at` is set, the message stays `failed`
(it never went out: analytics still leaves it out), and m010's `failed_count` triggers count
only failed messages nobody dismissed, so the conversation leaves the "Failed to send" view.
Queuing the message again (a retry) clears the dismissal.
"""

from __future__ import annotations

import sqlite_utils

_COUNTED = "{t}.delivery_status IS 'failed' AND {t}.delivery_dismissed_at IS NULL"
_OLD, _NEW = _COUNTED.format(t="old"), _COUNTED.format(t="new")

STATEMENTS = [
    "ALTER TABLE messages ADD COLUMN delivery_dismissed_at TEXT",
    "DROP TRIGGER messages_failed_ai",
    f"""
    CREATE TRIGGER messages_failed_ai AFTER INSERT ON messages WHEN {_NEW} BEGIN
        UPDATE conversations SET failed_count = failed_count + 1 WHERE id = new.conversation_id;
    END
    """,
    "DROP TRIGGER messages_failed_au",
    f"""
    CREATE TRIGGER messages_failed_au
    AFTER UPDATE OF delivery_status, conversation_id, delivery_dismissed_at ON messages
    WHEN ({_OLD}) OR ({_NEW}) BEGIN
        UPDATE conversations SET failed_count = failed_count - 1
        WHERE id = old.conversation_id AND {_OLD};
        UPDATE conversations SET failed_count = failed_count + 1
        WHERE id = new.conversation_id AND {_NEW};
    END
    """,
    "DROP TRIGGER messages_failed_ad",
    f"""
    CREATE TRIGGER messages_failed_ad AFTER DELETE ON messages WHEN {_OLD} BEGIN
        UPDATE conversations SET failed_count = failed_count - 1 WHERE id = old.conversation_id;
    END
    """,
]


def apply(db: sqlite_utils.Database) -> None:
    for statement in STATEMENTS:
        db.execute(statement)
