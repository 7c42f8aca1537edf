"""Analytics durations read from indexes (measured at 100,000 conversations, cold).

The first-response and resolution medians and p90s read every conversation answered or
resolved in the range: ≈100,000 rows for a year. These partial indexes hold each duration in
seconds as an indexed expression, so the query reads it instead of parsing two ISO timestamps
per row with `unixepoch()`; SQLite keeps them like any index, so neither the store nor the demo
generator writes anything more. The expressions are the exact text `store.analytics` selects
(SQLite only uses an indexed expression written the same way). They replace m003's
`conversations_first_reply_cover` and `conversations_resolved_cover`, unused since.
"""

from __future__ import annotations

import sqlite_utils

STATEMENTS = [
    "CREATE INDEX conversations_first_response ON conversations (first_reply_at,"
    " coalesce(assignee_id, 0),"
    " max(0, unixepoch(first_reply_at) - unixepoch(first_incoming_at)))"
    " WHERE first_reply_at IS NOT NULL AND first_incoming_at IS NOT NULL",
    "CREATE INDEX conversations_resolution ON conversations (resolved_at,"
    " coalesce(assignee_id, 0), max(0, unixepoch(resolved_at) - unixepoch(created_at)))"
    " WHERE resolved_at IS NOT NULL AND status = 'resolved'",
    "DROP INDEX conversations_first_reply_cover",
    "DROP INDEX conversations_resolved_cover",
]


def apply(db: sqlite_utils.Database) -> None:
    for statement in STATEMENTS:
        db.execute(statement)
