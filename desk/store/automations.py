"""The automations tables (m003): rules, their run record, fired waits, auto-replies sent;
and what the engine reads of a conversation to evaluate conditions and fill templates."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import msgspec

from desk.models.automations import Action, Automation, Condition, Context

_COLUMNS = (
    "id, name, event, active, conditions, actions, after_minutes, run_count, last_run_at,"
    " created_at"
)


def _automation(row: sqlite3.Row) -> Automation:
    return Automation(
        id=row["id"],
        name=row["name"],
        event=row["event"],
        active=bool(row["active"]),
        conditions=msgspec.json.decode(row["conditions"], type=list[Condition]),
        actions=msgspec.json.decode(row["actions"], type=list[Action]),
        after_minutes=row["after_minutes"],
        run_count=row["run_count"],
        last_run_at=row["last_run_at"],
        created_at=row["created_at"],
    )


def insert_automation(
    conn: sqlite3.Connection,
    *,
    name: str,
    event: str,
    active: bool,
    conditions: list[Condition],
    actions: list[Action],
    after_minutes: int | None,
    now: str,
) -> int:
    cursor = conn.execute(
        "INSERT INTO automations (name, event, active, conditions, actions, after_minutes,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            name,
            event,
            int(active),
            msgspec.json.encode(conditions).decode(),
            msgspec.json.encode(actions).decode(),
            after_minutes,
            now,
            now,
        ),
    )
    return int(cursor.lastrowid or 0)


def get_automation(conn: sqlite3.Connection, automation_id: int) -> Automation | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM automations WHERE id = ?", (automation_id,)
    ).fetchone()
    return _automation(row) if row else None


def automation_exists(conn: sqlite3.Connection, automation_id: int) -> bool:
    row = conn.execute("SELECT 1 FROM automations WHERE id = ?", (automation_id,))
    return row.fetchone() is not None


def count_automations(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM automations").fetchone()[0])


def list_automations(conn: sqlite3.Connection, limit: int, offset: int) -> list[Automation]:
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM automations ORDER BY id LIMIT ? OFFSET ?", (limit, offset)
    )
    return [_automation(row) for row in rows]


def active_for_event(conn: sqlite3.Connection, event: str) -> list[Automation]:
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM automations WHERE event = ? AND active = 1 ORDER BY id", (event,)
    )
    return [_automation(row) for row in rows]


def update_automation(conn: sqlite3.Connection, automation: Automation, now: str) -> None:
    """Write an automation's rule (name, event, conditions, actions, active, after_minutes)."""
    conn.execute(
        "UPDATE automations SET name = ?, event = ?, active = ?, conditions = ?, actions = ?,"
        " after_minutes = ?, updated_at = ? WHERE id = ?",
        (
            automation.name,
            automation.event,
            int(automation.active),
            msgspec.json.encode(automation.conditions).decode(),
            msgspec.json.encode(automation.actions).decode(),
            automation.after_minutes,
            now,
            automation.id,
        ),
    )


def toggle_automation(conn: sqlite3.Connection, automation_id: int, now: str) -> None:
    conn.execute(
        "UPDATE automations SET active = 1 - active, updated_at = ? WHERE id = ?",
        (now, automation_id),
    )


def delete_automation(conn: sqlite3.Connection, automation_id: int) -> None:
    conn.execute("DELETE FROM automations WHERE id = ?", (automation_id,))


def record_run(conn: sqlite3.Connection, automation_id: int, now: str) -> None:
    conn.execute(
        "UPDATE automations SET run_count = run_count + 1, last_run_at = ? WHERE id = ?",
        (now, automation_id),
    )


def next_round_robin(conn: sqlite3.Connection, now: str) -> int | None:
    """The agent assigned least recently (never first, then by id); marks them assigned now."""
    row = conn.execute(
        "SELECT id FROM agents ORDER BY last_assigned_at IS NOT NULL, last_assigned_at, id LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    conn.execute("UPDATE agents SET last_assigned_at = ? WHERE id = ?", (now, row[0]))
    return int(row[0])


def due_waits(
    conn: sqlite3.Connection, automation_id: int, cutoff: str, limit: int
) -> list[tuple[int, str]]:
    """Open or pending conversations waiting since `cutoff` or earlier whose current wait this
    automation has not fired for yet: (conversation_id, waiting_since)."""
    rows = conn.execute(
        "SELECT c.id, c.waiting_since FROM conversations AS c"
        " LEFT JOIN automation_waits AS w ON w.automation_id = ? AND w.conversation_id = c.id"
        " WHERE c.waiting_since IS NOT NULL AND c.waiting_since <= ?"
        " AND c.status IN ('open', 'pending')"
        " AND (w.waiting_since IS NULL OR w.waiting_since != c.waiting_since)"
        " ORDER BY c.waiting_since LIMIT ?",
        (automation_id, cutoff, limit),
    )
    return [(int(r[0]), str(r[1])) for r in rows]


def mark_waited(
    conn: sqlite3.Connection, automation_id: int, conversation_id: int, waiting_since: str
) -> None:
    conn.execute(
        "INSERT INTO automation_waits (automation_id, conversation_id, waiting_since)"
        " VALUES (?, ?, ?) ON CONFLICT (automation_id, conversation_id)"
        " DO UPDATE SET waiting_since = excluded.waiting_since",
        (automation_id, conversation_id, waiting_since),
    )


def mark_auto_replied(
    conn: sqlite3.Connection, conversation_id: int, now: str, closed_since: str
) -> bool:
    """True when the conversation got no auto-reply since the closed period began (at
    `closed_since`), and records this one: the out-of-hours auto-reply goes once per closed
    period."""
    cursor = conn.execute(
        "INSERT INTO auto_replied (conversation_id, at) VALUES (?, ?)"
        " ON CONFLICT (conversation_id) DO UPDATE SET at = excluded.at"
        " WHERE auto_replied.at < ?",
        (conversation_id, now, closed_since),
    )
    return cursor.rowcount == 1


def conversation_state_codes(
    conn: sqlite3.Connection, statuses: tuple[str, ...], batch: int = 50_000
) -> Iterator[list[tuple[int, int]]]:
    """Every conversation's (id, assignee_id << 3 | the index of its status in `statuses`, 7
    if none), in batches in no particular order: what the engine compares updates with, coded
    by SQLite from the (assignee, status) index alone (a tenth of the table's pages)."""
    cases = " ".join(f"WHEN ? THEN {index:d}" for index in range(len(statuses)))
    cursor = conn.execute(
        f"SELECT id, (coalesce(assignee_id, 0) << 3) | CASE status {cases} ELSE 7 END"
        " FROM conversations INDEXED BY conversations_assignee",
        statuses,
    )
    while rows := cursor.fetchmany(batch):
        yield rows


def get_context(conn: sqlite3.Connection, conversation_id: int) -> Context | None:
    row = conn.execute(
        "SELECT c.id, c.channel_id, ch.type, c.subject, c.status, c.priority, c.assignee_id,"
        " coalesce(a.name, ''), coalesce(p.name, ''), coalesce(p.email, ''),"
        " (SELECT body FROM messages WHERE conversation_id = c.id AND type = 'incoming'"
        "  ORDER BY id DESC LIMIT 1)"
        " FROM conversations AS c JOIN channels AS ch ON ch.id = c.channel_id"
        " JOIN contacts AS p ON p.id = c.contact_id"
        " LEFT JOIN agents AS a ON a.id = c.assignee_id WHERE c.id = ?",
        (conversation_id,),
    ).fetchone()
    if row is None:
        return None
    tags = [
        r[0]
        for r in conn.execute(
            "SELECT tag FROM conversation_tags WHERE conversation_id = ? ORDER BY tag",
            (conversation_id,),
        )
    ]
    return Context(
        conversation_id=row[0],
        channel_id=row[1],
        channel_type=row[2],
        subject=row[3],
        status=row[4],
        priority=row[5],
        assignee_id=row[6],
        assignee_name=row[7],
        contact_name=row[8],
        contact_email=row[9],
        tags=tags,
        latest_incoming=row[10] or "",
    )
