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


def document_matches(conn: sqlite3.Connection, match: str, conversation_id: int) -> bool:
    row = conn.execute(
        "SELECT 1 FROM search_index WHERE search_index MATCH ? AND rowid = ?",
        (match, conversation_id),
    ).fetchone()
    return row is not None


def body_snippets(
    conn: sqlite3.Connection, match: str, conversation_ids: list[int]
) -> dict[int, str]:
    """For each conversation whose messages match `match` (an FTS5 query on `bodies`): the
    stretch of text around the best match, each matched word between the characters \\x02 and
    \\x03 (never in indexed text), `…` where it was cut."""
    if not conversation_ids:
        return {}
    marks = ", ".join("?" * len(conversation_ids))
    snippet = "snippet(search_index, 2, char(2), char(3), '…', 24)"
    if "*" not in match:  # whole words: a probe per id costs microseconds
        rows = conn.execute(
            f"SELECT rowid, {snippet} FROM search_index"
            f" WHERE search_index MATCH ? AND rowid IN ({marks})",
            (match, *conversation_ids),
        )
        return {int(row[0]): str(row[1]) for row in rows}
    # A prefix (`"questi"*`): FTS5 answers each probe by merging the lists of every word it
    # starts, so one pass over the ids' range instead (`+rowid`: the list checks each row, not
    # FTS5), the snippet made only for the ids asked.
    rows = conn.execute(
        f"SELECT rowid, {snippet} FROM search_index WHERE search_index MATCH ?"
        f" AND rowid BETWEEN ? AND ? AND +rowid IN ({marks})",
        (match, min(conversation_ids), max(conversation_ids), *conversation_ids),
    )
    return {int(row[0]): str(row[1]) for row in rows}


def vocabulary(conn: sqlite3.Connection, low: str, high: str) -> list[tuple[str, int]]:
    """The indexed words from `low` (inclusive) to `high` (exclusive), with how many
    conversations have each (`search_vocab`, FTS5's own vocabulary of the index)."""
    rows = conn.execute(
        "SELECT term, doc FROM search_vocab WHERE term >= ? AND term < ?", (low, high)
    )
    return [(str(row[0]), int(row[1])) for row in rows]


def count_matches(conn: sqlite3.Connection, match: str) -> int:
    row = conn.execute(f"SELECT count(*) FROM ({matching_ids_sql()})", (match,)).fetchone()
    return int(row[0])
