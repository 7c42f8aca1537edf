"""`desk export` and `desk import-contacts`, run as a user would: real processes on a demo
data directory, progress bars on a terminal and plain lines otherwise."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.servers import TEST_ENV, RunningDesk, run_desk

pytestmark = pytest.mark.slow  # runs the desk command as a process

CSV = (
    "name,email,phone,company,plan\n"
    "Grace Hopper,grace@example.com,+1 555 0100,Navy,pro\n"
    "Ada,not-an-email,,,\n"
    "Alan Turing,alan@example.com,,,\n"
    "Too,many,cells,here,x,y\n"
)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli-data") / "data"
    made = run_desk("demo", "--conversations", "40", "--seed", "7", "--data-dir", str(path))
    assert made.returncode == 0, made.stderr
    return path


def desk(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return run_desk(*args, "--data-dir", str(data_dir), stdin=stdin)


def count(data_dir: Path, sql: str) -> int:
    with sqlite3.connect(data_dir / "desk.db") as db:
        return int(db.execute(sql).fetchone()[0])


def test_import_dry_run_then_import(data_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    source.write_text(CSV)
    before = count(data_dir, "SELECT count(*) FROM contacts")
    dry = desk(data_dir, "import-contacts", str(source), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Dry run (nothing written): would create 2 and would update 0" in dry.stdout
    assert "line 3: email must be an email address" in dry.stdout
    assert "line 5: Expected 5 cells, found 6." in dry.stdout
    assert "100% (5 of 5 lines)" in dry.stderr  # not a terminal: plain lines
    assert count(data_dir, "SELECT count(*) FROM contacts") == before  # nothing written
    done = desk(data_dir, "import-contacts", str(source))
    assert done.returncode == 0, done.stderr
    assert "Created 2 and updated 0 contacts; lines skipped: 2." in done.stdout
    assert count(data_dir, "SELECT count(*) FROM contacts") == before + 2
    assert count(data_dir, "SELECT count(*) FROM contacts WHERE email = 'grace@example.com'"
                 " AND custom_attributes = '{\"plan\": \"pro\"}'") == 1  # fmt: skip
    again = desk(data_dir, "import-contacts", "-", stdin=CSV)  # standard input
    assert "Created 0 and updated 2 contacts" in again.stdout, again.stderr


def test_exports_to_stdout_and_to_a_file(data_dir: Path, tmp_path: Path) -> None:
    contacts = desk(data_dir, "export", "contacts")
    assert contacts.returncode == 0, contacts.stderr
    rows = list(csv.reader(io.StringIO(contacts.stdout)))
    assert rows[0][:3] == ["id", "name", "email"]
    assert len(rows) - 1 == count(data_dir, "SELECT count(*) FROM contacts")
    with sqlite3.connect(data_dir / "desk.db") as db:
        days = sorted(r[0][:10] for r in db.execute("SELECT created_at FROM conversations"))
    middle = days[len(days) // 2]
    target = tmp_path / "conversations.csv"
    ranged = desk(data_dir, "export", "conversations", "--since", middle, "--until", middle,
                  "-o", str(target))  # fmt: skip
    assert ranged.returncode == 0, ranged.stderr
    lines = list(csv.reader(target.open(newline="")))
    assert lines[0][:2] == ["id", "created_at"]
    assert len(lines) - 1 == days.count(middle)  # the workspace is UTC
    assert all(line[1].startswith(middle) for line in lines[1:])
    assert f"Exported {days.count(middle)} rows to {target}" in ranged.stderr
    assert not list(tmp_path.glob("*.part"))
    whole = desk(data_dir, "export", "workspace")
    assert whole.returncode == 0, whole.stderr
    data = json.loads(whole.stdout)
    assert len(data["conversations"]) == len(days) and data["messages"]
    assert "password" not in json.dumps(data["agents"])


def test_an_export_to_a_pipe_writes_into_it_and_leaves_it_a_pipe(
    data_dir: Path, tmp_path: Path
) -> None:
    # `-o /dev/null` once renamed a regular file over the device: a pipe stands in for it.
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    result = desk(data_dir, "export", "contacts", "-o", str(pipe))
    reader.join(timeout=120)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert received and b"," in received[0].splitlines()[0]  # the CSV's header row came through
    assert not list(tmp_path.glob("*.part"))


def test_progress_bar_on_a_terminal(data_dir: Path, tmp_path: Path) -> None:
    parent, child = pty.openpty()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "desk", "export", "workspace", "-o", str(tmp_path / "w.json"),
             "--data-dir", str(data_dir)],
            stdout=subprocess.DEVNULL, stderr=child, timeout=120,
            env={**os.environ, **TEST_ENV},
        )  # fmt: skip
        os.close(child)
        child = -1
        shown = b""
        while True:
            try:
                chunk = os.read(parent, 4096)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(parent)
        if child != -1:
            os.close(child)
    assert result.returncode == 0
    text = shown.decode()
    assert "\r[" in text and "##############################] 100%" in text


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("export", "contacts", "--since", "2026-01-01"), "--since and --until are for"),
        (("export", "conversations", "--since", "2026-13-01"), "not a date like"),
        (("export", "conversations", "--since", "2026-12-02", "--until", "2026-12-01"),
         "--since must not be after --until"),
        (("export", "everything"), "invalid choice"),
        (("import-contacts", "/nonexistent/people.csv"), "Could not read"),
    ],
)  # fmt: skip
def test_refusals(data_dir: Path, args: tuple[str, ...], says: str) -> None:
    result = desk(data_dir, *args)
    assert result.returncode == 2 and says in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_a_refused_file_writes_nothing(data_dir: Path, tmp_path: Path) -> None:
    before = count(data_dir, "SELECT count(*) FROM contacts")
    source = tmp_path / "bad.csv"
    source.write_bytes(b"name,email\xff\nA,a@example.com\n")
    result = desk(data_dir, "import-contacts", str(source))
    assert result.returncode == 2 and "UTF-8" in result.stderr
    assert count(data_dir, "SELECT count(*) FROM contacts") == before


def test_no_database_is_a_clear_error(tmp_path: Path) -> None:
    result = desk(tmp_path / "empty", "export", "contacts")
    assert result.returncode == 2 and "No Desk database" in result.stderr
    assert not (tmp_path / "empty" / "desk.db").exists()


def test_import_is_refused_while_desk_serves_the_data_dir(
    server: RunningDesk, tmp_path: Path
) -> None:
    source = tmp_path / "people.csv"
    source.write_text(CSV)
    data_dir = tmp_path / "data"  # the `server` fixture's
    before = count(data_dir, "SELECT count(*) FROM contacts")
    result = desk(data_dir, "import-contacts", str(source))
    assert result.returncode == 2, result.stdout
    assert f"Desk is running for {data_dir} at {server.url}" in result.stderr
    assert count(data_dir, "SELECT count(*) FROM contacts") == before
    exported = desk(data_dir, "export", "contacts")  # reading is fine meanwhile
    assert exported.returncode == 0 and exported.stdout.startswith("id,name,email")
