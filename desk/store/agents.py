"""The agents table."""

from __future__ import annotations

import sqlite3

from desk.models.agents import Agent, Credentials, Role, TeamMember
from desk.validation import email_key

_COLUMNS = "id, name, email, role, created_at, last_seen_at, language, theme"


def _agent(row: sqlite3.Row) -> Agent:
    return Agent(
        id=row["id"],
        name=row["name"],
        email=row["email"],
        role=row["role"],
        created_at=row["created_at"],
        last_seen_at=row["last_seen_at"],
        language=row["language"],
        theme=row["theme"],
    )


def count_agents(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM agents").fetchone()[0])


def count_admins(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM agents WHERE role = 'admin'").fetchone()[0])


def get_agent(conn: sqlite3.Connection, agent_id: int) -> Agent | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM agents WHERE id = ?", (agent_id,)).fetchone()
    return _agent(row) if row else None


def agent_exists(conn: sqlite3.Connection, agent_id: int) -> bool:
    return conn.execute("SELECT 1 FROM agents WHERE id = ?", (agent_id,)).fetchone() is not None


def find_credentials(conn: sqlite3.Connection, email: str) -> Credentials | None:
    row = conn.execute(
        "SELECT id, password_hash FROM agents WHERE email_key = ?", (email_key(email),)
    ).fetchone()
    return Credentials(agent_id=row["id"], password_hash=row["password_hash"]) if row else None


def get_password_hash(conn: sqlite3.Connection, agent_id: int) -> str | None:
    row = conn.execute("SELECT password_hash FROM agents WHERE id = ?", (agent_id,)).fetchone()
    return str(row[0]) if row else None


def email_taken(conn: sqlite3.Connection, email: str) -> bool:
    row = conn.execute("SELECT 1 FROM agents WHERE email_key = ?", (email_key(email),))
    return row.fetchone() is not None


def list_agents(conn: sqlite3.Connection, limit: int, offset: int) -> list[Agent]:
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM agents ORDER BY name COLLATE NOCASE, id LIMIT ? OFFSET ?",
        (limit, offset),
    )
    return [_agent(row) for row in rows]


def list_team(conn: sqlite3.Connection) -> list[TeamMember]:
    rows = conn.execute("SELECT id, name, email, role FROM agents ORDER BY name COLLATE NOCASE")
    return [TeamMember(id=r["id"], name=r["name"], email=r["email"], role=r["role"]) for r in rows]


def insert_agent(
    conn: sqlite3.Connection, *, name: str, email: str, role: Role, password_hash: str, now: str
) -> int:
    cursor = conn.execute(
        "INSERT INTO agents (name, email, email_key, role, password_hash, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (name, email, email_key(email), role, password_hash, now),
    )
    return int(cursor.lastrowid or 0)


def set_role(conn: sqlite3.Connection, agent_id: int, role: Role) -> None:
    conn.execute("UPDATE agents SET role = ? WHERE id = ?", (role, agent_id))


def set_password_hash(conn: sqlite3.Connection, agent_id: int, password_hash: str) -> None:
    conn.execute("UPDATE agents SET password_hash = ? WHERE id = ?", (password_hash, agent_id))


def set_theme(conn: sqlite3.Connection, agent_id: int, theme: str | None) -> None:
    conn.execute("UPDATE agents SET theme = ? WHERE id = ?", (theme, agent_id))


def set_language(conn: sqlite3.Connection, agent_id: int, language: str | None) -> None:
    conn.execute("UPDATE agents SET language = ? WHERE id = ?", (language, agent_id))


def touch_agent(conn: sqlite3.Connection, agent_id: int, now: str) -> None:
    conn.execute("UPDATE agents SET last_seen_at = ? WHERE id = ?", (now, agent_id))


def delete_agent(conn: sqlite3.Connection, agent_id: int) -> None:
    conn.execute("DELETE FROM agents WHERE id = ?", (agent_id,))
