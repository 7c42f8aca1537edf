"""`desk doctor`: what an owner (or whoever helps them) checks first, read-only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import desk
from desk.config import DB_FILENAME
from desk.instance import find_running
from desk.services import backup
from desk.store import backup as store
from desk.store.migrations import MIGRATIONS
from desk.window_toolkit import backend_description


@dataclass(frozen=True)
class Finding:
    label: str
    value: str
    ok: bool = True


def _size(path: Path) -> str:
    size = float(path.stat().st_size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    return ""  # unreachable


def _database(data_dir: Path) -> list[Finding]:
    path = data_dir / DB_FILENAME
    if not path.is_file():
        return [Finding("Database", f"none yet ({path} is created at the first start)")]
    try:
        check = store.check_file(path)
    except store.BackupError as exc:
        return [Finding("Database", str(exc), ok=False)]
    known = len(MIGRATIONS)
    version = f"schema {check.schema_version} (this Desk: {known})"
    wal = path.with_name(f"{DB_FILENAME}-wal")
    size = _size(path) + (f" + {_size(wal)} WAL" if wal.is_file() and wal.stat().st_size else "")
    if check.schema_version > known:
        version += ": written by a newer Desk"
    return [
        Finding("Database", f"{path}, {size}, {version}", check.schema_version <= known),
        Finding("Integrity", check.integrity, check.integrity == "ok"),
    ]


def _last_backup(data_dir: Path) -> Finding:
    found = backup.list_backups(data_dir)
    if not found:
        return Finding("Last backup", f"none in {backup.backups_dir(data_dir)}")
    newest = max(found, key=lambda p: p.stat().st_mtime)
    when = datetime.fromtimestamp(newest.stat().st_mtime, UTC).strftime("%Y-%m-%d %H:%M UTC")
    return Finding("Last backup", f"{when}: {newest} ({_size(newest)})")


def _window() -> Finding:
    return Finding("Window", backend_description())


def _running(data_dir: Path) -> Finding:
    running = find_running(data_dir, wait_seconds=2)
    if running is None:
        return Finding("Running", "no")
    mode = "window" if running.mode == "window" else "server"
    return Finding("Running", f"yes, {mode} listening at {running.url or '?'} (pid {running.pid})")


def examine(data_dir: Path) -> list[Finding]:
    return [
        Finding("Desk", desk.__version__),
        Finding("Data dir", str(data_dir)),
        *_database(data_dir),
        _last_backup(data_dir),
        _window(),
        _running(data_dir),
    ]
