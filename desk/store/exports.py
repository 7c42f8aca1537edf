"""What the CSV exports read: contacts and conversations in id order, a page at a time."""

from __future__ import annotations

import sqlite3


def contacts_after(conn: sqlite3.Connection, after: int, limit: int) -> list[sqlite3.Row]:
    return list(
        conn.execute(
            "SELECT id, name, email, phone, company, custom_attributes, created_at, updated_at"
            " FROM contacts WHERE id > ? ORDER BY id LIMIT ?",
            (after, limit),
        )
    )


def conversations_after(
    conn: sqlite3.Connection, after: int, limit: int, start: str | None, end: str | None
) -> list[sqlite3.Row]:
    """Conversations with created_at in [start, end) (either open), in id order."""
    return list(
        conn.execute(
            "SELECT v.id, v.created_at, v.status, v.priority, h.type AS channel_type,"
            " h.name AS channel_name, k.name AS contact_name, k.email AS contact_email,"
            " a.name AS assignee, v.subject, v.last_activity_at,"
            " (SELECT group_concat(tag, ' ') FROM conversation_tags t"
            "  WHERE t.conversation_id = v.id) AS tags"
            " FROM conversations v JOIN channels h ON h.id = v.channel_id"
            " JOIN contacts k ON k.id = v.contact_id LEFT JOIN agents a ON a.id = v.assignee_id"
            " WHERE v.id > ? AND (? IS NULL OR v.created_at >= ?)"
            " AND (? IS NULL OR v.created_at < ?)"
            " ORDER BY v.id LIMIT ?",
            (after, start, start, end, end, limit),
        )
    )
