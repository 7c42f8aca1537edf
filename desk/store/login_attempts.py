"""Failed sign-in attempts, counted per email and per client address."""

from __future__ import annotations

import sqlite3


def record_attempt(conn: sqlite3.Connection, email_key: str, address: str, now: str) -> int:
    """Count an attempt (made before its password is checked: a reservation); its row id."""
    cursor = conn.execute(
        "INSERT INTO login_attempts (email_key, address, at) VALUES (?, ?, ?)",
        (email_key, address, now),
    )
    return int(cursor.lastrowid or 0)


def delete_attempt(conn: sqlite3.Connection, attempt_id: int) -> None:
    conn.execute("DELETE FROM login_attempts WHERE id = ?", (attempt_id,))


def failures_for_email(conn: sqlite3.Connection, email_key: str, since: str) -> list[str]:
    """Times of recent failures for this email, oldest first."""
    rows = conn.execute(
        "SELECT at FROM login_attempts WHERE email_key = ? AND at > ? ORDER BY at",
        (email_key, since),
    )
    return [row[0] for row in rows]


def failures_for_address(conn: sqlite3.Connection, address: str, since: str) -> list[str]:
    rows = conn.execute(
        "SELECT at FROM login_attempts WHERE address = ? AND at > ? ORDER BY at",
        (address, since),
    )
    return [row[0] for row in rows]


def clear_email(conn: sqlite3.Connection, email_key: str) -> None:
    conn.execute("DELETE FROM login_attempts WHERE email_key = ?", (email_key,))


def delete_before(conn: sqlite3.Connection, before: str) -> None:
    conn.execute("DELETE FROM login_attempts WHERE at <= ?", (before,))
