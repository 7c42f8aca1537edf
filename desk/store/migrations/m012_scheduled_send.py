"""Scheduled send: a reply that waits for its time.

A scheduled reply is a row of `messages` (type `outgoing`, `delivery_status` NULL: not handed
to delivery yet) with `send_at` set (when it goes) and `send_keep_status` (1: it does not
reopen a resolved conversation). It stays out of the conversation's bookkeeping (last
message, waiting time, search) and out of the analytics counters until it goes: then
`services/scheduled.py` writes it as a new reply (a new id and the send time, through the
outbox) and deletes the waiting row. The counting triggers of m003 (the delete one as m010
left it) are replaced by the same ones skipping rows with a `send_at`; every row written before
has none, so nothing counted so far changes. Adding the columns rewrites no row.
"""

from __future__ import annotations

import sqlite_utils

from desk.store.migrations.m003_insights import _BUCKET

STATEMENTS = [
    "ALTER TABLE messages ADD COLUMN send_at TEXT",
    "ALTER TABLE messages ADD COLUMN send_keep_status INTEGER NOT NULL DEFAULT 0",
    "CREATE INDEX messages_send_at ON messages (send_at) WHERE send_at IS NOT NULL",
    "DROP TRIGGER messages_count_ai",
    "DROP TRIGGER messages_count_ad",
    f"""
    CREATE TRIGGER messages_count_ai AFTER INSERT ON messages
    WHEN new.type IN ('incoming', 'outgoing') AND new.send_at IS NULL
    BEGIN
        INSERT INTO message_counts (bucket, type, n) VALUES ({_BUCKET.format(t="new")}, new.type, 1)
        ON CONFLICT (bucket, type) DO UPDATE SET n = n + 1;
        INSERT INTO agent_replies (bucket, agent_id, n)
        SELECT {_BUCKET.format(t="new")}, new.sender_id, 1
        WHERE new.type = 'outgoing' AND new.sender_type = 'agent' AND new.sender_id IS NOT NULL
        ON CONFLICT (bucket, agent_id) DO UPDATE SET n = n + 1;
    END
    """,
    f"""
    CREATE TRIGGER messages_count_ad AFTER DELETE ON messages
    WHEN old.type IN ('incoming', 'outgoing') AND old.delivery_status IS NOT 'failed'
     AND old.send_at IS NULL
    BEGIN
        UPDATE message_counts SET n = n - 1
        WHERE bucket = {_BUCKET.format(t="old")} AND type = old.type;
        UPDATE agent_replies SET n = n - 1
        WHERE old.type = 'outgoing' AND old.sender_type = 'agent'
          AND bucket = {_BUCKET.format(t="old")} AND agent_id = old.sender_id;
    END
    """,
]


def apply(db: sqlite_utils.Database) -> None:
    for statement in STATEMENTS:
        db.execute(statement)
