"""The inbox page read as walks of indexes (store/walks.py) is the page a plain query gives:
every sort, status set and filter, several pages, each way of reading it (a union of walks per
status, one walk along the status index checking a narrowing filter, one walk and a sort)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest

from desk.config import Settings
from desk.models.conversations import NOT_RESOLVED, Filters
from desk.services.demo import generate as demo
from desk.services.desk import Desk
from desk.store import inbox, walks

SORTS = ["last_activity_desc", "created_desc", "created_asc", "priority_desc", "waiting_longest"]
STATUS_SETS: list[tuple[str, ...] | None] = [
    NOT_RESOLVED,
    ("open",),
    ("pending", "snoozed"),
    ("resolved",),
    ("open", "resolved"),
    None,
]
PAGES = [(5, 0), (5, 5), (5, 15), (5, 20), (10, 10), (5, 35), (25, 0)]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    """The demo's 300 conversations, with what the demo never writes: failed replies, ties of
    last activity, pending and resolved conversations that still carry a wait; and most open
    ones answered, so the walk of those not waiting is longer than a page."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("walks"), background_tasks=False)
    desk = Desk(settings)
    try:
        demo.generate_demo(desk, conversations=300, seed=5)
        with desk.db.write() as conn:
            conn.execute("UPDATE conversations SET failed_count = 1 WHERE id % 7 = 0")
            conn.execute(
                "UPDATE conversations SET last_activity_at = '2026-11-20T10:00:00Z'"
                " WHERE id % 5 = 0"
            )
            conn.execute(
                "UPDATE conversations SET waiting_first_at = CASE WHEN status = 'open'"
                " THEN NULL ELSE created_at END WHERE id % 4 != 0"
            )
    finally:
        desk.close()
    conn = sqlite3.connect(settings.db_path)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


def _cases(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    agent = conn.execute("SELECT assignee_id FROM conversations WHERE assignee_id IS NOT NULL")
    contact = conn.execute(
        "SELECT contact_id FROM conversations GROUP BY contact_id ORDER BY count(*) DESC"
    )
    channel = conn.execute("SELECT id, type FROM channels ORDER BY id").fetchone()
    return [
        {},
        {"priority": "urgent"},
        {"priority": "normal"},
        {"channel_type": channel["type"]},
        {"channel_id": channel["id"]},
        {"assignee_id": agent.fetchone()[0]},
        {"unassigned": True},
        {"tag": "billing"},
        {"contact_id": contact.fetchone()[0]},
        {"failed": True},
        {"failed": False},
        {"tag": "billing", "priority": "normal", "unassigned": True},
        {"match": '"question"'},
    ]


def _ids(conn: sqlite3.Connection, sql: str, param: str | None) -> set[int]:
    return {int(row[0]) for row in conn.execute(sql, (param,))} if param is not None else set()


def _expected(conn: sqlite3.Connection, filters: Filters) -> list[int]:
    """The list as a plain reading of the table: filtered and sorted in Python."""
    rows = conn.execute(
        "SELECT c.*, ch.type AS channel_type FROM conversations c"
        " JOIN channels ch ON ch.id = c.channel_id"
    ).fetchall()
    tagged = _ids(conn, "SELECT conversation_id FROM conversation_tags WHERE tag = ?", filters.tag)
    matched = _ids(conn, "SELECT rowid FROM search_index WHERE search_index MATCH ?", filters.match)
    rank = {"low": 0, "normal": 1, "high": 2, "urgent": 3}

    def passes(r: dict[str, Any]) -> bool:
        return all([
            filters.statuses is None or r["status"] in filters.statuses,
            filters.priority is None or r["priority_rank"] == rank[filters.priority],
            filters.channel_type is None or r["channel_type"] == filters.channel_type,
            filters.channel_id is None or r["channel_id"] == filters.channel_id,
            filters.assignee_id is None or r["assignee_id"] == filters.assignee_id,
            not filters.unassigned or r["assignee_id"] is None,
            filters.contact_id is None or r["contact_id"] == filters.contact_id,
            filters.tag is None or r["id"] in tagged,
            filters.failed is None or (r["failed_count"] > 0) == filters.failed,
            filters.match is None or r["id"] in matched,
        ])  # fmt: skip

    found = [dict(r) for r in rows if passes(dict(r))]
    found.sort(key=lambda r: (r["last_activity_at"], r["id"]), reverse=True)
    if filters.sort == "created_desc":
        found.sort(key=lambda r: (r["created_at"], r["id"]), reverse=True)
    elif filters.sort == "created_asc":
        found.sort(key=lambda r: (r["created_at"], r["id"]))
    elif filters.sort == "priority_desc":
        found.sort(key=lambda r: r["priority_rank"], reverse=True)  # stable: then activity
    elif filters.sort == "waiting_longest":
        found.sort(key=_waiting_key)
    return [r["id"] for r in found]


def _waiting_key(r: dict[str, Any]) -> tuple[bool, bool, str]:
    """Waiting on us first, the longest wait first; the rest with no wait first (SQLite sorts
    NULL lowest), then by their old wait; ties keep the order of last activity."""
    waiting = r["waiting_first_at"] is not None and r["status"] in ("open", "pending")
    return (not waiting, r["waiting_first_at"] is not None, r["waiting_first_at"] or "")


@pytest.mark.parametrize("way", ["as chosen", "narrowed walked", "narrowed sorted", "no union"])
@pytest.mark.parametrize("sort", SORTS)
def test_every_page_is_the_plain_querys(
    db: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch, sort: str, way: str
) -> None:
    if way.startswith("narrowed"):  # an assignee's, a channel's lists as if long, or short
        monkeypatch.setattr(walks, "short_list", lambda *_: way == "narrowed sorted")
    if way == "no union":
        monkeypatch.setattr(walks, "MAX_WALKS", 0)
    # A search probing the first rows of the list without it, as for a common word.
    monkeypatch.setattr(inbox, "SELECTIVE_SEARCH", 0)
    monkeypatch.setattr(inbox, "PROBE_COST", 0)
    checked = 0
    for statuses in STATUS_SETS:
        for case in _cases(db):
            filters = Filters(statuses=statuses, sort=sort, **case)  # type: ignore[arg-type]
            expected = _expected(db, filters)
            for limit, offset in PAGES:
                page, total, _ = inbox.list_conversations(db, filters, limit=limit, offset=offset)
                assert total == len(expected), (filters, limit, offset)
                got = [c.id for c in page]
                assert got == expected[offset : offset + limit], (filters, limit, offset)
                checked += len(got)
    assert checked > 1000  # the cases are not empty


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("statuses", [NOT_RESOLVED, ("pending", "resolved"), None])
def test_several_statuses_are_walked_one_by_one(
    db: sqlite3.Connection, sort: str, statuses: tuple[str, ...] | None
) -> None:
    """One walk of a status index per status (two for open and pending under waiting_longest:
    those waiting, the others), not one reading every row of the statuses to sort them; with
    every status, a sort that has an index over all of them walks it alone."""
    plan = inbox.explain_list(db, Filters(statuses=statuses, sort=sort))  # type: ignore[arg-type]
    searches = [step for step in plan if step.startswith("SEARCH c USING")]
    if statuses is None and sort in ("last_activity_desc", "created_desc", "created_asc"):
        assert len(plan) == 1 and plan[0].startswith("SCAN c USING COVERING INDEX"), plan
        return
    shown = statuses or walks.STATUSES
    expected = len(shown) + (
        sum(s in ("open", "pending") for s in shown) if sort == "waiting_longest" else 0
    )
    assert len(searches) == expected, plan
    assert all("(status=?" in step for step in searches), plan
