"""The disk under the data dir: how much is free, how big the database is, in words."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from desk.config import DB_FILENAME

LOW_SPACE_FLOOR_BYTES = 500 * 1024 * 1024
_DB_FILES = (DB_FILENAME, f"{DB_FILENAME}-wal")


def free_bytes(path: Path) -> int:
    """Bytes this process may still write on the disk holding `path`."""
    return shutil.disk_usage(path).free


def database_bytes(data_dir: Path) -> int:
    """The database file and its WAL."""
    total, folder = 0, os.fspath(data_dir)  # os.stat on strings: /api/health asks every time
    for name in _DB_FILES:
        with contextlib.suppress(FileNotFoundError):
            total += os.stat(os.path.join(folder, name)).st_size
    return total


def low_space_threshold(data_dir: Path) -> int:
    """Below this much free space the disk is reported low (max(500 MB, twice the database))."""
    return max(LOW_SPACE_FLOOR_BYTES, 2 * database_bytes(data_dir))


def space_is_low(data_dir: Path) -> tuple[bool, int]:
    """Whether the free space is below `low_space_threshold`, and how much is free. The
    database is part of what the disk holds: when the free space is over twice all that is
    used, it is over twice the database too, and the files need no `stat`."""
    usage = shutil.disk_usage(data_dir)
    if usage.free >= max(LOW_SPACE_FLOOR_BYTES, 2 * usage.used):
        return False, usage.free
    return usage.free < low_space_threshold(data_dir), usage.free


def human_bytes(size: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    return ""  # unreachable
