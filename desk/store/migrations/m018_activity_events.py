"""Activity lines as data: `messages.activity` holds `{"kind": ..., "params": {...}}` (JSON)
for an `activity` message, so each agent reads it in their own language; `body` keeps the
English sentence (for API clients, exports and the lines written before this)."""

from __future__ import annotations

import sqlite_utils


def apply(db: sqlite_utils.Database) -> None:
    db.execute("ALTER TABLE messages ADD COLUMN activity TEXT")
