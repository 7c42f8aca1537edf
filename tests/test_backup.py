"""Backups while Desk writes, the daily automatic backup, and restore (what it refuses)."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from desk.config import Settings
from desk.services import agents, backup
from desk.services.desk import Desk
from desk.store import backup as store
from tests.conftest import FakeClock
from tests.servers import run_desk, start_desk

OWNER = {"email": "owner@example.com", "password": "long enough", "name": "Owner"}


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def emails_in(db_path: Path) -> set[str]:
    conn = sqlite3.connect(db_path)
    try:
        return {row[0] for row in conn.execute("SELECT email FROM agents")}
    finally:
        conn.close()


@pytest.fixture
def desk_(settings: Settings) -> Iterator[Desk]:
    d = Desk(settings)
    agents.ensure_admin(d, **OWNER)
    yield d
    d.close()


def test_backup_is_a_verified_copy_with_progress(desk_: Desk, tmp_path: Path) -> None:
    for n in range(50):
        agents.create_agent(
            desk_, name=f"A{n}", email=f"a{n}@example.com", password="long enough", role="agent"
        )
    seen: list[tuple[int, int]] = []
    target = backup.make_backup(
        desk_.settings.data_dir, tmp_path / "copy.db", progress=lambda d, t: seen.append((d, t))
    )
    assert store.check_file(target).integrity == "ok"
    assert len(emails_in(target)) == 51
    assert seen and seen[-1][0] == seen[-1][1]  # reported up to the last page
    assert not (tmp_path / "copy.db-wal").exists()  # one self-contained file


@pytest.mark.slow
def test_default_backup_goes_to_the_backups_folder_with_a_timestamp(desk_: Desk) -> None:
    result = run_desk("backup", "--data-dir", str(desk_.settings.data_dir))
    assert result.returncode == 0, result.stderr
    made = backup.list_backups(desk_.settings.data_dir)
    assert len(made) == 1 and made[0].name.startswith("desk-")
    assert str(made[0]) in result.stdout and "integrity ok" in result.stdout
    assert "100%" in result.stderr


@pytest.mark.slow
def test_backup_into_a_folder_gets_a_timestamped_name(desk_: Desk, tmp_path: Path) -> None:
    folder = tmp_path / "usb-stick"
    folder.mkdir()
    result = run_desk("backup", str(folder), "--data-dir", str(desk_.settings.data_dir))
    assert result.returncode == 0, result.stderr
    (made,) = folder.iterdir()
    assert made.name.startswith("desk-") and OWNER["email"] in emails_in(made)


@pytest.mark.slow
def test_backup_without_a_database_says_so(tmp_path: Path) -> None:
    result = run_desk("backup", "--data-dir", str(tmp_path / "empty"))
    assert result.returncode == 2 and "no database" in result.stderr


def test_daily_backups_keep_the_last_seven(desk_: Desk, clock: FakeClock) -> None:
    data_dir = desk_.settings.data_dir
    backup.run_daily_backup(desk_)
    clock.advance(minutes=9)
    backup.run_daily_backup(desk_)
    assert backup.list_backups(data_dir) == []  # never during start-up
    clock.advance(minutes=1)
    backup.run_daily_backup(desk_)
    clock.advance(hours=23)
    backup.run_daily_backup(desk_)  # less than a day later: nothing new
    assert len(backup.list_backups(data_dir, backup.AUTO_PREFIX)) == 1
    for _ in range(9):
        clock.advance(hours=25)
        backup.run_daily_backup(desk_)
    kept = backup.list_backups(data_dir, backup.AUTO_PREFIX)
    assert len(kept) == 7
    assert kept[-1].name == f"auto-{clock.now.strftime('%Y%m%d-%H%M%S')}.db"
    assert all(store.check_file(p).integrity == "ok" for p in kept)


def test_daily_backup_can_be_turned_off(
    desk_: Desk, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DESK_AUTO_BACKUP", "0")
    for _ in range(3):
        backup.run_daily_backup(desk_)
        clock.advance(days=1)
    assert backup.list_backups(desk_.settings.data_dir) == []


def test_daily_backup_is_a_background_job() -> None:
    from desk.services.background import JOBS

    assert any(job.run is backup.run_daily_backup for job in JOBS)


def _setup(c: httpx.Client) -> None:
    body = {"workspace_name": "Acme", "name": "Ada", "email": "ada@example.com"}
    assert c.post("/api/setup", json={**body, "password": "long enough"}).status_code == 201


def _write_agents(c: httpx.Client, prefix: str, acked: list[str], stop: threading.Event) -> None:
    n = 0
    while not stop.is_set():
        email = f"{prefix}{n}@example.com"
        body = {"name": f"{prefix} {n}", "email": email, "password": "long enough"}
        if c.post("/api/agents", json=body).status_code == 201:
            acked.append(email)
        n += 1


@pytest.mark.slow
def test_backup_during_writes_then_restore_loses_nothing_acknowledged(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    running = start_desk(data_dir)
    stop = threading.Event()
    acked: dict[str, list[str]] = {"w1": [], "w2": []}
    clients = [running.client() for _ in acked]
    try:
        _setup(clients[0])
        clients[1].cookies = clients[0].cookies
        writers = [
            threading.Thread(target=_write_agents, args=(c, prefix, acked[prefix], stop))
            for c, prefix in zip(clients, acked, strict=True)
        ]
        for w in writers:
            w.start()
        deadline = time.monotonic() + 60
        while sum(map(len, acked.values())) < 40:  # writes are flowing
            assert time.monotonic() < deadline, "the writers got nothing acknowledged"
            stop.wait(0.01)
        before = {e for emails in acked.values() for e in list(emails)}
        result = run_desk("backup", str(tmp_path / "during.db"), "--data-dir", str(data_dir))
        assert result.returncode == 0, result.stderr
        refused = run_desk("restore", str(tmp_path / "during.db"), "--data-dir", str(data_dir))
        stop.set()
        for w in writers:
            w.join()
    finally:
        stop.set()
        for c in clients:
            c.close()
        running.stop()
    assert refused.returncode == 2 and "stop it first" in refused.stderr
    assert store.check_file(tmp_path / "during.db").integrity == "ok"
    live = emails_in(data_dir / "desk.db")
    assert before <= live and len(live) > len(before)  # writes went on during the backup

    restored = run_desk("restore", str(tmp_path / "during.db"), "--data-dir", str(data_dir))
    assert restored.returncode == 0, restored.stderr
    kept = [p for p in data_dir.iterdir() if p.name.startswith("desk.db.replaced-")]
    assert len(kept) == 1 and emails_in(kept[0]) == live  # the replaced file is complete
    again = start_desk(data_dir)
    try:
        with again.client() as c:
            login = c.post(
                "/api/auth/login", json={"email": "ada@example.com", "password": "long enough"}
            )
            assert login.status_code == 200
            listed = c.get("/api/agents", params={"per_page": 100}).json()
    finally:
        again.stop()
    assert before <= emails_in(data_dir / "desk.db")
    assert listed["total"] == len(emails_in(data_dir / "desk.db"))


def _newer_schema(path: Path, source: Path) -> None:
    path.write_bytes(source.read_bytes())
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()


def _not_desk(path: Path, _: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("PRAGMA user_version = 1")
    conn.close()


def _garbage(path: Path, _: Path) -> None:
    path.write_bytes(b"this is not a database at all" * 200)


def _index_out_of_step(path: Path, source: Path) -> None:
    """Opens fine, but an index no longer matches its table: only integrity_check sees it."""
    path.write_bytes(source.read_bytes())
    conn = sqlite3.connect(path)
    conn.execute("CREATE INDEX agents_by_name ON agents(name)")
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = 'CREATE INDEX agents_by_name ON agents(email)' "
        "WHERE name = 'agents_by_name'"
    )
    conn.commit()
    conn.close()


def _scribbled(path: Path, source: Path) -> None:
    data = bytearray(source.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data) - page, page):  # scribble over every b-tree page
        data[offset + 8 : offset + 64] = b"\xff" * 56
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("make_bad", "message"),
    [
        (_garbage, "not a usable SQLite database"),
        (_scribbled, "malformed"),
        (_index_out_of_step, "is damaged"),
        (_not_desk, "not a Desk database"),
        (_newer_schema, "newer version of Desk"),
    ],
)
@pytest.mark.slow
def test_restore_refuses_a_bad_file_and_changes_nothing(
    desk_: Desk, tmp_path: Path, make_bad: object, message: str
) -> None:
    data_dir = desk_.settings.data_dir
    good = backup.make_backup(data_dir, tmp_path / "good.db")
    desk_.close()
    before = fingerprint(data_dir / "desk.db")
    bad = tmp_path / "bad.db"
    make_bad(bad, good)  # type: ignore[operator]
    result = run_desk("restore", str(bad), "--data-dir", str(data_dir))
    assert result.returncode == 2, result.stdout
    assert message in result.stderr
    assert fingerprint(data_dir / "desk.db") == before
    assert not [p for p in data_dir.iterdir() if "replaced" in p.name or "restoring" in p.name]
