"""One Desk per data directory: an OS file lock held for the life of the process.

The lock (`desk.lock`) is taken with flock (msvcrt on Windows), so the kernel drops it when
the process ends, even by a crash: a stale lock never blocks. Beside it, `instance.json`
says where the running Desk listens (written once it is bound); it is trusted only while
the lock is actually held by someone, so a leftover file from a crashed Desk is ignored.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO

LOCK_FILENAME = "desk.lock"
INFO_FILENAME = "instance.json"


@dataclass(frozen=True)
class RunningInstance:
    """What a running Desk published about itself."""

    pid: int
    url: str = ""
    mode: str = "serve"  # "serve" or "window"
    focus_port: int = 0  # the window listens here for "come to the front" (0: none)


def _try_lock(handle: IO[bytes]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class InstanceLock:
    """Held by the Desk that serves a data dir; `acquire()` says False if another holds it."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._handle: IO[bytes] | None = None

    @property
    def info_path(self) -> Path:
        return self.data_dir / INFO_FILENAME

    def acquire(self) -> bool:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        handle = open(self.data_dir / LOCK_FILENAME, "a+b")  # noqa: SIM115 (held until release)
        if not _try_lock(handle):
            handle.close()
            return False
        self._handle = handle
        self.info_path.unlink(missing_ok=True)  # a crashed Desk's leftover
        return True

    def publish(self, instance: RunningInstance) -> None:
        """Tell later `desk` commands where this one listens (atomically replaced)."""
        partial = self.info_path.with_suffix(".json.partial")
        partial.write_text(json.dumps(asdict(instance)), encoding="utf-8")
        os.replace(partial, self.info_path)

    def release(self) -> None:
        if self._handle is None:
            return
        self.info_path.unlink(missing_ok=True)
        self._handle.close()  # closing drops the lock
        self._handle = None

    def __enter__(self) -> InstanceLock:
        return self

    def __exit__(self, *_: object) -> None:
        self.release()


def _read_info(path: Path) -> RunningInstance | None:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return RunningInstance(**raw)
    except (OSError, ValueError, TypeError):
        return None


def is_locked(data_dir: Path) -> bool:
    """True while some process (this one included) holds the data dir's lock."""
    path = data_dir / LOCK_FILENAME
    if not path.exists():
        return False
    with open(path, "a+b") as handle:
        # Taking the lock succeeds only when nobody holds it; closing gives it back at once.
        return not _try_lock(handle)


def find_running(data_dir: Path, wait_seconds: float = 10) -> RunningInstance | None:
    """The Desk serving `data_dir`, or None. A Desk that holds the lock but is still starting
    is waited for (up to `wait_seconds`) until it publishes its URL."""
    deadline = time.monotonic() + wait_seconds
    while is_locked(data_dir):
        info = _read_info(data_dir / INFO_FILENAME)
        if info is not None and info.url:
            return info
        if time.monotonic() > deadline:
            return RunningInstance(pid=0)
        time.sleep(0.05)
    return None
