"""A partial index of the conversations not resolved, for the inbox totals (measured at 100,000
conversations, after a write so nothing is cached).

The default view's total under a tag or a search counts the tag's rows (≈13,000 for `billing`)
or the search's matches (≈9,500) that are not resolved. Checking each in the conversations
table reads a page of that wide table per row; probing this index (one entry per unresolved
conversation, ≈20% of the inbox, a few dozen pages) costs a fifth of that. Its WHERE is the
exact literal `store.inbox` writes in those counts, so SQLite knows it applies.
"""

from __future__ import annotations

import sqlite_utils

INDEXES = [
    "CREATE INDEX conversations_unresolved ON conversations (id)"
    " WHERE status IN ('open', 'pending', 'snoozed')",
]


def apply(db: sqlite_utils.Database) -> None:
    for statement in INDEXES:
        db.execute(statement)
