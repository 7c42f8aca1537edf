"""Merged conversations: where a conversation went when it was merged into another.

A merged conversation's row is deleted (its messages, tags and unread count moved to the
survivor, `into_id`); this table remembers it so that what led to it still leads somewhere:
- its `thread_key` on its channel (an `api` channel's `thread_id`, a web-chat visitor's
  thread), which `store.conversations.find_by_thread` follows to the survivor;
- its id in an email subject's `[#123]` reference, and the Message-IDs of its emails
  (`store.emails.thread_of`), which reach the survivor also when it is on another channel.
Merging the survivor later moves these rows on (`into_id` always names a live conversation);
erasing the survivor removes them (ON DELETE CASCADE). New conversations take ids above every
merged one, so a merged id never names another conversation.
"""

from __future__ import annotations

import sqlite_utils

STATEMENTS = [
    """
    CREATE TABLE merged_conversations (
        id INTEGER PRIMARY KEY,
        into_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        channel_id INTEGER NOT NULL,
        thread_key TEXT,
        merged_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX merged_conversations_into ON merged_conversations (into_id)",
    "CREATE INDEX merged_conversations_thread ON merged_conversations (channel_id, thread_key)"
    " WHERE thread_key IS NOT NULL",
]


def apply(db: sqlite_utils.Database) -> None:
    for statement in STATEMENTS:
        db.execute(statement)
