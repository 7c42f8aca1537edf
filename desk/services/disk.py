"""The disk under the data dir: how much is free, how big the database is, in words."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from desk.config import DB_FILENAME

LOW_SPACE_FLOOR_BYTES = 500 * 1024 * 1024


def free_bytes(path: Path) -> int:
    """Bytes this process may still write on the disk holding `path`."""
    return shutil.disk_usage(path).free


def database_bytes(data_dir: Path) -> int:
    """The database file and its WAL."""
    total = 0
    for name in (DB_FILENAME, f"{DB_FILENAME}-wal"):
        with contextlib.suppress(FileNotFoundError):
            total += (data_dir / name).stat().st_size
    return total


def low_space_threshold(data_dir: Path) -> int:
    """Below this much free space the disk is reported low (max(500 MB, twice the database))."""
    return max(LOW_SPACE_FLOOR_BYTES, 2 * database_bytes(data_dir))


def human_bytes(size: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    return ""  # unreachable
