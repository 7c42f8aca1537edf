"""Killed at the worst moment: SIGKILL at random points during `desk backup`, `desk restore`
and a schema migration, ROUNDS rounds each, every time on a real process.

- backup: never a partial file under the final name, the live database untouched;
- restore: afterwards the old or the new database is whole, and Desk starts on it;
- migration: the schema is exactly that of the migrations applied (each one is a single
  transaction with its `user_version`), and the restart finishes them.

Each test prints what it saw (how many kills landed before, during and after the work) and
writes it to test-artifacts/kill-<name>.txt.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from desk.config import DB_FILENAME, Settings
from desk.services import backup
from desk.services.demo import generate as demo
from desk.services.desk import Desk
from desk.store.db import Database
from desk.store.migrations import MIGRATIONS, migrate
from tests.conftest import CHEAP, FakeClock
from tests.servers import TEST_ENV, start_desk

# Real processes, 20 rounds each: minutes on a busy 2-core machine.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]

ROUNDS = 20
# Kills land between these fractions of the command's undisturbed duration: the first part is
# Python starting, where a kill proves little.
EARLIEST, LATEST = 0.3, 1.05
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def report(name: str, seen: Counter[str]) -> None:
    text = f"{name}: {ROUNDS} rounds of SIGKILL: " + ", ".join(
        f"{count} {what}" for what, count in sorted(seen.items())
    )
    print(text)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"kill-{name}.txt").write_text(text + "\n")


def desk_process(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "desk", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **TEST_ENV},
    )


def timed(*args: str) -> float:
    """How long the command takes when nobody kills it."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "desk", *args], capture_output=True, env={**os.environ, **TEST_ENV}
    )
    assert result.returncode == 0, result.stderr
    return time.monotonic() - started


def kill_after(process: subprocess.Popen[bytes], seconds: float) -> bool:
    """SIGKILL after `seconds`; False when the process had already finished."""
    try:
        process.wait(timeout=seconds)
        return False
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return True


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def integrity(path: Path) -> str:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def scalar(path: Path, sql: str) -> object:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo data dir large enough that a backup takes a while (≈1,500 conversations)."""
    data_dir = tmp_path_factory.mktemp("kill-demo") / "data"
    desk = Desk(Settings(data_dir=data_dir, password_cost=CHEAP, clock=FakeClock()))
    try:
        demo.generate_demo(desk, conversations=1500, seed=11)
    finally:
        desk.close()
    return data_dir


def test_kill_during_backup_never_leaves_a_partial_backup(demo_dir: Path, tmp_path: Path) -> None:
    database = demo_dir / DB_FILENAME
    before = digest(database)
    conversations = scalar(database, "SELECT count(*) FROM conversations")
    whole = timed("backup", str(tmp_path / "timing.db"), "--data-dir", str(demo_dir))
    rng = random.Random(18)
    seen: Counter[str] = Counter()
    for n in range(ROUNDS):
        target = tmp_path / f"round-{n}.db"
        process = desk_process("backup", str(target), "--data-dir", str(demo_dir))
        killed = kill_after(process, rng.uniform(EARLIEST * whole, LATEST * whole))
        assert digest(database) == before, "the live database changed"
        assert integrity(database) == "ok"
        if target.exists():
            assert integrity(target) == "ok", n
            assert scalar(target, "SELECT count(*) FROM conversations") == conversations
            seen["complete backup" if killed else "finished before the kill"] += 1
        else:
            partial = target.with_name(target.name + ".partial").exists()
            seen["a partial copy under its temporary name" if partial else "no file yet"] += 1
        finals = [p for p in tmp_path.glob(f"round-{n}*") if p.suffix == ".db"]
        assert finals in ([], [target])
    report("backup", seen)


def test_kill_during_restore_leaves_one_whole_database_desk_starts_on(
    demo_dir: Path, tmp_path: Path
) -> None:
    # The backup says "Restored", the database in place says "Original".
    source = backup.make_backup(demo_dir, tmp_path / "backup.db")
    conn = sqlite3.connect(source)
    conn.execute("UPDATE workspace SET name = 'Restored'")
    conn.commit()
    conn.close()
    original = tmp_path / "original.db"
    shutil.copyfile(demo_dir / DB_FILENAME, original)
    conn = sqlite3.connect(original)
    conn.execute("UPDATE workspace SET name = 'Original'")
    conn.commit()
    conn.close()

    data_dir = tmp_path / "data"

    def fresh() -> None:
        shutil.rmtree(data_dir, ignore_errors=True)
        data_dir.mkdir()
        shutil.copyfile(original, data_dir / DB_FILENAME)

    fresh()
    whole = timed("restore", str(source), "--data-dir", str(data_dir))
    rng = random.Random(18)
    seen: Counter[str] = Counter()
    for n in range(ROUNDS):
        fresh()
        process = desk_process("restore", str(source), "--data-dir", str(data_dir))
        kill_after(process, rng.uniform(EARLIEST * whole, LATEST * whole))
        database = data_dir / DB_FILENAME
        assert database.is_file(), f"round {n}: no database at all"
        assert integrity(database) == "ok", n
        name = scalar(database, "SELECT name FROM workspace")
        assert name in ("Original", "Restored"), name
        seen[f"{name.lower()} database in place"] += 1
        running = start_desk(data_dir)
        try:
            assert httpx.get(running.url + "/api/setup").json() == {"needs_setup": False}
            assert httpx.get(running.url + "/api/health").status_code == 200
        finally:
            running.stop()
    report("restore", seen)


def _old_schema(path: Path, conversations: int) -> None:
    """A database at schema 4 with many tagged conversations: migrations 5 and 6 rewrite them."""
    db = Database(path)
    try:
        migrate(db, MIGRATIONS[:4])
        now = "2026-11-29T12:00:00Z"
        with db.write() as c:
            c.execute(
                "INSERT INTO workspace (id, name, business_hours, auto_reply, ai, created_at,"
                " updated_at) VALUES (1, 'Old', '{}', '{}', '{}', ?, ?)",
                (now, now),
            )
            c.execute(
                "INSERT INTO contacts (name, email, created_at, updated_at)"
                " VALUES ('Grace', 'g@example.com', ?, ?)",
                (now, now),
            )
            c.execute(
                "INSERT INTO channels (name, type, token, signing_secret, created_at, updated_at)"
                " VALUES ('Phone', 'phone', 't', 's', ?, ?)",
                (now, now),
            )
            c.execute(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
                " INSERT INTO conversations (channel_id, contact_id, subject, status,"
                " created_at, updated_at, last_activity_at) SELECT 1, 1, 'subject ' || i,"
                " CASE i % 3 WHEN 0 THEN 'resolved' WHEN 1 THEN 'open' ELSE 'pending' END,"
                " ?, ?, ? FROM n",
                (conversations, now, now, now),
            )
            c.execute(
                "INSERT INTO conversation_tags (conversation_id, tag)"
                " SELECT id, 'billing' FROM conversations"
            )
    finally:
        db.close()


def test_kill_during_migration_rolls_back_or_finishes_cleanly(tmp_path: Path) -> None:
    template = tmp_path / "template"
    template.mkdir()
    _old_schema(template / DB_FILENAME, 8_000)
    tags = scalar(template / DB_FILENAME, "SELECT count(*) FROM conversation_tags")
    data_dir = tmp_path / "data"

    def fresh() -> None:
        shutil.rmtree(data_dir, ignore_errors=True)
        shutil.copytree(template, data_dir)

    fresh()
    started = time.monotonic()
    running = start_desk(data_dir, timeout=120)  # migrates before it serves
    whole = time.monotonic() - started
    running.stop()
    rng = random.Random(18)
    seen: Counter[str] = Counter()
    for n in range(ROUNDS):
        fresh()
        process = desk_process("serve", "--port", "0", "--data-dir", str(data_dir))
        kill_after(process, rng.uniform(EARLIEST * whole, LATEST * whole))
        database = data_dir / DB_FILENAME
        assert integrity(database) == "ok", n
        version = int(str(scalar(database, "PRAGMA user_version")))
        assert 4 <= version <= len(MIGRATIONS), version
        columns = {
            row[1]
            for row in sqlite3.connect(database).execute("PRAGMA table_info(conversation_tags)")
        }
        assert ("status" in columns) == (version >= 5), (version, columns)
        assert scalar(database, "SELECT count(*) FROM conversation_tags") == tags
        seen[f"schema {version} after the kill"] += 1
        running = start_desk(data_dir, timeout=120)  # the restart finishes the migrations
        try:
            assert httpx.get(running.url + "/api/health").status_code == 200
        finally:
            running.stop()
        assert scalar(database, "PRAGMA user_version") == len(MIGRATIONS)
        assert scalar(database, "SELECT count(*) FROM conversation_tags") == tags
    report("migration", seen)
