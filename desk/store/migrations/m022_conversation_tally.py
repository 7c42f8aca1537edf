"""`conversation_tally`: how many conversations there are for each combination of the columns
the inbox counts by — status, priority (its rank), channel, assignee (0 for none), whether a
reply failed, whether something is unread — kept by triggers in the same transaction as every
change.

The views' counts and the total of any list filtered only by those columns are then a sum
over a few hundred tally rows instead of a count over the inbox (at a million conversations,
`GROUP BY status` alone read a million index entries on every change). Rows that fall to 0
stay; sums ignore them. Foreign-key actions (a channel deleted, an agent removed) fire these
triggers too.
"""

from __future__ import annotations

import sqlite_utils

_KEY = "status, priority_rank, channel_id, assignee_id, failed, unread"


def _values(row: str) -> str:
    return (
        f"{row}.status, {row}.priority_rank, {row}.channel_id, coalesce({row}.assignee_id, 0),"
        f" {row}.failed_count > 0, {row}.unread_count > 0"
    )


def _matches(row: str) -> str:
    return (
        f"status = {row}.status AND priority_rank = {row}.priority_rank"
        f" AND channel_id = {row}.channel_id AND assignee_id = coalesce({row}.assignee_id, 0)"
        f" AND failed = ({row}.failed_count > 0) AND unread = ({row}.unread_count > 0)"
    )


_ADD = (
    f"INSERT INTO conversation_tally ({_KEY}, n) VALUES ({_values('new')}, 1)"
    f" ON CONFLICT ({_KEY}) DO UPDATE SET n = n + 1;"
)
_REMOVE = f"UPDATE conversation_tally SET n = n - 1 WHERE {_matches('old')};"
_CHANGED = (
    "old.status IS NOT new.status OR old.priority_rank IS NOT new.priority_rank"
    " OR old.channel_id IS NOT new.channel_id OR old.assignee_id IS NOT new.assignee_id"
    " OR (old.failed_count > 0) IS NOT (new.failed_count > 0)"
    " OR (old.unread_count > 0) IS NOT (new.unread_count > 0)"
)

STATEMENTS = [
    f"""
    CREATE TABLE conversation_tally (
        status TEXT NOT NULL,
        priority_rank INTEGER NOT NULL,
        channel_id INTEGER NOT NULL,
        assignee_id INTEGER NOT NULL,
        failed INTEGER NOT NULL,
        unread INTEGER NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY ({_KEY})
    ) WITHOUT ROWID
    """,
    f"""
    INSERT INTO conversation_tally ({_KEY}, n)
    SELECT {_values("c")}, count(*) FROM conversations c GROUP BY 1, 2, 3, 4, 5, 6
    """,
    f"CREATE TRIGGER conversation_tally_ai AFTER INSERT ON conversations BEGIN {_ADD} END",
    f"CREATE TRIGGER conversation_tally_ad AFTER DELETE ON conversations BEGIN {_REMOVE} END",
    "CREATE TRIGGER conversation_tally_au AFTER UPDATE OF status, priority_rank, channel_id,"
    f" assignee_id, failed_count, unread_count ON conversations WHEN {_CHANGED}"
    f" BEGIN {_REMOVE} {_ADD} END",
]


def apply(db: sqlite_utils.Database) -> None:
    for statement in STATEMENTS:
        db.execute(statement)
