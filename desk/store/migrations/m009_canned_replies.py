"""Canned replies: the team's shared answers, picked in the composer by their `shortcut`.

`shortcut` is unique (already lower-case: the service only lets `a-z0-9-_` through). The
author is kept by id (NULL once the agent is deleted) and by name, so a reply outlives its
author and still says who wrote it.
"""

from __future__ import annotations

import sqlite_utils

STATEMENTS = [
    """
    CREATE TABLE canned_replies (
        id INTEGER PRIMARY KEY,
        shortcut TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        created_by_id INTEGER REFERENCES agents(id) ON DELETE SET NULL,
        created_by_name TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX canned_replies_title ON canned_replies (title COLLATE NOCASE)",
]


def apply(db: sqlite_utils.Database) -> None:
    for statement in STATEMENTS:
        db.execute(statement)
