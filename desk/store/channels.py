"""The channels table. `config` is stored as JSON, secrets included; the API hides them."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from desk.models.channels import ChannelRecord, ChannelRef

_COLUMNS = "id, name, type, active, config, token, signing_secret, created_at, updated_at"


def _record(row: sqlite3.Row) -> ChannelRecord:
    return ChannelRecord(
        id=row["id"],
        name=row["name"],
        type=row["type"],
        active=bool(row["active"]),
        config=json.loads(row["config"]),
        token=row["token"],
        signing_secret=row["signing_secret"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def get_channel(conn: sqlite3.Connection, channel_id: int) -> ChannelRecord | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM channels WHERE id = ?", (channel_id,))
    found = row.fetchone()
    return _record(found) if found else None


def channel_exists(conn: sqlite3.Connection, channel_id: int) -> bool:
    row = conn.execute("SELECT 1 FROM channels WHERE id = ?", (channel_id,)).fetchone()
    return row is not None


def find_channel_by_token(conn: sqlite3.Connection, token: str) -> ChannelRecord | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM channels WHERE token = ?", (token,))
    found = row.fetchone()
    return _record(found) if found else None


def list_channel_refs(conn: sqlite3.Connection) -> list[ChannelRef]:
    rows = conn.execute(
        "SELECT id, name, type, active FROM channels ORDER BY name COLLATE NOCASE, id"
    )
    return [
        ChannelRef(id=r["id"], name=r["name"], type=r["type"], active=bool(r["active"]))
        for r in rows
    ]


def count_channels(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM channels").fetchone()[0])


def list_channels(conn: sqlite3.Connection, limit: int, offset: int) -> list[ChannelRecord]:
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM channels ORDER BY name COLLATE NOCASE, id LIMIT ? OFFSET ?",
        (limit, offset),
    )
    return [_record(row) for row in rows]


def insert_channel(
    conn: sqlite3.Connection,
    *,
    name: str,
    type: str,
    active: bool,
    config: dict[str, Any],
    token: str,
    signing_secret: str,
    now: str,
) -> int:
    cursor = conn.execute(
        "INSERT INTO channels (name, type, active, config, token, signing_secret, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (name, type, int(active), json.dumps(config), token, signing_secret, now, now),
    )
    return int(cursor.lastrowid or 0)


def update_channel(
    conn: sqlite3.Connection,
    channel_id: int,
    *,
    name: str,
    active: bool,
    config: dict[str, Any],
    now: str,
) -> None:
    conn.execute(
        "UPDATE channels SET name = ?, active = ?, config = ?, updated_at = ? WHERE id = ?",
        (name, int(active), json.dumps(config), now, channel_id),
    )


def count_channel_conversations(conn: sqlite3.Connection, channel_id: int) -> int:
    row = conn.execute("SELECT count(*) FROM conversations WHERE channel_id = ?", (channel_id,))
    return int(row.fetchone()[0])


def delete_channel(conn: sqlite3.Connection, channel_id: int) -> None:
    """Delete the channel; its conversations and their messages go by cascade."""
    conn.execute("DELETE FROM channels WHERE id = ?", (channel_id,))
