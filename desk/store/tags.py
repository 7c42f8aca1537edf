"""Conversation tags (`conversation_tags`): values arrive already normalised by the service."""

from __future__ import annotations

import sqlite3

from desk.models.tags import TagUsage

# Upper bound for a prefix range: every tag starting with `p` sorts between p and p + this.
_LAST_CHAR = "\U0010ffff"


def add_tag(conn: sqlite3.Connection, conversation_id: int, tag: str) -> bool:
    """True if the tag was added, False if the conversation had it already. The row copies the
    conversation's status (migration 5; a trigger follows later changes)."""
    cursor = conn.execute(
        "INSERT OR IGNORE INTO conversation_tags (conversation_id, tag, status)"
        " SELECT id, ?, status FROM conversations WHERE id = ?",
        (tag, conversation_id),
    )
    return cursor.rowcount > 0


def remove_tag(conn: sqlite3.Connection, conversation_id: int, tag: str) -> bool:
    cursor = conn.execute(
        "DELETE FROM conversation_tags WHERE conversation_id = ? AND tag = ?",
        (conversation_id, tag),
    )
    return cursor.rowcount > 0


def list_tags(
    conn: sqlite3.Connection, prefix: str, *, limit: int, offset: int
) -> tuple[list[TagUsage], int]:
    """Tags in use, most used first; `prefix` narrows them through the tag index."""
    bounds = (prefix, prefix + _LAST_CHAR)
    total = conn.execute(
        "SELECT count(DISTINCT tag) FROM conversation_tags WHERE tag >= ? AND tag < ?", bounds
    ).fetchone()[0]
    if offset >= total:  # past the end (and no offset too large for SQLite)
        return [], int(total)
    rows = conn.execute(
        "SELECT tag, count(*) AS n FROM conversation_tags WHERE tag >= ? AND tag < ?"
        " GROUP BY tag ORDER BY n DESC, tag LIMIT ? OFFSET ?",
        (*bounds, limit, offset),
    )
    return [TagUsage(tag=row[0], conversations=row[1]) for row in rows], int(total)
