"""A damaged database: a copy of a demo database with one page overwritten with garbage (the
root page of the messages table), as a bad sector or a torn write leaves it.

Desk starts on it; the background quick_check and the first query that meets the damage
both flip /api/health to `database_damaged`; what hits it answers 503 with `code:
database_damaged`, naming the newest backup and the command that restores it; what does not
hit it goes on. `desk restore` of that backup brings everything back.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient

from desk.app import create_app
from desk.config import Settings
from desk.services import backup, health
from desk.services.demo import generate as demo
from desk.services.desk import Desk
from tests.conftest import CHEAP, FakeClock, assert_error, new_client
from tests.inbox_helpers import desk_of, record_events
from tests.servers import run_desk, start_desk

SAM = "sam@demo.desk.example"
GARBAGE = bytes(range(256)) * 64  # not a b-tree page by any reading


def settings_on(data_dir: Path, clock: FakeClock) -> Settings:
    return Settings(data_dir=data_dir, password_cost=CHEAP, background_tasks=False, clock=clock)


@pytest.fixture(scope="module")
def demo_with_backup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo data dir (120 conversations) with one verified backup in it."""
    data_dir = tmp_path_factory.mktemp("demo") / "data"
    desk = Desk(settings_on(data_dir, FakeClock()))
    try:
        demo.generate_demo(desk, conversations=120, seed=7)
    finally:
        desk.close()
    backup.make_backup(data_dir)
    return data_dir


def damaged_copy(source: Path, target: Path, table: str = "messages") -> Path:
    """Copy the data dir, then overwrite the root page of `table` with garbage."""
    shutil.copytree(source, target)
    database = target / "desk.db"
    conn = sqlite3.connect(database)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()[0]
    finally:
        conn.close()
    with database.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(GARBAGE[:page_size])
        handle.flush()
        os.fsync(handle.fileno())
    return target


def signed_in(app: Any) -> TestClient[Any]:
    client = new_client(app)
    client.__enter__()
    response = client.post("/api/auth/login", json={"email": SAM, "password": demo.DEMO_PASSWORD})
    assert response.status_code == 200, response.text
    return client


def test_a_query_that_meets_the_damage_answers_503_and_health_says_so(
    demo_with_backup: Path, tmp_path: Path, clock: FakeClock
) -> None:
    data_dir = damaged_copy(demo_with_backup, tmp_path / "data")
    newest = backup.list_backups(data_dir)[-1]
    app = create_app(settings_on(data_dir, clock))
    client = signed_in(app)
    try:
        heard = record_events(client)
        assert client.get("/api/health").json()["status"] == "ok"  # nothing seen yet
        conversation_id = client.get("/api/conversations").json()["items"][0]["id"]

        response = client.get(f"/api/conversations/{conversation_id}/messages")
        body = assert_error(response, 503, code="database_damaged")
        assert f"desk restore {newest}" in body["error"]
        assert "Traceback" not in body["error"] and "SELECT" not in body["error"]

        report = client.get("/api/health").json()
        assert report["status"] == "degraded"
        assert [p["code"] for p in report["problems"]] == ["database_damaged"]
        assert f"desk restore {newest}" in report["problems"][0]["message"]
        told = [e.data for e in heard if e.kind == "health.updated"]
        assert [p.code for p in told[-1].problems] == ["database_damaged"]
        # Signed out: the code without the path.
        public = new_client(app).get("/api/health").json()
        assert [p["code"] for p in public["problems"]] == ["database_damaged"]
        assert str(newest) not in str(public)

        # A write into the damaged table is a 503 too; what does not touch it goes on.
        write = client.post(
            f"/api/conversations/{conversation_id}/messages", json={"body": "hi", "type": "note"}
        )
        assert_error(write, 503, code="database_damaged")
        assert client.get("/api/auth/me").status_code == 200
        assert client.get("/api/contacts").status_code == 200
    finally:
        client.__exit__(None, None, None)


def test_the_background_quick_check_finds_it_before_anyone_reads_it(
    demo_with_backup: Path, tmp_path: Path, clock: FakeClock
) -> None:
    data_dir = damaged_copy(demo_with_backup, tmp_path / "data")
    app = create_app(settings_on(data_dir, clock))
    with new_client(app) as client:
        desk = desk_of(client)
        assert desk.db.faults.damage is None
        health.check_database(desk)
        problems = client.get("/api/health").json()["problems"]
        assert [p["code"] for p in problems] == ["database_damaged"]


def test_the_quick_check_passes_a_whole_database(
    demo_with_backup: Path, tmp_path: Path, clock: FakeClock
) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(demo_with_backup, data_dir)
    with new_client(create_app(settings_on(data_dir, clock))) as client:
        health.check_database(desk_of(client))
        assert client.get("/api/health").json()["problems"] == []


@pytest.mark.slow
def test_a_real_server_flags_it_by_itself_and_restore_brings_it_back(
    demo_with_backup: Path, tmp_path: Path
) -> None:
    data_dir = damaged_copy(demo_with_backup, tmp_path / "data")
    newest = backup.list_backups(data_dir)[-1]
    running = start_desk(data_dir)  # starts and answers: the check runs in the background
    try:
        deadline = time.monotonic() + 30
        codes: list[str] = []
        while time.monotonic() < deadline:
            report = httpx.get(running.url + "/api/health").json()
            codes = [p["code"] for p in report["problems"]]
            if "database_damaged" in codes:
                break
            time.sleep(0.1)
        assert "database_damaged" in codes
    finally:
        running.stop()
    restored = run_desk("restore", str(newest), "--data-dir", str(data_dir))
    assert restored.returncode == 0, restored.stderr
    running = start_desk(data_dir)
    try:
        with running.client() as client:
            client.post("/api/auth/login", json={"email": SAM, "password": demo.DEMO_PASSWORD})
            first = client.get("/api/conversations").json()["items"][0]["id"]
            assert client.get(f"/api/conversations/{first}/messages").status_code == 200
            assert client.get("/api/health").json()["problems"] == []
    finally:
        running.stop()


def test_the_quick_check_runs_at_the_lowest_priority_and_reports_like_a_call() -> None:
    """A 5 GB file takes a minute to check: its thread runs at nice 19, never taking a core
    from requests; the pool thread that asked is not lowered. Its answer and its errors reach
    the caller as from a direct call."""

    def niceness() -> str:
        return str(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))

    before = niceness()
    assert health._at_lowest_priority(niceness) == "19"
    assert niceness() == before

    def broken() -> str:
        raise sqlite3.DatabaseError("file is not a database")

    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        health._at_lowest_priority(broken)
