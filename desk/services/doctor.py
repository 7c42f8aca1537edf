"""`desk doctor`: what an owner (or whoever helps them) checks first, read-only."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import desk
from desk.config import DB_FILENAME
from desk.instance import find_running
from desk.services import backup, backup_files, disk
from desk.store import backup as store
from desk.store import modes
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


def _attachments(data_dir: Path) -> list[Finding]:
    path = data_dir / DB_FILENAME
    if not path.is_file():
        return []
    try:
        report = backup_files.data_dir_report(data_dir, path)
    except sqlite3.Error as exc:
        return [Finding("Attachments", f"cannot be read ({exc})", ok=False)]
    text = f"{report.present:,} file(s), {_human(report.bytes)} in {data_dir / 'attachments'}"
    if report.missing:
        text += f"; {len(report.missing):,} named by the database are MISSING (restore a backup)"
    return [Finding("Attachments", text, not report.missing)]


def _human(size: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    return ""  # unreachable


def _last_backup(data_dir: Path) -> Finding:
    found = backup.list_backups(data_dir)
    if not found:
        return Finding("Last backup", f"none in {backup.backups_dir(data_dir)}")
    newest = max(found, key=lambda p: p.stat().st_mtime)
    when = datetime.fromtimestamp(newest.stat().st_mtime, UTC).strftime("%Y-%m-%d %H:%M UTC")
    return Finding("Last backup", f"{when}: {newest} ({_size(newest)})")


def _free_space(data_dir: Path) -> Finding:
    """Free space on the data dir's disk; below max(500 MB, twice the database) is a problem
    (the same rule as /api/health's `disk_low`)."""
    existing = data_dir
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    free = disk.free_bytes(existing)
    threshold = disk.low_space_threshold(data_dir)
    text = f"{disk.human_bytes(free)} on the disk holding {data_dir}"
    if free < threshold:
        text += f": LOW (keep at least {disk.human_bytes(threshold)} free)"
    return Finding("Free space", text, free >= threshold)


def _window() -> Finding:
    return Finding("Window", backend_description())


def _running(data_dir: Path) -> Finding:
    running = find_running(data_dir, wait_seconds=2)
    if running is None:
        return Finding("Running", "no")
    mode = "window" if running.mode == "window" else "server"
    return Finding("Running", f"yes, {mode} listening at {running.url or '?'} (pid {running.pid})")


def _modes(data_dir: Path) -> Finding:
    wrong = modes.wrong_modes(data_dir)
    if not wrong:
        return Finding("File modes", "private (folders 0700, files 0600)")
    shown = ", ".join(wrong[:5]) + (f" and {len(wrong) - 5} more" if len(wrong) > 5 else "")
    return Finding(
        "File modes", f"other users can read {shown}; the next start fixes them", ok=False
    )


def examine(data_dir: Path) -> list[Finding]:
    return [
        Finding("Desk", desk.__version__),
        Finding("Data dir", str(data_dir)),
        _modes(data_dir),
        *_database(data_dir),
        *_attachments(data_dir),
        _last_backup(data_dir),
        _free_space(data_dir),
        _window(),
        _running(data_dir),
    ]
