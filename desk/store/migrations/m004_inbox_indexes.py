"""Indexes for the inbox list's other orders and the channel filter (measured at 100,000
conversations: each turns a sort of every matching row, or tens of thousands of table reads,
into a walk of the first rows of an index).

With `status IN (...)` and an index on (status, <order>), SQLite reads each status's rows
already in order and stops after the page (the IN early-out), so the default "every status
but resolved" view never sorts the whole inbox.
"""

from __future__ import annotations

import sqlite_utils

INDEXES = [
    "CREATE INDEX conversations_status_created ON conversations (status, created_at, id)",
    "CREATE INDEX conversations_status_priority"
    " ON conversations (status, priority_rank DESC, last_activity_at DESC, id DESC)",
    "CREATE INDEX conversations_channel_status"
    " ON conversations (channel_id, status, last_activity_at DESC, id DESC)",
]


def apply(db: sqlite_utils.Database) -> None:
    for statement in INDEXES:
        db.execute(statement)
