"""A full disk, for real: the data dir on a small tmpfs the test mounts (we need root; under
CI=true a failed mount fails the test). Nothing is mocked: the disk is filled with a file
until the kernel says ENOSPC, and Desk meets it wherever SQLite or a file write does.

Checked: writes answer 507 with `code: disk_full` and a message naming the data dir, reads
go on, nothing acknowledged is lost (read back after a restart too), nothing half-written
(counts, integrity), /api/health says `disk_full` (and `disk_low` before), agents hear
`health.updated`, the automatic backup skips with `backup_failed`, and writes resume by
themselves once there is room.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from desk.app import create_app
from desk.config import Settings
from desk.services import backup, disk, health
from desk.store.files import FOLDER, STAGING
from tests.conftest import (
    CHEAP,
    SETUP_TOKEN,
    TEST_HOST,
    FakeClock,
    assert_error,
    new_client,
    run_setup,
)
from tests.inbox_helpers import desk_of, make_channel, messages, record_events, start
from tests.small_disk import fill
from tests.small_disk import small_disk as mounted

DISK_MB = 24


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    with mounted(tmp_path / "small-disk", DISK_MB) as mount_point:
        yield mount_point


def settings_on(data_dir: Path, clock: FakeClock) -> Settings:
    return Settings(
        data_dir=data_dir,
        password_cost=CHEAP,
        setup_token=SETUP_TOKEN,
        background_tasks=False,
        clock=clock,
        allow_hosts=(TEST_HOST,),
    )


def codes(client: TestClient[Any]) -> list[str]:
    body = client.get("/api/health").json()
    assert body["status"] == ("degraded" if body["problems"] else "ok"), body
    return [problem["code"] for problem in body["problems"]]


def reply(client: TestClient[Any], conversation_id: int, text: str) -> Any:
    return client.post(
        f"/api/conversations/{conversation_id}/messages", json={"body": text, "type": "note"}
    )


def test_a_full_disk_answers_507_keeps_what_was_acknowledged_and_recovers(
    small_disk: Path, clock: FakeClock
) -> None:
    data_dir = small_disk / "data"
    app = create_app(settings_on(data_dir, clock))
    acknowledged: list[str] = []
    with new_client(app) as client:
        run_setup(client)
        desk = desk_of(client)
        heard = record_events(client)
        conversation = start(client, make_channel(client)["id"], message="Hello")
        before = len(messages(client, conversation["id"], per_page=100))
        # A 24 MB disk is below max(500 MB, 2x the database): low before it is full.
        assert codes(client) == ["disk_low"]

        filler = fill(small_disk)
        refused = None
        for n in range(3000):
            text = f"note {n} " + "x" * 2000
            response = reply(client, conversation["id"], text)
            if response.status_code == 201:
                acknowledged.append(text)
                continue
            refused = response
            break
        assert refused is not None, "the disk never filled"
        body = assert_error(refused, 507, code="disk_full")
        assert str(data_dir) in body["error"]
        # Writes keep being refused the same way; none is a bare 500.
        for _ in range(3):
            assert_error(reply(client, conversation["id"], "more"), 507, code="disk_full")
        upload = client.post(
            "/api/attachments", files={"file": ("big.bin", os.urandom(300_000), "x/y")}
        )
        assert_error(upload, 507, code="disk_full")
        staging = data_dir / FOLDER / STAGING
        assert not staging.exists() or list(staging.iterdir()) == []  # no half file left

        # Reads go on, and show exactly what was acknowledged (nothing half-written).
        seen = [m["body"] for m in messages(client, conversation["id"], per_page=100)]
        page = 2
        while len(seen) < before + len(acknowledged) + 1:
            more = messages(client, conversation["id"], per_page=100, page=page)
            if not more:
                break
            seen += [m["body"] for m in more]
            page += 1
        assert seen[before:] == acknowledged
        assert client.get("/api/conversations").status_code == 200

        health_now = client.get("/api/health").json()
        assert health_now["status"] == "degraded"
        assert [p["code"] for p in health_now["problems"]] == ["disk_full"]
        assert str(data_dir) in health_now["problems"][0]["message"]
        # Signed out: the same codes, no path.
        anonymous = new_client(app)
        public = anonymous.get("/api/health").json()
        assert [p["code"] for p in public["problems"]] == ["disk_full"]
        assert str(data_dir) not in str(public)
        told = [e.data for e in heard if e.kind == "health.updated"]
        assert told and [p.code for p in told[-1].problems] == ["disk_full"]

        # The automatic backup does not take the last bytes: skipped, and said so.
        backup.run_daily_backup(desk)
        clock.advance(minutes=11)
        backup.run_daily_backup(desk)
        assert backup.list_backups(data_dir) == []
        assert "backup_failed" in codes(client)
        assert "skipped" in (backup.last_problem(desk) or "")

        # Room again: the periodic check sees it without any write, then writes work.
        filler.unlink()
        health.check(desk)
        assert "disk_full" not in codes(client)
        assert [p.code for p in heard[-1].data.problems][:1] == ["disk_low"]
        after = reply(client, conversation["id"], "after the disk had room again")
        assert after.status_code == 201, after.text
        acknowledged.append("after the disk had room again")

    # A restart on the same files: every acknowledged write is there, the file is whole.
    with new_client(create_app(settings_on(data_dir, clock))) as client:
        client.post(
            "/api/auth/login", json={"email": "ada@example.com", "password": "correct horse"}
        )
        bodies: list[str] = []
        page = 1
        while batch := messages(client, conversation["id"], per_page=100, page=page):
            bodies += [m["body"] for m in batch]
            page += 1
        assert bodies[before:] == acknowledged
    conn = sqlite3.connect(data_dir / "desk.db")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_a_write_that_resumes_clears_disk_full_without_the_check(
    small_disk: Path, clock: FakeClock
) -> None:
    app = create_app(settings_on(small_disk / "data", clock))
    with new_client(app) as client:
        run_setup(client)
        conversation = start(client, make_channel(client)["id"], message="Hello")
        filler = fill(small_disk)
        statuses = set()
        for n in range(3000):
            response = reply(client, conversation["id"], f"{n} " + "y" * 4000)
            statuses.add(response.status_code)
            if response.status_code == 507:
                break
        assert statuses <= {201, 507} and 507 in statuses
        assert "disk_full" in codes(client)
        filler.unlink()
        assert reply(client, conversation["id"], "room").status_code == 201
        assert "disk_full" not in codes(client)


def test_sign_in_on_a_full_disk_is_507_not_500(small_disk: Path, clock: FakeClock) -> None:
    data_dir = small_disk / "data"
    app = create_app(settings_on(data_dir, clock))
    with new_client(app) as client:
        run_setup(client)
        client.cookies.clear()
        fill(small_disk)
        # Fill what SQLite's WAL may still hold in place.
        for _ in range(200):
            response = client.post(
                "/api/auth/login", json={"email": "ada@example.com", "password": "wrong" * 50}
            )
            if response.status_code != 401:
                break
        body = assert_error(response, 507, code="disk_full")
        assert str(data_dir) not in body["error"]  # not signed in: no path


def test_backup_skips_when_the_copy_would_leave_too_little(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rule itself, on a roomy disk: the reserve grows past what is free."""
    app = create_app(settings_on(tmp_path / "data", clock))
    with new_client(app) as client:
        run_setup(client)
        desk = desk_of(client)
        backup.run_daily_backup(desk)
        clock.advance(minutes=11)
        free = disk.free_bytes(tmp_path)
        monkeypatch.setattr(backup, "BACKUP_RESERVE_BYTES", free + 1)
        backup.run_daily_backup(desk)
        assert backup.list_backups(desk.settings.data_dir) == []
        assert "backup_failed" in codes(client)
        monkeypatch.setattr(backup, "BACKUP_RESERVE_BYTES", 1)
        backup.run_daily_backup(desk)
        assert len(backup.list_backups(desk.settings.data_dir)) == 1
        assert "backup_failed" not in codes(client)
