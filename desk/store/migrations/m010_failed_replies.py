"""Failed replies cannot hide: a conversation counts its failed outgoing messages, and the
figures analytics reads count only replies that did not fail.

- `conversations.failed_count`: how many of its outgoing messages are `failed` now, kept by
  triggers on every insert, delivery status change, move (merge) and delete of a message, so no
  writer can forget it. `conversations_failed` (a partial index in the list's order) serves the
  "Failed to send" view and its count.
- `message_counts` and `agent_replies` (m003) drop a reply when it fails and take it back when it
  is queued again; the delete trigger no longer subtracts a failed message twice. Existing
  failed messages are taken out of both here.
- `first_reply_at` and `waiting_since` of conversations whose agent reply failed are recomputed
  by `store.messages.recount_replies` when a delivery status changes; the backfill below does
  it for the failures already stored.
"""

from __future__ import annotations

import sqlite_utils

_BUCKET = (
    "printf('%s%02d', substr({t}.created_at, 1, 14),"
    " CAST(substr({t}.created_at, 15, 2) AS INTEGER) / 15 * 15)"
)
_OLD, _NEW = _BUCKET.format(t="old"), _BUCKET.format(t="new")

STATEMENTS = [
    "ALTER TABLE conversations ADD COLUMN failed_count INTEGER NOT NULL DEFAULT 0",
    "UPDATE conversations SET failed_count = (SELECT count(*) FROM messages m"
    " WHERE m.conversation_id = conversations.id AND m.delivery_status = 'failed')"
    " WHERE id IN (SELECT conversation_id FROM messages WHERE delivery_status = 'failed')",
    "CREATE INDEX conversations_failed ON conversations (last_activity_at DESC, id DESC)"
    " WHERE failed_count > 0",
    """
    CREATE TRIGGER messages_failed_ai AFTER INSERT ON messages
    WHEN new.delivery_status = 'failed' BEGIN
        UPDATE conversations SET failed_count = failed_count + 1 WHERE id = new.conversation_id;
    END
    """,
    """
    CREATE TRIGGER messages_failed_au AFTER UPDATE OF delivery_status, conversation_id
    ON messages WHEN old.delivery_status IS 'failed' OR new.delivery_status IS 'failed' BEGIN
        UPDATE conversations SET failed_count = failed_count - 1
        WHERE id = old.conversation_id AND old.delivery_status IS 'failed';
        UPDATE conversations SET failed_count = failed_count + 1
        WHERE id = new.conversation_id AND new.delivery_status IS 'failed';
    END
    """,
    """
    CREATE TRIGGER messages_failed_ad AFTER DELETE ON messages
    WHEN old.delivery_status IS 'failed' BEGIN
        UPDATE conversations SET failed_count = failed_count - 1 WHERE id = old.conversation_id;
    END
    """,
    # A reply that failed is no reply: out of the counters, and back in when queued again.
    f"""
    CREATE TRIGGER messages_count_failed AFTER UPDATE OF delivery_status ON messages
    WHEN old.type = 'outgoing'
     AND (old.delivery_status IS 'failed') != (new.delivery_status IS 'failed') BEGIN
        UPDATE message_counts
        SET n = n + CASE WHEN new.delivery_status IS 'failed' THEN -1 ELSE 1 END
        WHERE bucket = {_NEW} AND type = 'outgoing';
        UPDATE agent_replies
        SET n = n + CASE WHEN new.delivery_status IS 'failed' THEN -1 ELSE 1 END
        WHERE old.sender_type = 'agent' AND bucket = {_NEW} AND agent_id = old.sender_id;
    END
    """,
    "DROP TRIGGER messages_count_ad",
    f"""
    CREATE TRIGGER messages_count_ad AFTER DELETE ON messages
    WHEN old.type IN ('incoming', 'outgoing') AND old.delivery_status IS NOT 'failed' BEGIN
        UPDATE message_counts SET n = n - 1
        WHERE bucket = {_OLD} AND type = old.type;
        UPDATE agent_replies SET n = n - 1
        WHERE old.type = 'outgoing' AND old.sender_type = 'agent'
          AND bucket = {_OLD} AND agent_id = old.sender_id;
    END
    """,
    # The failures already stored leave the counters.
    f"""
    UPDATE message_counts SET n = n - (SELECT count(*) FROM messages AS m
        WHERE m.type = 'outgoing' AND m.delivery_status = 'failed'
          AND {_BUCKET.format(t="m")} = message_counts.bucket)
    WHERE type = 'outgoing'
    """,
    f"""
    UPDATE agent_replies SET n = n - (SELECT count(*) FROM messages AS m
        WHERE m.type = 'outgoing' AND m.delivery_status = 'failed' AND m.sender_type = 'agent'
          AND m.sender_id = agent_replies.agent_id
          AND {_BUCKET.format(t="m")} = agent_replies.bucket)
    """,
    # ... and from the first response and the wait of their conversations.
    """
    UPDATE conversations SET first_reply_at = (SELECT min(m.created_at) FROM messages AS m
        WHERE m.conversation_id = conversations.id AND m.type = 'outgoing'
          AND m.sender_type = 'agent' AND m.delivery_status IS NOT 'failed'
          AND m.created_at >= conversations.first_incoming_at)
    WHERE failed_count > 0 AND first_incoming_at IS NOT NULL
    """,
    """
    UPDATE conversations SET waiting_since = (SELECT m.created_at FROM messages AS m
        WHERE m.conversation_id = conversations.id AND m.type = 'incoming'
          AND m.id > coalesce((SELECT max(r.id) FROM messages AS r
              WHERE r.conversation_id = conversations.id AND r.type = 'outgoing'
                AND r.sender_type = 'agent' AND r.delivery_status IS NOT 'failed'), 0)
        ORDER BY m.id DESC LIMIT 1)
    WHERE failed_count > 0
    """,
]


def apply(db: sqlite_utils.Database) -> None:
    for statement in STATEMENTS:
        db.execute(statement)
