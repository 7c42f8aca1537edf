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


# The whole-workspace export: each section a table read in id order a page at a time, with the
# columns it may show (never a password hash, session, token, secret or API key; a channel's
# config still holds secrets: the service hides them). Each section's JSON-text columns are
# named in JSON_COLUMNS and come out as objects.
SECTIONS: dict[str, str] = {
    "agents": "SELECT id, name, email, role, language, created_at, last_seen_at FROM agents",
    "channels": "SELECT id, name, type, active, config, created_at, updated_at FROM channels",
    "contacts": "SELECT id, name, email, phone, company, notes, custom_attributes, external_id,"
    " created_at, updated_at FROM contacts",
    "conversations": "SELECT id, channel_id, contact_id, subject, status, snoozed_until,"
    " priority, assignee_id, unread_count, created_at, updated_at, last_activity_at,"
    " first_reply_at, resolved_at,"
    " (SELECT json_group_array(tag) FROM conversation_tags t"
    "  WHERE t.conversation_id = conversations.id) AS tags FROM conversations",
    "messages": "SELECT m.id, m.conversation_id, m.type, m.body, m.sender_type, m.sender_id,"
    " m.sender_name, m.delivery_status, m.delivery_error, m.external_id, m.send_at,"
    " m.activity, m.created_at, CASE WHEN e.message_id IS NULL THEN NULL ELSE json_object("
    " 'message_id', e.header_id, 'subject', e.subject, 'from_address', e.from_address,"
    " 'from_name', e.from_name) END AS email"
    " FROM messages m LEFT JOIN emails e ON e.message_id = m.id",
    "attachments": "SELECT id, message_id, uploader_id, filename, content_type, size, sha256,"
    " created_at FROM attachments",
    "automations": "SELECT id, name, event, active, conditions, actions, after_minutes,"
    " run_count, last_run_at, created_at, updated_at FROM automations",
    "canned_replies": "SELECT id, shortcut, title, body, created_by_id, created_by_name,"
    " created_at, updated_at FROM canned_replies",
    "web_chat_visitors": "SELECT id, channel_id, name, email, email_verified, contact_id,"
    " conversation_id, created_at, last_seen_at FROM web_chat_visitors",
    "merged_conversations": "SELECT id, into_id, merged_at FROM merged_conversations",
    "saved_views": "SELECT id, name, filters, shared, owner_id, owner_name, created_at,"
    " updated_at FROM saved_views",
}
JSON_COLUMNS: dict[str, frozenset[str]] = {
    "channels": frozenset({"config"}),
    "contacts": frozenset({"custom_attributes"}),
    "conversations": frozenset({"tags"}),
    "messages": frozenset({"email", "activity"}),
    "automations": frozenset({"conditions", "actions"}),
    "saved_views": frozenset({"filters"}),
}
_KEY = {"messages": "m.id"}
# Every other table, and why the export leaves it out (tests/test_exports.py checks that each
# table of the schema is in SECTIONS or here, so a new table is a decision, not an oversight).
NOT_EXPORTED: dict[str, str] = {
    "workspace": "exported as `workspace`, without the AI key",
    "conversation_tags": "in `conversations` as `tags`",
    "emails": "in `messages` as `email`",
    "sessions": "secret: who is signed in",
    "login_attempts": "security bookkeeping",
    "outbox": "delivery bookkeeping (the status is on the message)",
    "auto_replied": "bookkeeping of the out-of-hours auto-reply",
    "automation_waits": "bookkeeping of timed automations",
    "agent_replies": "analytics totals, derived from messages",
    "message_counts": "analytics totals, derived from messages",
    "conversation_tally": "the inbox's totals, derived from conversations",
    "channel_health": "the channels' current health",
    "mailbox_cursors": "where the email channel stopped reading its mailbox",
    "drafts": "unsent text, each agent's own",
    "notifications": "each agent's alerts, derived from conversations",
    "notification_settings": "each agent's alert preferences",
    "saved_view_order": "each agent's order of the saved views they see",
}


def section_after(
    conn: sqlite3.Connection, section: str, after: int, limit: int
) -> list[dict[str, object]]:
    """A page of `section` (a key of SECTIONS, never input) after id `after`, as dicts."""
    key = _KEY.get(section, "id")
    cursor = conn.execute(
        f"{SECTIONS[section]} WHERE {key} > ? ORDER BY {key} LIMIT ?",
        (after, limit),
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def count_section(conn: sqlite3.Connection, section: str) -> int:
    """How many rows `section` (a key of SECTIONS, each named as its table) has."""
    if section not in SECTIONS:
        raise ValueError(section)
    return int(conn.execute(f"SELECT count(*) FROM {section}").fetchone()[0])


def count_conversations(conn: sqlite3.Connection, start: str | None, end: str | None) -> int:
    return int(
        conn.execute(
            "SELECT count(*) FROM conversations WHERE (? IS NULL OR created_at >= ?)"
            " AND (? IS NULL OR created_at < ?)",
            (start, start, end, end),
        ).fetchone()[0]
    )
