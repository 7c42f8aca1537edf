"""How long a conversation has waited on us: `waiting_first_at`, the first incoming message
after the last agent reply that did not fail (API.md's `waiting_since`, shown while the
conversation is open or pending), beside m002's `waiting_since` (the latest such message,
which `conversation_waiting` automations time). `store.messages` keeps it with every message
and `recount_replies`; `conversations_status_waiting` serves the "Waiting longest" sort.
"""

from __future__ import annotations

import sqlite_utils

STATEMENTS = [
    "ALTER TABLE conversations ADD COLUMN waiting_first_at TEXT",
    """
    UPDATE conversations SET waiting_first_at = (SELECT min(m.created_at) FROM messages AS m
        WHERE m.conversation_id = conversations.id AND m.type = 'incoming'
          AND m.id > coalesce((SELECT max(r.id) FROM messages AS r
              WHERE r.conversation_id = conversations.id AND r.type = 'outgoing'
                AND r.sender_type = 'agent' AND r.delivery_status IS NOT 'failed'), 0))
    WHERE waiting_since IS NOT NULL
    """,
    "CREATE INDEX conversations_status_waiting"
    " ON conversations (status, waiting_first_at, last_activity_at DESC, id DESC)",
]


def apply(db: sqlite_utils.Database) -> None:
    for statement in STATEMENTS:
        db.execute(statement)
