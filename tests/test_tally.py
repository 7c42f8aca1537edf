"""`conversation_tally` (migration 22) always equals counting the conversations: after the
migration on existing rows, after random inserts, updates and deletes made straight in SQL
(whatever code path writes, the triggers keep it), after the foreign-key actions (a channel
deleted, an agent removed), and through the API (counts and list totals for each filter)."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from desk.store import agents as agents_store
from desk.store.db import Database
from desk.store.migrations import MIGRATIONS, migrate
from tests.inbox_helpers import agent_id, listing, make_channel, start

Client = TestClient[Litestar]
T = "2026-01-05T10:00:00Z"
STATUSES = ("open", "pending", "snoozed", "resolved")
PRIORITIES = {"low": 0, "normal": 1, "high": 2, "urgent": 3}
KEY = (
    "status, priority_rank, channel_id, coalesce(assignee_id, 0),"
    " failed_count > 0, unread_count > 0"
)


def counted(conn: sqlite3.Connection) -> dict[tuple[object, ...], int]:
    rows = conn.execute(f"SELECT {KEY}, count(*) FROM conversations GROUP BY 1, 2, 3, 4, 5, 6")
    return {tuple(row[:6]): int(row[6]) for row in rows}


def tallied(conn: sqlite3.Connection) -> dict[tuple[object, ...], int]:
    rows = conn.execute(
        "SELECT status, priority_rank, channel_id, assignee_id, failed, unread, n"
        " FROM conversation_tally WHERE n != 0"
    )
    return {tuple(row[:6]): int(row[6]) for row in rows}


def seed_people(conn: sqlite3.Connection) -> tuple[list[int], list[int], list[int]]:
    for channel in (1, 2, 3):
        conn.execute(
            "INSERT INTO channels (id, name, type, token, signing_secret, created_at, updated_at)"
            " VALUES (?, ?, 'api', ?, 's', ?, ?)",
            (channel, f"C{channel}", f"t{channel}", T, T),
        )
    for contact in (1, 2):
        conn.execute(
            "INSERT INTO contacts (id, name, created_at, updated_at) VALUES (?, 'P', ?, ?)",
            (contact, T, T),
        )
    agents = [
        agents_store.insert_agent(
            conn, name=f"A{i}", email=f"a{i}@example.com", role="agent", password_hash="x", now=T
        )
        for i in range(3)
    ]
    return [1, 2, 3], [1, 2], agents


def insert(
    conn: sqlite3.Connection, rng: random.Random, channels: list[int], agents: list[int]
) -> None:
    priority = rng.choice(list(PRIORITIES))
    conn.execute(
        "INSERT INTO conversations (channel_id, contact_id, status, priority, priority_rank,"
        " assignee_id, unread_count, failed_count, created_at, updated_at, last_activity_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            rng.choice(channels),
            rng.choice((1, 2)),
            rng.choice(STATUSES),
            priority,
            PRIORITIES[priority],
            rng.choice([None, *agents]),
            rng.choice((0, 0, 1, 3)),
            rng.choice((0, 0, 0, 2)),
            T,
            T,
            T,
        ),
    )


def change(conn: sqlite3.Connection, rng: random.Random, agents: list[int]) -> None:
    ids = [int(r[0]) for r in conn.execute("SELECT id FROM conversations")]
    if not ids:
        return
    target = rng.choice(ids)
    what = rng.randrange(7)
    if what == 0:
        conn.execute(
            "UPDATE conversations SET status = ? WHERE id = ?", (rng.choice(STATUSES), target)
        )
    elif what == 1:
        name = rng.choice(list(PRIORITIES))
        conn.execute(
            "UPDATE conversations SET priority = ?, priority_rank = ? WHERE id = ?",
            (name, PRIORITIES[name], target),
        )
    elif what == 2:
        conn.execute(
            "UPDATE conversations SET assignee_id = ? WHERE id = ?",
            (rng.choice([None, *agents]), target),
        )
    elif what == 3:
        conn.execute(
            "UPDATE conversations SET unread_count = ? WHERE id = ?", (rng.randrange(3), target)
        )
    elif what == 4:
        conn.execute(
            "UPDATE conversations SET failed_count = ? WHERE id = ?", (rng.randrange(3), target)
        )
    elif what == 5:  # several columns at once, and a column the tally ignores
        conn.execute(
            "UPDATE conversations SET status = 'resolved', unread_count = 0, subject = 'x',"
            " channel_id = ? WHERE id = ?",
            (rng.choice((1, 2, 3)), target),
        )
    else:
        conn.execute("DELETE FROM conversations WHERE id = ?", (target,))


def test_the_migration_tallies_existing_rows_and_the_triggers_keep_it_exact(
    tmp_path: Path,
) -> None:
    db = Database(tmp_path / "desk.db")
    before = MIGRATIONS.index(next(m for m in MIGRATIONS if "tally" in m.__module__))
    migrate(db, MIGRATIONS[:before])
    rng = random.Random(22)
    with db.write() as conn:
        channels, _, agents = seed_people(conn)
        for _ in range(300):
            insert(conn, rng, channels, agents)
    migrate(db)
    with db.read() as conn:
        assert tallied(conn) == counted(conn)
        assert sum(tallied(conn).values()) == 300
    for _ in range(20):
        with db.write() as conn:
            for _ in range(rng.randrange(1, 15)):
                if rng.random() < 0.3:
                    insert(conn, rng, channels, agents)
                else:
                    change(conn, rng, agents)
        with db.read() as conn:
            assert tallied(conn) == counted(conn)
    # Foreign-key actions: an agent removed unassigns (SET NULL), a channel deleted takes its
    # conversations with it (CASCADE).
    with db.write() as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("UPDATE conversations SET assignee_id = ? WHERE id % 2 = 0", (agents[0],))
        conn.execute("DELETE FROM agents WHERE id = ?", (agents[0],))
        assert conn.execute("SELECT count(*) FROM conversations WHERE channel_id = 2").fetchone()[0]
        conn.execute("DELETE FROM channels WHERE id = 2")
    with db.read() as conn:
        assert (
            conn.execute(
                "SELECT count(*) FROM conversations WHERE assignee_id = ? OR channel_id = 2",
                (agents[0],),
            ).fetchone()[0]
            == 0
        )
        assert tallied(conn) == counted(conn)


def test_a_rolled_back_change_leaves_the_tally_as_it_was(tmp_path: Path) -> None:
    db = Database(tmp_path / "desk.db")
    migrate(db)
    rng = random.Random(5)
    with db.write() as conn:
        channels, _, agents = seed_people(conn)
        for _ in range(50):
            insert(conn, rng, channels, agents)
    with db.read() as conn:
        before = tallied(conn)
    with pytest.raises(RuntimeError), db.write() as conn:
        conn.execute("UPDATE conversations SET status = 'resolved'")
        raise RuntimeError("abandon")
    with db.read() as conn:
        assert tallied(conn) == before == counted(conn)


def test_counts_and_totals_follow_every_change_through_the_api(
    app: Litestar, admin: Client, agent: Client
) -> None:
    phone = make_channel(admin, "phone")
    api = make_channel(admin, "api")
    sam = agent_id(admin)
    made = [
        start(admin, phone["id"], priority="urgent"),
        start(admin, phone["id"], assignee_id=sam),
        start(admin, api["id"], priority="low"),
        start(admin, api["id"], assignee_id=sam, priority="high"),
    ]
    admin.post(f"/api/conversations/{made[0]['id']}/status", json={"status": "pending"})
    admin.post(f"/api/conversations/{made[2]['id']}/status", json={"status": "resolved"})

    def reference(**params: str) -> int:
        listed = listing(admin, per_page=100, **params)
        assert len(listed["items"]) == listed["total"]
        return int(listed["total"])

    counts = agent.get("/api/conversations/counts").json()
    assert counts["open"] == 3
    assert counts["open_only"] == 2
    assert counts["pending"] == 1
    assert counts["resolved"] == 1
    assert counts["mine"] == 2
    assert counts["unassigned"] == 1
    assert reference(status="all") == 4
    assert reference(priority="urgent", status="pending") == 1
    assert reference(channel_type="api", status="all") == 2
    assert reference(assignee="unassigned") == 1
    assert reference(assignee=str(sam), status="all") == 2
    assert reference(failed="false", status="all") == 4
    assert reference(failed="true") == 0

    admin.post(f"/api/conversations/{made[1]['id']}/assign", json={"agent_id": None})
    admin.post(f"/api/conversations/{made[3]['id']}/priority", json={"priority": "urgent"})
    counts = agent.get("/api/conversations/counts").json()
    assert counts["mine"] == 1
    assert counts["unassigned"] == 2
    assert reference(priority="urgent") == 2
    assert reference(assignee="unassigned") == 2


def test_the_automation_engine_loads_every_conversation_state_as_set_one_by_one(
    tmp_path: Path,
) -> None:
    """The engine's start-up read of every conversation's (status, assignee), coded by SQLite
    in batches (a million conversations in well under a second), equals setting each."""
    from desk.services.automation_engine import States
    from desk.store import automations as automations_store

    db = Database(tmp_path / "desk.db")
    migrate(db)
    rng = random.Random(9)
    with db.write() as conn:
        channels, _, agents = seed_people(conn)
        for _ in range(120):
            insert(conn, rng, channels, agents)
        conn.execute("DELETE FROM conversations WHERE id % 7 = 0")
    with db.read() as conn:
        loaded = States(automations_store.conversation_state_codes(conn, States.STATUSES, 16))
        rows = conn.execute("SELECT id, status, assignee_id FROM conversations").fetchall()
    one_by_one = States()
    for conversation_id, status, assignee in rows:
        one_by_one[conversation_id] = (status, assignee)
    for conversation_id in range(130):
        assert loaded.get(conversation_id) == one_by_one.get(conversation_id)
    assert loaded.get(7) is None
    assert {loaded.get(int(row[0])) for row in rows} == {(r[1], r[2]) for r in rows}
