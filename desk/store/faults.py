"""What the machine did wrong, told apart from Desk's own bugs: a full disk, a damaged file.

`classify` names the fault behind an exception (SQLite's `SQLITE_FULL`, an `ENOSPC` from a
file write, `SQLITE_CORRUPT` / `SQLITE_NOTADB`). `Faults` remembers the ones the database
met, for `/api/health`: a full disk until a later write commits again (or the health check
sees room), a damaged database until the file is replaced (it never heals by itself).
Listeners hear every change, so the health service can tell the agents at once.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Literal

log = logging.getLogger("desk.faults")

Fault = Literal["disk_full", "database_damaged"]

_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def classify(exc: BaseException) -> Fault | None:
    """The machine's fault behind `exc`, or None when it is something else."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:  # follow `raise ... from`
        seen.add(id(current))
        if isinstance(current, sqlite3.Error):
            primary = (getattr(current, "sqlite_errorcode", 0) or 0) & 0xFF
            if primary == sqlite3.SQLITE_FULL:
                return "disk_full"
            if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
                return "database_damaged"
            text = str(current).lower()
            if "database or disk is full" in text:
                return "disk_full"
            if "malformed" in text or "not a database" in text:
                return "database_damaged"
        elif isinstance(current, OSError) and current.errno in _FULL_ERRNOS:
            return "disk_full"
        current = current.__cause__ or current.__context__
    return None


Listener = Callable[[], None]


class Faults:
    """The faults one database met, shared by every thread using it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._disk_full = False
        self._damage: str | None = None
        self._listeners: list[Listener] = []

    @property
    def disk_full(self) -> bool:
        return self._disk_full

    @property
    def damage(self) -> str | None:
        """SQLite's complaint about the damaged file, or None while it looks whole."""
        return self._damage

    def add_listener(self, listener: Listener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def record(self, fault: Fault, detail: str = "") -> None:
        with self._lock:
            if fault == "disk_full":
                changed = not self._disk_full
                self._disk_full = True
            else:
                changed = self._damage is None
                if changed:
                    self._damage = detail or "damaged"
        if changed:
            self._notify()

    def disk_has_room(self) -> None:
        """A write went through (or the check saw room): the disk is not full any more."""
        with self._lock:
            changed = self._disk_full
            self._disk_full = False
        if changed:
            self._notify()

    def _notify(self) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener()
            except Exception:  # a listener's bug must not turn into the write's error
                log.exception("fault listener failed")


def quick_check(path: Path) -> str:
    """`PRAGMA quick_check` of the file on a connection of its own: "ok", or SQLite's first
    complaint. Reads the whole file (seconds for a large one): run it in the background."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error as exc:
        return str(exc)
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()
    complaints = [str(row[0]) for row in rows]
    return "ok" if complaints == ["ok"] else complaints[0]
