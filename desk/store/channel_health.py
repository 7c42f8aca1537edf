"""How each channel's connections fare: the last success and failure of receiving (the email
poll) and of sending (SMTP, the webhook), and how much mail was dropped unanswered."""

from __future__ import annotations

import sqlite3
from typing import Literal

import msgspec

Side = Literal["receive", "send"]
MAX_ERROR = 1000


class HealthRecord(msgspec.Struct, kw_only=True):
    channel_id: int
    receive_ok_at: str | None = None
    receive_error: str | None = None
    receive_error_at: str | None = None
    send_ok_at: str | None = None
    send_error: str | None = None
    send_error_at: str | None = None
    dropped: int = 0


_COLUMNS = (
    "channel_id, receive_ok_at, receive_error, receive_error_at, send_ok_at, send_error,"
    " send_error_at, dropped"
)


def _record(row: sqlite3.Row) -> HealthRecord:
    return HealthRecord(**{key: row[key] for key in row.keys()})  # noqa: SIM118 (Row)


def get_health(conn: sqlite3.Connection, channel_id: int) -> HealthRecord:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM channel_health WHERE channel_id = ?", (channel_id,)
    ).fetchone()
    return _record(row) if row else HealthRecord(channel_id=channel_id)


def health_of(conn: sqlite3.Connection, channel_ids: list[int]) -> dict[int, HealthRecord]:
    if not channel_ids:
        return {}
    marks = ",".join("?" * len(channel_ids))
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM channel_health WHERE channel_id IN ({marks})", channel_ids
    )
    found = {row["channel_id"]: _record(row) for row in rows}
    return {cid: found.get(cid) or HealthRecord(channel_id=cid) for cid in channel_ids}


def _ensure(conn: sqlite3.Connection, channel_id: int) -> None:
    conn.execute(
        "INSERT INTO channel_health (channel_id) VALUES (?) ON CONFLICT (channel_id) DO NOTHING",
        (channel_id,),
    )


def note_success(conn: sqlite3.Connection, channel_id: int, side: Side, now: str) -> None:
    """The side worked now: its error is over (the text stays, with its time, for history)."""
    _ensure(conn, channel_id)
    column = "receive_ok_at" if side == "receive" else "send_ok_at"  # fixed names, never input
    conn.execute(f"UPDATE channel_health SET {column} = ? WHERE channel_id = ?", (now, channel_id))


def note_failure(
    conn: sqlite3.Connection, channel_id: int, side: Side, error: str, now: str
) -> None:
    _ensure(conn, channel_id)
    prefix = "receive" if side == "receive" else "send"
    conn.execute(
        f"UPDATE channel_health SET {prefix}_error = ?, {prefix}_error_at = ? WHERE channel_id = ?",
        (error[:MAX_ERROR], now, channel_id),
    )


def add_dropped(conn: sqlite3.Connection, channel_id: int) -> None:
    _ensure(conn, channel_id)
    conn.execute(
        "UPDATE channel_health SET dropped = dropped + 1 WHERE channel_id = ?", (channel_id,)
    )
