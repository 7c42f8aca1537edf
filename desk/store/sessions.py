"""Server-side sessions. Only a hash of each token is stored."""

from __future__ import annotations

import sqlite3

from desk.models.agents import Session


def insert_session(
    conn: sqlite3.Connection, *, token_hash: str, agent_id: int, now: str, expires_at: str
) -> int:
    cursor = conn.execute(
        "INSERT INTO sessions (token_hash, agent_id, created_at, last_seen_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (token_hash, agent_id, now, now, expires_at),
    )
    return int(cursor.lastrowid or 0)


def find_session(conn: sqlite3.Connection, token_hash: str) -> Session | None:
    row = conn.execute(
        "SELECT id, agent_id, created_at, last_seen_at, expires_at FROM sessions"
        " WHERE token_hash = ?",
        (token_hash,),
    ).fetchone()
    if row is None:
        return None
    return Session(
        id=row["id"],
        agent_id=row["agent_id"],
        created_at=row["created_at"],
        last_seen_at=row["last_seen_at"],
        expires_at=row["expires_at"],
    )


def touch_session(conn: sqlite3.Connection, session_id: int, now: str) -> None:
    conn.execute("UPDATE sessions SET last_seen_at = ? WHERE id = ?", (now, session_id))


def delete_session(conn: sqlite3.Connection, session_id: int) -> None:
    conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))


def delete_sessions_of_agent(
    conn: sqlite3.Connection, agent_id: int, keep_session_id: int | None = None
) -> None:
    conn.execute(
        "DELETE FROM sessions WHERE agent_id = ? AND id IS NOT ?", (agent_id, keep_session_id)
    )


def delete_expired_sessions(conn: sqlite3.Connection, now: str, idle_before: str) -> None:
    conn.execute(
        "DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?", (now, idle_before)
    )
