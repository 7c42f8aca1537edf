"""Drafts (`drafts`, migration 11): one row per agent and conversation, never both sides empty."""

from __future__ import annotations

import sqlite3

from desk.models.drafts import Draft

_COLUMNS = "conversation_id, reply, note, updated_at"


def _draft(row: sqlite3.Row) -> Draft:
    return Draft(
        conversation_id=row["conversation_id"],
        reply=row["reply"],
        note=row["note"],
        updated_at=row["updated_at"],
    )


def get_draft(conn: sqlite3.Connection, agent_id: int, conversation_id: int) -> Draft | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM drafts WHERE agent_id = ? AND conversation_id = ?",
        (agent_id, conversation_id),
    ).fetchone()
    return _draft(row) if row else None


def put_draft(
    conn: sqlite3.Connection, agent_id: int, conversation_id: int, reply: str, note: str, now: str
) -> None:
    """Store both sides; both empty (or white space only) deletes the row."""
    if not reply.strip() and not note.strip():
        delete_draft(conn, agent_id, conversation_id)
        return
    conn.execute(
        "INSERT INTO drafts (agent_id, conversation_id, reply, note, updated_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (agent_id, conversation_id)"
        " DO UPDATE SET reply = excluded.reply, note = excluded.note,"
        " updated_at = excluded.updated_at",
        (agent_id, conversation_id, reply, note, now),
    )


def delete_draft(conn: sqlite3.Connection, agent_id: int, conversation_id: int) -> bool:
    cursor = conn.execute(
        "DELETE FROM drafts WHERE agent_id = ? AND conversation_id = ?",
        (agent_id, conversation_id),
    )
    return cursor.rowcount > 0


def clear_side(
    conn: sqlite3.Connection, agent_id: int, conversation_id: int, side: str, now: str
) -> None:
    """A reply or note was sent: that side of the draft is done (the other one stays)."""
    draft = get_draft(conn, agent_id, conversation_id)
    if draft is None:
        return
    reply = "" if side == "reply" else draft.reply
    note = "" if side == "note" else draft.note
    put_draft(conn, agent_id, conversation_id, reply, note, now)


def list_drafts(
    conn: sqlite3.Connection, agent_id: int, *, limit: int, offset: int
) -> tuple[list[Draft], int]:
    """The agent's drafts, most recently changed first."""
    total = int(
        conn.execute("SELECT count(*) FROM drafts WHERE agent_id = ?", (agent_id,)).fetchone()[0]
    )
    if offset >= total:
        return [], total
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM drafts WHERE agent_id = ?"
        " ORDER BY updated_at DESC, conversation_id DESC LIMIT ? OFFSET ?",
        (agent_id, limit, offset),
    )
    return [_draft(row) for row in rows], total
