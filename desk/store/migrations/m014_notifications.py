"""Notifications: what an agent is told about (a new conversation, a reply to a conversation
assigned to them, a mention in a note), read or not, and each agent's choices.

- `notifications`: one row per agent told; `read_at` NULL while unread. Deleting the agent or
  the conversation deletes them.
- `notification_settings`: an agent's preferences as a JSON object (defaults in
  `models/notifications.py` for the keys missing), so new ones need no migration.
"""

from __future__ import annotations

import sqlite_utils

STATEMENTS = [
    """
    CREATE TABLE notifications (
        id INTEGER PRIMARY KEY,
        agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('new_conversation', 'assigned_reply', 'mention')),
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        message_id INTEGER,
        actor TEXT NOT NULL DEFAULT '',
        preview TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        read_at TEXT
    )
    """,
    "CREATE INDEX notifications_agent ON notifications (agent_id, id DESC)",
    "CREATE INDEX notifications_unread ON notifications (agent_id) WHERE read_at IS NULL",
    "CREATE INDEX notifications_conversation ON notifications (conversation_id)",
    """
    CREATE TABLE notification_settings (
        agent_id INTEGER PRIMARY KEY REFERENCES agents(id) ON DELETE CASCADE,
        prefs TEXT NOT NULL DEFAULT '{}'
    )
    """,
]


def apply(db: sqlite_utils.Database) -> None:
    for statement in STATEMENTS:
        db.execute(statement)
