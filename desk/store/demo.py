"""Bulk writes for `desk demo`: prepared rows inserted with executemany, a chunk per transaction.

The rows must already follow the denormalisation rules of migrations/m002_inbox.py (the
services layer computes them); this module only knows the column order."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from desk.validation import email_key

Row = tuple[Any, ...]

CONTACT_COLUMNS = (
    "id, name, email, email_key, phone, company, custom_attributes, created_at, updated_at"
)
CONVERSATION_COLUMNS = (
    "id, channel_id, contact_id, subject, status, snoozed_until, priority, priority_rank,"
    " assignee_id, unread_count, last_message_id, last_message_type, last_message_preview,"
    " last_message_at, first_incoming_at, first_reply_at, resolved_at, waiting_since,"
    " waiting_first_at, created_at, updated_at, last_activity_at"
)
MESSAGE_COLUMNS = (
    "id, conversation_id, type, body, sender_type, sender_id, sender_name, delivery_status,"
    " created_at"
)


@dataclass
class DemoRows:
    """One chunk of demo data, each list in the column order above."""

    contacts: list[Row] = field(default_factory=list)
    conversations: list[Row] = field(default_factory=list)
    tags: list[Row] = field(default_factory=list)  # (conversation_id, tag)
    messages: list[Row] = field(default_factory=list)
    search: list[Row] = field(default_factory=list)  # (conversation id, subject, people, bodies)


@dataclass(frozen=True)
class NextIds:
    contact: int
    conversation: int
    message: int


def _placeholders(columns: str) -> str:
    return ", ".join("?" for _ in columns.split(","))


def tune_for_bulk(conn: sqlite3.Connection, cache_mib: int = 256) -> None:
    """A large page cache for this connection only; durability settings stay as they are."""
    conn.execute(f"PRAGMA cache_size = {-1024 * int(cache_mib):d}")


def next_ids(conn: sqlite3.Connection) -> NextIds:
    """The ids a new chunk starts at; read inside the chunk's write transaction."""

    def after(table: str) -> int:
        return int(conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0])

    return NextIds(
        contact=after("contacts"), conversation=after("conversations"), message=after("messages")
    )


def insert_rows(conn: sqlite3.Connection, rows: DemoRows) -> None:
    conn.executemany(
        f"INSERT INTO contacts ({CONTACT_COLUMNS}) VALUES ({_placeholders(CONTACT_COLUMNS)})",
        rows.contacts,
    )
    conn.executemany(
        f"INSERT INTO conversations ({CONVERSATION_COLUMNS})"
        f" VALUES ({_placeholders(CONVERSATION_COLUMNS)})",
        rows.conversations,
    )
    conn.executemany(  # with the conversation's status (migration 5)
        "INSERT INTO conversation_tags (conversation_id, tag, status)"
        " SELECT ?1, ?2, status FROM conversations WHERE id = ?1",
        rows.tags,
    )
    conn.executemany(
        f"INSERT INTO messages ({MESSAGE_COLUMNS}) VALUES ({_placeholders(MESSAGE_COLUMNS)})",
        rows.messages,
    )
    conn.executemany(
        "INSERT INTO search_index (rowid, subject, people, bodies) VALUES (?, ?, ?, ?)",
        rows.search,
    )


def optimize_search(conn: sqlite3.Connection) -> None:
    """Merge the full-text index's segments into one after a bulk load (faster queries)."""
    conn.execute("INSERT INTO search_index (search_index) VALUES ('optimize')")


def agent_ids_by_email(conn: sqlite3.Connection, emails: list[str]) -> dict[str, int]:
    """Existing agents among `emails`, keyed by the email as given."""
    found: dict[str, int] = {}
    for email in emails:
        row = conn.execute("SELECT id FROM agents WHERE email_key = ?", (email_key(email),))
        hit = row.fetchone()
        if hit:
            found[email] = int(hit[0])
    return found


def channel_ids_by_type(conn: sqlite3.Connection) -> dict[str, int]:
    """The oldest channel of each type, if any."""
    rows = conn.execute("SELECT type, min(id) FROM channels GROUP BY type")
    return {str(row[0]): int(row[1]) for row in rows}
