"""The notifications table and each agent's notification settings (m013)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from desk.models.notifications import Notification, NotificationKind

_COLUMNS = "id, kind, conversation_id, message_id, actor, preview, created_at, read_at"


def _notification(row: sqlite3.Row) -> Notification:
    return Notification(
        id=row["id"],
        kind=row["kind"],
        conversation_id=row["conversation_id"],
        message_id=row["message_id"],
        actor=row["actor"],
        preview=row["preview"],
        created_at=row["created_at"],
        read=row["read_at"] is not None,
    )


def insert(
    conn: sqlite3.Connection,
    *,
    agent_id: int,
    kind: NotificationKind,
    conversation_id: int,
    message_id: int | None,
    actor: str,
    preview: str,
    now: str,
) -> Notification:
    cursor = conn.execute(
        "INSERT INTO notifications (agent_id, kind, conversation_id, message_id, actor, preview,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (agent_id, kind, conversation_id, message_id, actor, preview, now),
    )
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM notifications WHERE id = ?", (cursor.lastrowid,)
    ).fetchone()
    return _notification(row)


def _where(kind: NotificationKind | None, unread: bool) -> str:
    where = "agent_id = ?"
    if kind is not None:
        where += " AND kind = ?"
    if unread:
        where += " AND read_at IS NULL"
    return where


def list_for(
    conn: sqlite3.Connection,
    agent_id: int,
    kind: NotificationKind | None,
    unread: bool,
    limit: int,
    offset: int,
) -> tuple[list[Notification], int]:
    params: list[object] = [agent_id] + ([kind] if kind else [])
    where = _where(kind, unread)
    count = conn.execute(f"SELECT count(*) FROM notifications WHERE {where}", params)
    total = int(count.fetchone()[0])
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM notifications WHERE {where} ORDER BY id DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return [_notification(r) for r in rows], total


def unread_count(conn: sqlite3.Connection, agent_id: int) -> int:
    row = conn.execute(
        "SELECT count(*) FROM notifications WHERE agent_id = ? AND read_at IS NULL", (agent_id,)
    ).fetchone()
    return int(row[0])


def owned_ids(conn: sqlite3.Connection, agent_id: int, ids: Iterable[int]) -> set[int]:
    wanted = list(ids)
    if not wanted:
        return set()
    marks = ",".join("?" * len(wanted))
    rows = conn.execute(
        f"SELECT id FROM notifications WHERE agent_id = ? AND id IN ({marks})", [agent_id, *wanted]
    )
    return {int(r[0]) for r in rows}


def mark_read(conn: sqlite3.Connection, agent_id: int, ids: list[int] | None, now: str) -> None:
    """Mark these (None: all) of the agent's notifications read."""
    if ids is None:
        conn.execute(
            "UPDATE notifications SET read_at = ? WHERE agent_id = ? AND read_at IS NULL",
            (now, agent_id),
        )
        return
    conn.executemany(
        "UPDATE notifications SET read_at = ? WHERE agent_id = ? AND id = ? AND read_at IS NULL",
        [(now, agent_id, i) for i in ids],
    )


def mark_conversation_read(
    conn: sqlite3.Connection, agent_id: int, conversation_id: int, now: str
) -> int:
    cursor = conn.execute(
        "UPDATE notifications SET read_at = ? WHERE agent_id = ? AND conversation_id = ?"
        " AND read_at IS NULL",
        (now, agent_id, conversation_id),
    )
    return cursor.rowcount


def get_prefs(conn: sqlite3.Connection, agent_ids: list[int]) -> dict[int, dict[str, object]]:
    """The stored preferences of these agents (missing agents: none stored)."""
    if not agent_ids:
        return {}
    marks = ",".join("?" * len(agent_ids))
    rows = conn.execute(
        f"SELECT agent_id, prefs FROM notification_settings WHERE agent_id IN ({marks})",
        agent_ids,
    )
    return {int(r[0]): dict(json.loads(r[1])) for r in rows}


def set_prefs(conn: sqlite3.Connection, agent_id: int, prefs: dict[str, object]) -> None:
    conn.execute(
        "INSERT INTO notification_settings (agent_id, prefs) VALUES (?, ?)"
        " ON CONFLICT (agent_id) DO UPDATE SET prefs = excluded.prefs",
        (agent_id, json.dumps(prefs)),
    )


def agent_ids(conn: sqlite3.Connection) -> list[int]:
    return [int(r[0]) for r in conn.execute("SELECT id FROM agents ORDER BY id")]


def conversation_facts(conn: sqlite3.Connection, conversation_id: int) -> tuple[int | None, str]:
    """(assignee id, contact name) of a conversation."""
    row = conn.execute(
        "SELECT v.assignee_id, coalesce(k.name, k.email, k.phone, '') FROM conversations v"
        " JOIN contacts k ON k.id = v.contact_id WHERE v.id = ?",
        (conversation_id,),
    ).fetchone()
    return (row[0], str(row[1])) if row else (None, "")


def told_about(conn: sqlite3.Connection, agent_id: int, message_id: int) -> bool:
    row = conn.execute(
        "SELECT 1 FROM notifications WHERE agent_id = ? AND message_id = ? LIMIT 1",
        (agent_id, message_id),
    ).fetchone()
    return row is not None
