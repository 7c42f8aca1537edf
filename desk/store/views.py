"""The saved_views and saved_view_order tables (m019).

An agent sees their own views and every shared one, in their own order: the views they
placed (saved_view_order), then the rest oldest first.
"""

from __future__ import annotations

import sqlite3

from desk.models.views import ViewRow

_COLUMNS = "v.id, v.name, v.filters, v.shared, v.owner_id, v.owner_name, v.created_at, v.updated_at"
_VISIBLE = "(v.owner_id = ? OR v.shared = 1)"


def _row(row: sqlite3.Row) -> ViewRow:
    return ViewRow(
        id=row["id"],
        name=row["name"],
        filters=row["filters"],
        shared=bool(row["shared"]),
        owner_id=row["owner_id"],
        owner_name=row["owner_name"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def visible_views(
    conn: sqlite3.Connection, agent_id: int, limit: int = -1, offset: int = 0
) -> list[ViewRow]:
    """The views an agent sees, in their order."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM saved_views v LEFT JOIN saved_view_order o"
        f" ON o.view_id = v.id AND o.agent_id = ? WHERE {_VISIBLE}"
        " ORDER BY o.position IS NULL, o.position, v.id LIMIT ? OFFSET ?",
        (agent_id, agent_id, limit, offset),
    )
    return [_row(row) for row in rows]


def count_visible(conn: sqlite3.Connection, agent_id: int) -> int:
    row = conn.execute(
        f"SELECT count(*) FROM saved_views v WHERE {_VISIBLE}", (agent_id,)
    ).fetchone()
    return int(row[0])


def get_view(conn: sqlite3.Connection, view_id: int) -> ViewRow | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM saved_views v WHERE v.id = ?", (view_id,))
    found = row.fetchone()
    return _row(found) if found else None


def count_owned(conn: sqlite3.Connection, agent_id: int) -> int:
    row = conn.execute("SELECT count(*) FROM saved_views WHERE owner_id = ?", (agent_id,))
    return int(row.fetchone()[0])


def insert_view(
    conn: sqlite3.Connection,
    *,
    name: str,
    filters: str,
    shared: bool,
    owner_id: int,
    owner_name: str,
    now: str,
) -> int:
    cursor = conn.execute(
        "INSERT INTO saved_views (name, filters, shared, owner_id, owner_name, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (name, filters, 1 if shared else 0, owner_id, owner_name, now, now),
    )
    return int(cursor.lastrowid or 0)


def update_view(
    conn: sqlite3.Connection, view_id: int, name: str, filters: str, shared: bool, now: str
) -> None:
    conn.execute(
        "UPDATE saved_views SET name = ?, filters = ?, shared = ?, updated_at = ? WHERE id = ?",
        (name, filters, 1 if shared else 0, now, view_id),
    )


def forget_order_of_others(conn: sqlite3.Connection, view_id: int, owner_id: int | None) -> None:
    """A view made private leaves the other agents' orders."""
    conn.execute(
        "DELETE FROM saved_view_order WHERE view_id = ? AND agent_id IS NOT ?",
        (view_id, owner_id),
    )


def delete_view(conn: sqlite3.Connection, view_id: int) -> None:
    conn.execute("DELETE FROM saved_view_order WHERE view_id = ?", (view_id,))
    conn.execute("DELETE FROM saved_views WHERE id = ?", (view_id,))


def set_order(conn: sqlite3.Connection, agent_id: int, view_ids: list[int]) -> None:
    """The agent's order: these views first, in this order; the rest after, as they were."""
    current = [view.id for view in visible_views(conn, agent_id)]
    placed = set(view_ids)
    ordered = [*view_ids, *(i for i in current if i not in placed)]
    conn.execute("DELETE FROM saved_view_order WHERE agent_id = ?", (agent_id,))
    conn.executemany(
        "INSERT INTO saved_view_order (agent_id, view_id, position) VALUES (?, ?, ?)",
        [(agent_id, view_id, position) for position, view_id in enumerate(ordered)],
    )
