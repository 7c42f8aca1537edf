"""Saved views: a named set of the inbox list's filters (JSON), private to its owner or shared
with the team; and each agent's own order of the views they see.

A private view goes with its owner (the trigger runs before the agent's row goes); a shared
one stays, its owner's id set to NULL and their name kept.
"""

from __future__ import annotations

import sqlite_utils

STATEMENTS = [
    """
    CREATE TABLE saved_views (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        filters TEXT NOT NULL DEFAULT '{}',
        shared INTEGER NOT NULL DEFAULT 0,
        owner_id INTEGER REFERENCES agents(id) ON DELETE SET NULL,
        owner_name TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX saved_views_owner ON saved_views (owner_id)",
    "CREATE INDEX saved_views_shared ON saved_views (shared)",
    """
    CREATE TABLE saved_view_order (
        agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
        view_id INTEGER NOT NULL REFERENCES saved_views(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        PRIMARY KEY (agent_id, view_id)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX saved_view_order_view ON saved_view_order (view_id)",
    """
    CREATE TRIGGER saved_views_private_go_with_owner BEFORE DELETE ON agents
    BEGIN
        DELETE FROM saved_views WHERE owner_id = OLD.id AND shared = 0;
    END
    """,
]


def apply(db: sqlite_utils.Database) -> None:
    for statement in STATEMENTS:
        db.execute(statement)
