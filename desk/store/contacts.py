"""The contacts table and its full-text index (`contacts_fts`, kept by triggers)."""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

from desk.models.contacts import AttributeValue, Contact, ContactSort
from desk.validation import email_key

# Searching is by word prefix; a long paste is cut to its first words so a 2,000-character
# query stays a cheap FTS lookup.
MAX_SEARCH_WORDS = 8
_WORD_PART = re.compile(r"\w+")

_COLUMNS = (
    "c.id, c.name, c.email, c.phone, c.company, c.notes, c.custom_attributes, c.created_at,"
    " c.updated_at, (SELECT count(*) FROM conversations v WHERE v.contact_id = c.id)"
    " AS conversation_count"
)
_ORDER = {
    "name": "coalesce(c.name, c.email, c.phone) COLLATE NOCASE, c.id",
    "created_desc": "c.created_at DESC, c.id DESC",
}


def contact_email_key(email: str | None) -> str | None:
    """A contact's email key (desk.validation.email_key); a contact without email has none."""
    return email_key(email) if email else None


def _contact(row: sqlite3.Row) -> Contact:
    return Contact(
        id=row["id"],
        name=row["name"],
        email=row["email"],
        phone=row["phone"],
        company=row["company"],
        notes=row["notes"],
        custom_attributes=json.loads(row["custom_attributes"]),
        conversation_count=row["conversation_count"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def get_contact(conn: sqlite3.Connection, contact_id: int) -> Contact | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM contacts c WHERE c.id = ?", (contact_id,))
    found = row.fetchone()
    return _contact(found) if found else None


def contact_exists(conn: sqlite3.Connection, contact_id: int) -> bool:
    row = conn.execute("SELECT 1 FROM contacts WHERE id = ?", (contact_id,)).fetchone()
    return row is not None


def find_contact_id(
    conn: sqlite3.Connection,
    *,
    email: str | None = None,
    phone: str | None = None,
    external_id: str | None = None,
) -> int | None:
    """The contact with this email, else this external id, else this phone (first given)."""
    lookups = (
        ("email_key", contact_email_key(email)),
        ("external_id", external_id),
        ("phone", phone.strip() if phone else None),
    )
    for column, value in lookups:
        if not value:
            continue
        # column comes from the fixed tuple above, never from input
        row = conn.execute(
            f"SELECT id FROM contacts WHERE {column} = ? ORDER BY id LIMIT 1", (value,)
        ).fetchone()
        if row is not None:
            return int(row[0])
    return None


def email_taken(conn: sqlite3.Connection, email: str, except_id: int | None = None) -> bool:
    row = conn.execute(
        "SELECT 1 FROM contacts WHERE email_key = ? AND id IS NOT ?",
        (contact_email_key(email), except_id),
    ).fetchone()
    return row is not None


def external_id_taken(
    conn: sqlite3.Connection, external_id: str, except_id: int | None = None
) -> bool:
    row = conn.execute(
        "SELECT 1 FROM contacts WHERE external_id = ? AND id IS NOT ?", (external_id, except_id)
    ).fetchone()
    return row is not None


def insert_contact(
    conn: sqlite3.Connection,
    *,
    name: str | None,
    email: str | None,
    phone: str | None,
    company: str | None = None,
    external_id: str | None = None,
    notes: str = "",
    custom_attributes: dict[str, AttributeValue] | None = None,
    now: str,
) -> int:
    cursor = conn.execute(
        "INSERT INTO contacts (name, email, email_key, phone, company, notes, custom_attributes,"
        " external_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            name,
            email,
            contact_email_key(email),
            phone,
            company,
            notes,
            json.dumps(custom_attributes or {}),
            external_id,
            now,
            now,
        ),
    )
    return int(cursor.lastrowid or 0)


_UPDATABLE = ("name", "email", "phone", "company", "notes", "custom_attributes", "external_id")


def update_contact(
    conn: sqlite3.Connection, contact_id: int, changes: dict[str, Any], now: str
) -> None:
    """Set the given columns (names from a fixed list; values as `?` parameters)."""
    values = dict(changes)
    if "custom_attributes" in values:
        values["custom_attributes"] = json.dumps(values["custom_attributes"])
    if "email" in values:
        values["email_key"] = contact_email_key(values["email"])
    columns = [c for c in (*_UPDATABLE, "email_key") if c in values]
    assignments = ", ".join(f"{column} = ?" for column in columns)
    conn.execute(
        f"UPDATE contacts SET {assignments}, updated_at = ? WHERE id = ?"
        if columns
        else "UPDATE contacts SET updated_at = ? WHERE id = ?",
        (*(values[c] for c in columns), now, contact_id),
    )


def fill_in(
    conn: sqlite3.Connection,
    contact_id: int,
    *,
    name: str | None,
    email: str | None,
    phone: str | None,
    external_id: str | None,
    now: str,
) -> list[str]:
    """Give an existing contact the details it lacks (never overwriting one, never taking an
    email or external id another contact has). Returns the columns it set."""
    row = conn.execute(
        "SELECT name, email, phone, external_id FROM contacts WHERE id = ?", (contact_id,)
    ).fetchone()
    if row is None:
        return []
    changes: dict[str, Any] = {}
    if name and not row["name"]:
        changes["name"] = name
    if email and not row["email"] and not email_taken(conn, email):
        changes["email"] = email
    if phone and not row["phone"]:
        changes["phone"] = phone
    if external_id and not row["external_id"] and not external_id_taken(conn, external_id):
        changes["external_id"] = external_id
    if changes:
        update_contact(conn, contact_id, changes, now)
    return list(changes)


def delete_contact(conn: sqlite3.Connection, contact_id: int) -> None:
    """Erase the contact; their conversations, messages and outbox rows go by cascade."""
    conn.execute("DELETE FROM contacts WHERE id = ?", (contact_id,))


def fts_prefix_query(text: str) -> str | None:
    """An FTS5 query where every word of `text` is a quoted prefix phrase, or None if `text`
    has no searchable word. Only word characters reach FTS, inside quotes: no input can
    form FTS syntax."""
    phrases: list[str] = []
    for word in text.split():
        parts = _WORD_PART.findall(word)
        phrase = '"' + " ".join(parts).lower() + '"*'
        if parts and phrase not in phrases:  # a word said twice narrows nothing
            phrases.append(phrase)
        if len(phrases) == MAX_SEARCH_WORDS:
            break
    return " ".join(phrases) or None


def _page(
    conn: sqlite3.Connection, source: str, params: tuple[Any, ...], order: str
) -> list[Contact]:
    """Order and cut the ids first, then read (and count conversations for) one page only."""
    rows = conn.execute(
        f"WITH page AS (SELECT c.id FROM {source} ORDER BY {order} LIMIT ? OFFSET ?)"
        f" SELECT {_COLUMNS} FROM page JOIN contacts c ON c.id = page.id ORDER BY {order}",
        params,
    )
    return [_contact(r) for r in rows]


def list_contacts(
    conn: sqlite3.Connection,
    *,
    search: str | None,
    sort: ContactSort,
    limit: int,
    offset: int,
) -> tuple[list[Contact], int]:
    order = _ORDER[sort]  # a fixed clause chosen by key, never user text
    if search is None or not search.strip():
        total = int(conn.execute("SELECT count(*) FROM contacts").fetchone()[0])
        return _page(conn, "contacts c", (limit, offset), order), total
    query = fts_prefix_query(search)
    if query is None:
        return [], 0
    total = int(
        conn.execute(
            "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH ?", (query,)
        ).fetchone()[0]
    )
    # FTS drives the join (the matches first, then their rows), never a scan of contacts.
    source = "contacts_fts f CROSS JOIN contacts c ON c.id = f.rowid WHERE contacts_fts MATCH ?"
    return _page(conn, source, (query, limit, offset), order), total
