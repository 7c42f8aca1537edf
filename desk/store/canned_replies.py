"""The canned_replies table (m009)."""

from __future__ import annotations

import sqlite3
from typing import Any

from desk.models.canned_replies import Author, CannedReply

_COLUMNS = "id, shortcut, title, body, created_by_id, created_by_name, created_at, updated_at"


def _reply(row: sqlite3.Row) -> CannedReply:
    return CannedReply(
        id=row["id"],
        shortcut=row["shortcut"],
        title=row["title"],
        body=row["body"],
        created_by=Author(id=row["created_by_id"], name=row["created_by_name"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _like(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"


def _where(search: str | None) -> tuple[str, list[Any]]:
    """Shortcut prefix, title prefix, or the prefix of a word of the title."""
    if not search:
        return "", []
    like = _like(search)
    return (
        " WHERE shortcut LIKE ? ESCAPE '\\' OR title LIKE ? ESCAPE '\\'"
        " OR title LIKE ? ESCAPE '\\'",
        [like, like, f"% {like}"],
    )


def list_replies(
    conn: sqlite3.Connection, search: str | None, limit: int, offset: int
) -> tuple[list[CannedReply], int]:
    where, params = _where(search)
    total = int(conn.execute(f"SELECT count(*) FROM canned_replies{where}", params).fetchone()[0])
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM canned_replies{where} ORDER BY shortcut LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return [_reply(row) for row in rows], total


def get_reply(conn: sqlite3.Connection, reply_id: int) -> CannedReply | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM canned_replies WHERE id = ?", (reply_id,)
    ).fetchone()
    return _reply(row) if row else None


def reply_exists(conn: sqlite3.Connection, reply_id: int) -> bool:
    row = conn.execute("SELECT 1 FROM canned_replies WHERE id = ?", (reply_id,))
    return row.fetchone() is not None


def shortcut_taken(conn: sqlite3.Connection, shortcut: str, except_id: int = 0) -> bool:
    row = conn.execute(
        "SELECT 1 FROM canned_replies WHERE shortcut = ? AND id != ?", (shortcut, except_id)
    )
    return row.fetchone() is not None


def insert_reply(
    conn: sqlite3.Connection,
    *,
    shortcut: str,
    title: str,
    body: str,
    author_id: int,
    author_name: str,
    now: str,
) -> int:
    cursor = conn.execute(
        "INSERT INTO canned_replies (shortcut, title, body, created_by_id, created_by_name,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (shortcut, title, body, author_id, author_name, now, now),
    )
    return int(cursor.lastrowid or 0)


def update_reply(
    conn: sqlite3.Connection, reply_id: int, shortcut: str, title: str, body: str, now: str
) -> None:
    conn.execute(
        "UPDATE canned_replies SET shortcut = ?, title = ?, body = ?, updated_at = ? WHERE id = ?",
        (shortcut, title, body, now, reply_id),
    )


def delete_reply(conn: sqlite3.Connection, reply_id: int) -> None:
    conn.execute("DELETE FROM canned_replies WHERE id = ?", (reply_id,))
