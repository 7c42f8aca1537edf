"""The attachment store: file bytes kept once per content, beside the database.

`DATA_DIR/attachments/<first two hex digits>/<sha256>`, files `0600` in folders `0700`. A
file is written to `attachments/tmp/` first and renamed into place (a reader never sees
half a file); the same content stored twice is one file. Rows in `attachments` and `emails`
name files by hash; a file no row names is removed (`remove_unused`, at erasure; `sweep`,
for leftovers). Both writing and removing happen under the database's write lock, so a
file is never removed between being written and being named by its row.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

FOLDER = "attachments"
STAGING = "tmp"
LEFTOVER_SECONDS = 3600  # a staged file older than this belongs to a write that never ended


@dataclass(frozen=True)
class Staged:
    """Bytes written under a temporary name, not yet in place."""

    sha256: str
    size: int
    path: Path


class FileStore:
    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir / FOLDER

    def path_of(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256

    def stage(self, data: bytes) -> Staged:
        """Write `data` to a temporary file (outside any lock: it may be large)."""
        staging = self.root / STAGING
        _make_dirs(self.root)
        _make_dirs(staging)
        digest = hashlib.sha256(data).hexdigest()
        path = staging / f"{digest}.{os.getpid()}.{time.monotonic_ns()}"
        _write_private(path, data)
        return Staged(sha256=digest, size=len(data), path=path)

    def place(self, staged: Staged) -> str:
        """Move a staged file into place (or drop it: that content is stored already).
        Call inside the write transaction that adds the row naming it."""
        final = self.path_of(staged.sha256)
        if final.exists():
            staged.path.unlink(missing_ok=True)
        else:
            _make_dirs(final.parent)
            os.replace(staged.path, final)
        return staged.sha256

    def discard(self, staged: Staged) -> None:
        staged.path.unlink(missing_ok=True)

    def read(self, sha256: str) -> bytes:
        return self.path_of(sha256).read_bytes()

    def exists(self, sha256: str) -> bool:
        return self.path_of(sha256).is_file()

    def remove_unused(self, conn: sqlite3.Connection, candidates: Iterable[str]) -> int:
        """Remove the files of `candidates` that no row names any more (inside the write
        transaction that removed the rows). Returns how many went."""
        removed = 0
        for sha256 in set(candidates):
            if not is_named(conn, sha256):
                try:
                    self.path_of(sha256).unlink()
                    removed += 1
                except FileNotFoundError:
                    pass
        return removed

    def stored(self) -> Iterator[str]:
        """The hashes of every file in place."""
        if not self.root.is_dir():
            return
        for folder in sorted(self.root.iterdir()):
            if folder.name == STAGING or not folder.is_dir():
                continue
            for item in sorted(folder.iterdir()):
                if item.is_file() and len(item.name) == 64:
                    yield item.name

    def sweep(self, conn: sqlite3.Connection) -> int:
        """Remove files no row names and staged files left by writes that never ended."""
        removed = self.remove_unused(conn, list(self.stored()))
        staging = self.root / STAGING
        if staging.is_dir():
            cutoff = time.time() - LEFTOVER_SECONDS
            for item in staging.iterdir():
                if item.is_file() and item.stat().st_mtime < cutoff:
                    item.unlink(missing_ok=True)
                    removed += 1
        return removed


def is_named(conn: sqlite3.Connection, sha256: str) -> bool:
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM attachments WHERE sha256 = ?)"
        " OR EXISTS (SELECT 1 FROM emails WHERE raw_sha256 = ?)",
        (sha256, sha256),
    ).fetchone()
    return bool(row[0])


def named_files(conn: sqlite3.Connection) -> list[str]:
    """Every hash a row names (what a backup must carry)."""
    rows = conn.execute(
        "SELECT sha256 FROM attachments UNION SELECT raw_sha256 FROM emails"
        " WHERE raw_sha256 IS NOT NULL ORDER BY 1"
    )
    return [str(row[0]) for row in rows]


def _make_dirs(path: Path) -> None:
    """One folder level below an existing one, private to Desk's user."""
    path.mkdir(mode=0o700, exist_ok=True)


def _write_private(path: Path, data: bytes) -> None:
    """Write the whole file or nothing: a write that fails (a full disk) leaves no part."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
