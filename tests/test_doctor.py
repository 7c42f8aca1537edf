"""`desk doctor`: what it reports on a fresh, a running and a damaged data dir."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.servers import run_desk, start_desk
from tests.small_disk import small_disk

pytestmark = pytest.mark.slow  # runs desk doctor as a process, beside a running desk

NO_DISPLAY = {"DISPLAY": "", "WAYLAND_DISPLAY": "", "QT_QPA_PLATFORM": ""}


def doctor(data_dir: Path) -> tuple[int, dict[str, str]]:
    result = run_desk("doctor", "--data-dir", str(data_dir), env=NO_DISPLAY)
    lines = dict(line.split(":", 1) for line in result.stdout.splitlines())
    return result.returncode, {k: v.strip() for k, v in lines.items()}


def test_doctor_on_a_new_data_dir_creates_nothing(tmp_path: Path) -> None:
    code, report = doctor(tmp_path / "new")
    assert code == 0
    assert report["Data dir"] == str(tmp_path / "new")
    assert report["Database"].startswith("none yet")
    assert report["Last backup"].startswith("none")
    assert report["Free space"].endswith(f"on the disk holding {tmp_path / 'new'}")
    assert report["Window"].startswith("none: no display")
    assert report["Running"] == "no"
    assert not (tmp_path / "new" / "desk.db").exists()


def test_doctor_reports_the_running_server_and_its_backup(tmp_path: Path) -> None:
    running = start_desk(tmp_path)
    try:
        backup = run_desk("backup", "--data-dir", str(tmp_path))
        assert backup.returncode == 0, backup.stderr
        code, report = doctor(tmp_path)
    finally:
        running.stop()
    assert code == 0, report
    assert "schema" in report["Database"] and report["Integrity"] == "ok"
    assert "backups/" in report["Last backup"]
    assert report["Running"].startswith(f"yes, server listening at {running.url}/")


def test_doctor_flags_a_damaged_database(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "desk.db")
    conn.execute("CREATE TABLE t (a TEXT, b TEXT)")
    conn.execute("CREATE INDEX t_a ON t(a)")
    conn.execute("INSERT INTO t VALUES ('x', 'y')")
    conn.execute("PRAGMA writable_schema = ON")  # the index now claims the wrong column
    conn.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX t_a ON t(b)' WHERE name = 't_a'")
    conn.commit()
    conn.close()
    code, report = doctor(tmp_path)
    assert code == 1
    assert report["Integrity"] != "ok" and "PROBLEM" in report["Integrity"]


def test_doctor_says_when_free_space_is_low(tmp_path: Path) -> None:
    """A data dir on a 16 MB tmpfs: below max(500 MB, twice the database), so a problem."""
    with small_disk(tmp_path / "small", 16) as mount_point:
        code, report = doctor(mount_point)
    assert code == 1
    free = report["Free space"]
    assert "MB on the disk holding" in free and "LOW (keep at least 500.0 MB free)" in free
