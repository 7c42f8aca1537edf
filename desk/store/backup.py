"""The SQLite side of backups: consistent online copies and checks of a database file.

A copy is made with SQLite's online backup API, never by copying files: the source stays in
one read transaction for the whole copy, so it is one consistent snapshot even while the
server keeps writing (in WAL mode writers are not blocked), and the backup never restarts.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PAGES_PER_STEP = 256
BUSY_TIMEOUT_SECONDS = 10

Progress = Callable[[int, int], None]  # (pages copied, total pages)


class BackupError(Exception):
    """The copy or the file to restore is unusable; the message says why."""


@dataclass(frozen=True)
class FileCheck:
    integrity: str  # "ok", or SQLite's first complaint
    schema_version: int
    tables: frozenset[str]


def _open(path: Path, *, read_only: bool) -> sqlite3.Connection:
    if read_only and not path.is_file():
        raise BackupError(f"{path} does not exist.")
    uri = f"{path.resolve().as_uri()}?mode=ro" if read_only else str(path)
    try:
        conn = sqlite3.connect(
            uri, uri=read_only, isolation_level=None, timeout=BUSY_TIMEOUT_SECONDS
        )
    except sqlite3.Error as exc:
        raise BackupError(f"Cannot open {path}: {exc}") from exc
    return conn


def copy_database(source: Path, target: Path, progress: Progress | None = None) -> None:
    """Copy `source` to `target` (replaced atomically once complete and verified)."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = _open(source, read_only=True)
    try:
        dst = sqlite3.connect(partial, isolation_level=None)
        try:
            # One snapshot for the whole copy: steps never see a later write, so no restart.
            src.execute("BEGIN")
            src.execute("SELECT count(*) FROM sqlite_master").fetchone()
            src.backup(dst, pages=PAGES_PER_STEP, progress=_step_reporter(progress))
            src.execute("COMMIT")
            dst.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
        finally:
            dst.close()
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"Backup of {source} failed: {exc}") from exc
    finally:
        src.close()
    result = check_file(partial)
    if result.integrity != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"The copy failed its integrity check: {result.integrity}")
    os.replace(partial, target)


def _step_reporter(progress: Progress | None) -> Callable[[int, int, int], None] | None:
    if progress is None:
        return None

    def report(_status: int, remaining: int, total: int) -> None:
        progress(total - remaining, total)

    return report


def check_file(path: Path) -> FileCheck:
    """Integrity, schema version and tables of a database file, opened read-only."""
    conn = _open(path, read_only=True)
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        integrity = "ok" if [tuple(r) for r in rows] == [("ok",)] else str(rows[0][0])
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        names = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    except sqlite3.DatabaseError as exc:  # "file is not a database", "malformed", ...
        raise BackupError(f"{path} is not a usable SQLite database: {exc}") from exc
    finally:
        conn.close()
    return FileCheck(integrity, version, frozenset(str(n[0]) for n in names))


def checkpoint(path: Path) -> None:
    """Fold a leftover WAL (from a crash) into the file, so the file alone is complete."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_SECONDS)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error as exc:
        raise BackupError(f"Cannot checkpoint {path}: {exc}") from exc
    finally:
        conn.close()
