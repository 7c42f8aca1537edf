"""Drafts: what an agent has typed into a conversation's composer and not sent yet.

One row per agent and conversation, the reply and the note side by side (the composer's two
tabs); a row with both empty is never kept. Deleting the agent or the conversation (erasure,
merge) deletes the draft.
"""

from __future__ import annotations

import sqlite_utils

STATEMENTS = [
    """
    CREATE TABLE drafts (
        agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        reply TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        PRIMARY KEY (agent_id, conversation_id)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX drafts_conversation ON drafts (conversation_id)",
    "CREATE INDEX drafts_agent_updated ON drafts (agent_id, updated_at)",
]


def apply(db: sqlite_utils.Database) -> None:
    for statement in STATEMENTS:
        db.execute(statement)
