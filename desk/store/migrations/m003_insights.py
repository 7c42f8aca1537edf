"""Automations, the counters analytics reads, and the index of customer questions.

- `automations`, with their run record (`run_count`, `last_run_at`); `automation_waits`
  remembers which wait (a conversation's `waiting_since`) a `conversation_waiting` automation
  already fired for, so it fires once per wait; `auto_replied` marks conversations that got
  the workspace's out-of-hours auto-reply (once per conversation).
- `message_counts` (incoming and outgoing messages) and `agent_replies` (outgoing messages
  by each agent) per UTC quarter-hour, kept by triggers (so bulk inserts count too).
  Analytics reads a few hundred rows a day from here instead of every message;
  quarter-hours keep the counts exact in every timezone, including the :30 and :45 ones.
- `question_index`: FTS5 over the bodies of incoming messages only (external content on
  `messages`, porter stemming so "refunds" finds "refund"), kept by triggers; AI suggestions
  rank past customer questions against it with BM25; `question_terms` (fts5vocab) gives each
  term's document frequency.
- Covering indexes for the conversation timestamps analytics filters by (created, first
  reply, resolved), so its scans never touch the wide conversation rows.
"""

from __future__ import annotations

import sqlite_utils

# The quarter-hour a message falls in, "YYYY-MM-DDTHH:MM" in UTC.
_BUCKET = (
    "printf('%s%02d', substr({t}.created_at, 1, 14),"
    " CAST(substr({t}.created_at, 15, 2) AS INTEGER) / 15 * 15)"
)

TABLES = [
    """
    CREATE TABLE automations (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        event TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        conditions TEXT NOT NULL DEFAULT '[]',
        actions TEXT NOT NULL DEFAULT '[]',
        after_minutes INTEGER,
        run_count INTEGER NOT NULL DEFAULT 0,
        last_run_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE automation_waits (
        automation_id INTEGER NOT NULL REFERENCES automations(id) ON DELETE CASCADE,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        waiting_since TEXT NOT NULL,
        PRIMARY KEY (automation_id, conversation_id)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE auto_replied (
        conversation_id INTEGER PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
        at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE message_counts (
        bucket TEXT NOT NULL,
        type TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (bucket, type)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE agent_replies (
        bucket TEXT NOT NULL,
        agent_id INTEGER NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (bucket, agent_id)
    ) WITHOUT ROWID
    """,
    """
    CREATE VIRTUAL TABLE question_index USING fts5(
        body, content = 'messages', content_rowid = 'id',
        tokenize = 'porter unicode61 remove_diacritics 2'
    )
    """,
    # Each indexed term and how many questions contain it: suggestions query the rarest words.
    "CREATE VIRTUAL TABLE question_terms USING fts5vocab(question_index, 'row')",
]

INDEXES = [
    "CREATE INDEX automations_event ON automations (event, active)",
    "CREATE INDEX automation_waits_conversation ON automation_waits (conversation_id)",
    "CREATE INDEX conversations_created_cover"
    " ON conversations (created_at, channel_id, assignee_id)",
    "CREATE INDEX conversations_resolved_cover"
    " ON conversations (resolved_at, status, created_at, assignee_id)"
    " WHERE resolved_at IS NOT NULL",
    "CREATE INDEX conversations_first_reply_cover"
    " ON conversations (first_reply_at, first_incoming_at, assignee_id)"
    " WHERE first_reply_at IS NOT NULL",
]

TRIGGERS = [
    f"""
    CREATE TRIGGER messages_count_ai AFTER INSERT ON messages
    WHEN new.type IN ('incoming', 'outgoing') BEGIN
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
    WHEN old.type IN ('incoming', 'outgoing') BEGIN
        UPDATE message_counts SET n = n - 1
        WHERE bucket = {_BUCKET.format(t="old")} AND type = old.type;
        UPDATE agent_replies SET n = n - 1
        WHERE old.type = 'outgoing' AND old.sender_type = 'agent'
          AND bucket = {_BUCKET.format(t="old")} AND agent_id = old.sender_id;
    END
    """,
    """
    CREATE TRIGGER messages_question_ai AFTER INSERT ON messages
    WHEN new.type = 'incoming' BEGIN
        INSERT INTO question_index (rowid, body) VALUES (new.id, new.body);
    END
    """,
    """
    CREATE TRIGGER messages_question_ad AFTER DELETE ON messages
    WHEN old.type = 'incoming' BEGIN
        INSERT INTO question_index (question_index, rowid, body)
        VALUES ('delete', old.id, old.body);
    END
    """,
    """
    CREATE TRIGGER messages_question_au AFTER UPDATE OF body ON messages
    WHEN old.type = 'incoming' BEGIN
        INSERT INTO question_index (question_index, rowid, body)
        VALUES ('delete', old.id, old.body);
        INSERT INTO question_index (rowid, body) VALUES (new.id, new.body);
    END
    """,
]

BACKFILL = [
    f"""
    INSERT INTO message_counts (bucket, type, n)
    SELECT {_BUCKET.format(t="m")}, m.type, count(*) FROM messages AS m
    WHERE m.type IN ('incoming', 'outgoing') GROUP BY 1, 2
    """,
    f"""
    INSERT INTO agent_replies (bucket, agent_id, n)
    SELECT {_BUCKET.format(t="m")}, m.sender_id, count(*) FROM messages AS m
    WHERE m.type = 'outgoing' AND m.sender_type = 'agent' AND m.sender_id IS NOT NULL
    GROUP BY 1, 2
    """,
    "INSERT INTO question_index (rowid, body) SELECT id, body FROM messages"
    " WHERE type = 'incoming'",
]


def apply(db: sqlite_utils.Database) -> None:
    for statement in [*TABLES, *INDEXES, *TRIGGERS, *BACKFILL]:
        db.execute(statement)
