"""File modes of the data directory (API.md): it holds mail passwords, the AI key, signing
secrets and hook tokens in plain text, so no other local user may read it.

The data directory and its folders are `0700`, the database, its WAL and shared-memory files,
backups and attachments `0600`. `secure` makes them so at every start (fixing older installs)
and sets the process umask to `077`, so what Desk writes afterwards is private from the start.
`wrong_modes` lists what is wider (for `desk doctor`).
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
PRIVATE_FOLDERS = ("backups", "attachments")
POSIX = os.name == "posix"


def _private_paths(data_dir: Path) -> list[tuple[Path, int]]:
    found: list[tuple[Path, int]] = [(data_dir, DIR_MODE)]
    with contextlib.suppress(OSError):
        for entry in data_dir.iterdir():
            if entry.is_symlink():
                continue
            if entry.is_file() and entry.name.startswith("desk.db"):
                found.append((entry, FILE_MODE))
    for name in PRIVATE_FOLDERS:
        folder = data_dir / name
        if not folder.is_dir() or folder.is_symlink():
            continue
        found.append((folder, DIR_MODE))
        for root, dirs, files in os.walk(folder):
            found.extend((Path(root, d), DIR_MODE) for d in dirs)
            found.extend((Path(root, f), FILE_MODE) for f in files)
    return found


def secure(data_dir: Path) -> None:
    """Create the data dir `0700` if needed, tighten what is wider, set umask 077."""
    if not POSIX:
        data_dir.mkdir(parents=True, exist_ok=True)
        return
    os.umask(0o077)
    data_dir.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    for path, mode in _private_paths(data_dir):
        with contextlib.suppress(OSError):  # not ours (a shared backup folder): doctor says so
            if stat.S_IMODE(path.stat().st_mode) & ~mode:
                path.chmod(stat.S_IMODE(path.stat().st_mode) & mode)


def wrong_modes(data_dir: Path) -> list[str]:
    """`path (0644)` for everything other users could read or write."""
    if not POSIX or not data_dir.is_dir():
        return []
    wrong = []
    for path, mode in _private_paths(data_dir):
        with contextlib.suppress(OSError):
            actual = stat.S_IMODE(path.stat().st_mode)
            if actual & ~mode:
                wrong.append(f"{path} ({actual:04o})")
    return wrong
