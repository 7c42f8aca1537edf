"""CSV exports (admin): contacts, and conversations created in a date range of the workspace's
timezone. Streamed a page at a time (each page its own short read), so memory stays flat
whatever the size. A cell starting with `=`, `+`, `-` or `@` gets a leading `'`, so a
spreadsheet never runs it as a formula."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from desk.errors import Invalid
from desk.models.timestamps import iso
from desk.services.channels.config import public_config
from desk.services.desk import Desk
from desk.store import exports as store
from desk.store import workspace as workspace_store

PAGE = 1000
Rows = Callable[[int], None]  # progress(rows): called after each page with its row count
CONTACT_COLUMNS = ["id", "name", "email", "phone", "company", "custom_attributes", "created_at"]
CONVERSATION_COLUMNS = [
    "id",
    "created_at",
    "status",
    "priority",
    "channel_type",
    "channel_name",
    "contact_name",
    "contact_email",
    "assignee",
    "tags",
    "subject",
    "last_activity_at",
]


def safe(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _line(cells: list[object]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([safe(c) for c in cells])
    return out.getvalue()


def count_rows(desk: Desk, kind: str, start: str | None = None, end: str | None = None) -> int:
    """How many rows an export of `kind` ("contacts", "conversations" from `start` to `end`,
    or "workspace") will hold, for a progress bar."""
    with desk.db.read() as conn:
        if kind == "conversations":
            return store.count_conversations(conn, start, end)
        if kind == "contacts":
            return store.count_section(conn, "contacts")
        return sum(store.count_section(conn, section) for section in store.SECTIONS)


def contacts_csv(desk: Desk, progress: Rows | None = None) -> Iterator[str]:
    yield _line(list(CONTACT_COLUMNS))
    after = 0
    while True:
        with desk.db.read() as conn:
            rows = store.contacts_after(conn, after, PAGE)
        if not rows:
            return
        yield "".join(_contact_line(r) for r in rows)
        if progress is not None:
            progress(len(rows))
        after = rows[-1]["id"]


def _contact_line(r: Any) -> str:
    attributes = json.loads(r["custom_attributes"] or "{}")
    return _line(
        [
            r["id"],
            r["name"],
            r["email"],
            r["phone"],
            r["company"],
            json.dumps(attributes, ensure_ascii=False) if attributes else "",
            r["created_at"],
        ]
    )


def _day(text: str | None, field: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Invalid(f"{field} must be a date like 2026-11-30.", field, "invalid_date") from None


def date_range(desk: Desk, start: str | None, end: str | None) -> tuple[str | None, str | None]:
    """`from` and `to` (inclusive days in the workspace timezone) as UTC [start, end)."""
    first, last = _day(start, "from"), _day(end, "to")
    if first and last and first > last:
        raise Invalid("from must not be after to.", "from", "invalid_range")
    with desk.db.read() as conn:
        workspace = workspace_store.get_workspace(conn)
    zone = ZoneInfo(workspace.timezone if workspace else "UTC")

    def at(day: date) -> str:
        return iso(datetime.combine(day, time(0), tzinfo=zone))

    return (at(first) if first else None, at(last + timedelta(days=1)) if last else None)


def conversations_csv(
    desk: Desk, start: str | None, end: str | None, progress: Rows | None = None
) -> Iterator[str]:
    yield _line(list(CONVERSATION_COLUMNS))
    after = 0
    while True:
        with desk.db.read() as conn:
            rows = store.conversations_after(conn, after, PAGE, start, end)
        if not rows:
            return
        yield "".join(_line([r[c] for c in CONVERSATION_COLUMNS]) for r in rows)
        if progress is not None:
            progress(len(rows))
        after = rows[-1]["id"]


# -- the whole workspace as JSON -------------------------------------------------------------

FORMAT = "desk-workspace-export"
VERSION = 1


def workspace_json(desk: Desk, progress: Rows | None = None) -> Iterator[bytes]:
    """Everything but secrets as one JSON object, a page of rows at a time: `format`,
    `version`, `exported_at`, `workspace` (its settings, without the AI key), then one array
    per section of store.exports.SECTIONS, a row a line. Each page is its own short read, so
    rows written meanwhile may or may not be in it (not a snapshot: take a backup for that)."""
    with desk.db.read() as conn:
        workspace = workspace_store.get_workspace(conn)
    settings = msgspec.to_builtins(workspace) if workspace else {}
    settings.pop("ai_api_key", None)
    head = {"format": FORMAT, "version": VERSION, "exported_at": desk.now_iso()}
    yield msgspec.json.encode(head)[:-1] + b',\n"workspace":' + msgspec.json.encode(settings)
    for section in store.SECTIONS:
        yield b',\n"' + section.encode() + b'":['
        after, first = 0, True
        while True:
            with desk.db.read() as conn:
                rows = store.section_after(conn, section, after, PAGE)
            if not rows:
                break
            lines = [msgspec.json.encode(_row(section, row)) for row in rows]
            yield (b"\n" if first else b",\n") + b",\n".join(lines)
            first = False
            if progress is not None:
                progress(len(rows))
            after = int(rows[-1]["id"])  # type: ignore[call-overload]
        yield b"]" if first else b"\n]"
    yield b"}\n"


def _row(section: str, row: dict[str, object]) -> dict[str, object]:
    if section == "channels":
        row["config"] = public_config(str(row["type"]), json.loads(str(row["config"] or "{}")))
    for column in store.JSON_COLUMNS.get(section, frozenset()):
        value = row[column]
        if isinstance(value, str):
            row[column] = msgspec.Raw(value.encode())
    for flag in ("active", "email_verified"):
        if flag in row:
            row[flag] = bool(row[flag])
    return row
