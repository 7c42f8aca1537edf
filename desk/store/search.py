"""The conversations' full-text documents (`search_index`, FTS5, rowid = conversation id).

One document per conversation: `subject`, `people` (the contact's name, email and phone joined
by spaces, missing ones skipped) and `bodies` (its incoming, outgoing and note messages joined
by "\n"; `store.messages.insert_message` appends them). Written in the same transaction as the
change it mirrors.

For whoever changes contacts (store/services contacts): after updating a contact's name, email
or phone, call `refresh_people(conn, contact_id)` in the same transaction, so searching for the
new name finds their conversations. Deleting conversations needs nothing: the
`conversations_ad` trigger removes their documents.
"""

from __future__ import annotations

import sqlite3


def people_text(name: str | None, email: str | None, phone: str | None) -> str:
    """The `people` column for a contact (the rule, for code that bulk-inserts documents)."""
    return " ".join(part for part in (name, email, phone) if part)


def _people(conn: sqlite3.Connection, contact_id: int) -> str:
    row = conn.execute(
        "SELECT name, email, phone FROM contacts WHERE id = ?", (contact_id,)
    ).fetchone()
    return people_text(row["name"], row["email"], row["phone"]) if row else ""


def insert_document(
    conn: sqlite3.Connection, conversation_id: int, subject: str, contact_id: int
) -> None:
    conn.execute(
        "INSERT INTO search_index (rowid, subject, people, bodies) VALUES (?, ?, ?, '')",
        (conversation_id, subject, _people(conn, contact_id)),
    )


def refresh_people(conn: sqlite3.Connection, contact_id: int) -> None:
    """Re-copy a contact's name, email and phone into each of their conversations' documents."""
    conn.execute(
        "UPDATE search_index SET people = ?"
        " WHERE rowid IN (SELECT id FROM conversations WHERE contact_id = ?)",
        (_people(conn, contact_id), contact_id),
    )


def matching_ids_sql() -> str:
    """A sub-select of the conversation ids whose document matches one FTS5 query parameter."""
    return "SELECT rowid FROM search_index WHERE search_index MATCH ?"
