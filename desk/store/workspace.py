"""The single workspace row: name, timezone, hours, auto-reply and AI provider."""

from __future__ import annotations

import json
import sqlite3

import msgspec

from desk.models.workspace import AiSettings, AutoReply, Workspace


def get_workspace(conn: sqlite3.Connection) -> Workspace | None:
    row = conn.execute(
        "SELECT name, timezone, business_hours, auto_reply, ai, ai_api_key, updated_at"
        " FROM workspace WHERE id = 1"
    ).fetchone()
    if row is None:
        return None
    return Workspace(
        name=row["name"],
        timezone=row["timezone"],
        business_hours=json.loads(row["business_hours"]),
        auto_reply=msgspec.json.decode(row["auto_reply"], type=AutoReply),
        ai=msgspec.json.decode(row["ai"], type=AiSettings),
        ai_api_key=row["ai_api_key"],
        updated_at=row["updated_at"],
    )


def save_workspace(conn: sqlite3.Connection, workspace: Workspace) -> None:
    """Insert or replace the workspace row."""
    conn.execute(
        "INSERT INTO workspace (id, name, timezone, business_hours, auto_reply, ai, ai_api_key,"
        " created_at, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (id) DO UPDATE SET name = excluded.name, timezone = excluded.timezone,"
        " business_hours = excluded.business_hours, auto_reply = excluded.auto_reply,"
        " ai = excluded.ai, ai_api_key = excluded.ai_api_key, updated_at = excluded.updated_at",
        (
            workspace.name,
            workspace.timezone,
            json.dumps(workspace.business_hours),
            msgspec.json.encode(workspace.auto_reply).decode(),
            msgspec.json.encode(workspace.ai).decode(),
            workspace.ai_api_key,
            workspace.updated_at,
            workspace.updated_at,
        ),
    )
