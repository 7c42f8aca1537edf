"""The inbox totals under a tag or a search, without reading the conversations table (measured
at 100,000 conversations, after a write so no total is cached).

- `conversation_tags.status` copies its conversation's status, so a tag's total in any statuses
  is a count over the (tag, status) index (≈2,600 entries for `billing` in the default view)
  instead of a probe of the conversations table for each of the tag's ≈13,000 rows.
  `store.tags.add_tag` and the demo generator write it with the row; the trigger below follows
  every status change.
- `conversations_unresolved` is a partial index of the conversations not resolved (≈20% of the
  inbox, a few dozen pages): the default view's total under a search probes it for each match
  instead of the table. Its WHERE is the exact literal `store.inbox` writes in that count, so
  SQLite knows it applies.
"""

from __future__ import annotations

import sqlite_utils

STATEMENTS = [
    "ALTER TABLE conversation_tags ADD COLUMN status TEXT NOT NULL DEFAULT 'open'",
    "UPDATE conversation_tags SET status = (SELECT c.status FROM conversations c"
    " WHERE c.id = conversation_tags.conversation_id)",
    "CREATE INDEX conversation_tags_tag_status ON conversation_tags (tag, status)",
    """
    CREATE TRIGGER conversations_status_tags AFTER UPDATE OF status ON conversations
    WHEN old.status IS NOT new.status BEGIN
        UPDATE conversation_tags SET status = new.status WHERE conversation_id = new.id;
    END
    """,
    "CREATE INDEX conversations_unresolved ON conversations (id)"
    " WHERE status IN ('open', 'pending', 'snoozed')",
]


def apply(db: sqlite_utils.Database) -> None:
    for statement in STATEMENTS:
        db.execute(statement)
