"""Merging two conversations, or two contacts, in the caller's transaction (m016).

A conversation merged into another (`into`) moves its messages (ids and times kept), tags
(joined), unread count (added) and web-chat visitors over; the survivor's denormalised columns
(last message, activity, first incoming / first reply, waiting since) and its search document
are brought in step; then the merged row is deleted and `merged_conversations` remembers where
it went (see m016). The survivor keeps its own status, assignee, priority, channel and contact.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from desk.store import messages as messages_store


def _one(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> Any:
    row = conn.execute(sql, params).fetchone()
    return row[0] if row else None


def merge_conversation(conn: sqlite3.Connection, source: int, into: int, now: str) -> int:
    """Move everything of `source` into `into` and delete `source`. Returns how many
    messages moved."""
    moved = conn.execute(
        "UPDATE messages SET conversation_id = ? WHERE conversation_id = ?", (into, source)
    ).rowcount
    conn.execute(
        "INSERT OR IGNORE INTO conversation_tags (conversation_id, tag, status)"
        " SELECT ?, tag, (SELECT status FROM conversations WHERE id = ?)"
        " FROM conversation_tags WHERE conversation_id = ?",
        (into, into, source),
    )
    conn.execute(
        "UPDATE conversations SET unread_count = unread_count"
        " + (SELECT unread_count FROM conversations WHERE id = ?1),"
        " failed_count = failed_count + (SELECT failed_count FROM conversations WHERE id = ?1),"
        " first_incoming_at = (SELECT min(created_at) FROM messages"
        "   WHERE conversation_id = ?2 AND type = 'incoming'),"
        " updated_at = ?3 WHERE id = ?2",
        (source, into, now),
    )
    _refresh_last_message(conn, into)
    messages_store.recount_replies(conn, into)  # first reply, waiting since / first
    bodies = _one(conn, "SELECT bodies FROM search_index WHERE rowid = ?", (source,))
    if bodies:
        conn.execute(
            "UPDATE search_index SET bodies = CASE WHEN bodies IS NULL OR bodies = ''"
            " THEN ? ELSE bodies || char(10) || ? END WHERE rowid = ?",
            (bodies, bodies, into),
        )
    conn.execute(
        "UPDATE web_chat_visitors SET conversation_id = ? WHERE conversation_id = ?",
        (into, source),
    )
    # An agent's unsent draft follows, unless they have one on the survivor already.
    conn.execute(
        "UPDATE OR IGNORE drafts SET conversation_id = ? WHERE conversation_id = ?", (into, source)
    )
    conn.execute("UPDATE merged_conversations SET into_id = ? WHERE into_id = ?", (into, source))
    conn.execute(
        "INSERT INTO merged_conversations (id, into_id, channel_id, thread_key, merged_at)"
        " SELECT id, ?, channel_id, thread_key, ? FROM conversations WHERE id = ?",
        (into, now, source),
    )
    conn.execute("DELETE FROM conversations WHERE id = ?", (source,))
    return int(moved)


def _refresh_last_message(conn: sqlite3.Connection, conversation_id: int) -> None:
    """The latest incoming, outgoing or note message is the conversation's last message."""
    row = conn.execute(
        "SELECT id, type, substr(body, 1, 140), created_at FROM messages"
        " WHERE conversation_id = ? AND type IN ('incoming', 'outgoing', 'note')"
        " ORDER BY created_at DESC, id DESC LIMIT 1",
        (conversation_id,),
    ).fetchone()
    if row is None:
        return
    conn.execute(
        "UPDATE conversations SET last_message_id = ?, last_message_type = ?,"
        " last_message_preview = ?, last_message_at = ?,"
        " last_activity_at = max(last_activity_at, ?) WHERE id = ?",
        (row[0], row[1], row[2], row[3], row[3], conversation_id),
    )


def merged_into(conn: sqlite3.Connection, conversation_id: int) -> int | None:
    """Where a merged conversation went (None if it was never merged)."""
    found = _one(conn, "SELECT into_id FROM merged_conversations WHERE id = ?", (conversation_id,))
    return int(found) if found is not None else None


def merge_contact(conn: sqlite3.Connection, source: int, into: int) -> list[int]:
    """Move `source`'s conversations and web-chat visitors to `into` and delete `source`
    (freeing its unique email and external id for `into`). Returns the ids of the
    conversations that moved. The caller then fills `into`'s missing details and refreshes
    its search documents."""
    moved = [
        int(row[0])
        for row in conn.execute("SELECT id FROM conversations WHERE contact_id = ?", (source,))
    ]
    conn.execute("UPDATE conversations SET contact_id = ? WHERE contact_id = ?", (into, source))
    conn.execute("UPDATE web_chat_visitors SET contact_id = ? WHERE contact_id = ?", (into, source))
    conn.execute("DELETE FROM contacts WHERE id = ?", (source,))
    return moved
