"""The one SQLite file: a single serialised writer and a reader connection per thread."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from desk.errors import DatabaseDamaged, DeskError, DiskFull
from desk.store.faults import Faults, classify
from desk.store.search import add_terms_table

log = logging.getLogger("desk.db")

BUSY_TIMEOUT_MS = 10_000
# After a checkpoint the WAL file is cut back to this size (it never keeps the size of the
# biggest transaction it once held).
WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024
DEFAULT_DAMAGE_ADVICE = (
    "Desk's database file is damaged. Stop Desk and restore the newest backup with "
    "desk restore <backup file>."
)


class DatabaseError(Exception):
    """The database file cannot be used (too new, unreadable); the message says why."""


class ReaderConnection(sqlite3.Connection):
    """A per-thread reader (query-only): its type says so without asking SQLite."""


def _connect(
    path: Path, factory: type[sqlite3.Connection] = sqlite3.Connection
) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, so every write transaction is
    # BEGIN IMMEDIATE and takes the write lock up front instead of failing half-way.
    conn = sqlite3.connect(
        path,
        check_same_thread=False,
        isolation_level=None,
        timeout=BUSY_TIMEOUT_MS / 1000,
        factory=factory,
    )
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    # FULL: a reply that got its 201 is on disk even after a power cut.
    conn.execute("PRAGMA synchronous = FULL")
    add_terms_table(conn)  # temp, so before a reader turns query-only
    return conn


class Database:
    """Owns the writer connection (one at a time, behind a lock) and per-thread readers."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._write_lock = threading.RLock()
        self._writer = _connect(path)
        self._writer.execute("PRAGMA journal_mode = WAL")
        self._writer.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT_BYTES:d}")
        # What the machine did wrong (a full disk, a damaged file), for /api/health.
        self.faults = Faults()
        # The sentence a damaged-database error shows; the services name the newest backup.
        self.damage_advice: Callable[[], str] = lambda: DEFAULT_DAMAGE_ADVICE
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._closed = False

    @property
    def utils(self) -> sqlite_utils.Database:
        """sqlite-utils over the writer connection, for schema work inside `write()`."""
        return sqlite_utils.Database(self._writer, use_counts_table=False)

    def machine_fault(self, exc: BaseException) -> DeskError | None:
        """The error to answer for `exc` when the machine is at fault (a full disk: 507, a
        damaged file: 503), after noting it in `faults`; None for anything else."""
        if isinstance(exc, DeskError):
            return None
        fault = classify(exc)
        if fault == "disk_full":
            self.faults.record("disk_full")
            return DiskFull(self.path.parent)
        if fault == "database_damaged":
            self.faults.record("database_damaged", str(exc))
            return DatabaseDamaged(self.damage_advice())
        return None

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: serialised in-process, BEGIN IMMEDIATE, committed on success.
        A full disk or a damaged file raises DiskFull / DatabaseDamaged, and nothing of the
        transaction stays (a COMMIT that failed is rolled back too)."""
        with self._write_lock:
            conn = self._writer
            if conn.in_transaction:  # nested use by the same thread joins the outer one
                yield conn
                return
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                translated = self.machine_fault(exc)
                if translated is None:
                    raise
                raise translated from exc
            try:
                yield conn
            except BaseException as exc:
                _rollback(conn)
                translated = self.machine_fault(exc)
                if translated is not None:
                    raise translated from exc
                raise
            try:
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                _rollback(conn)
                translated = self.machine_fault(exc)
                if translated is None:
                    raise
                raise translated from exc
        if self.faults.disk_full:
            self.faults.disk_has_room()

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A read transaction on this thread's own connection: one consistent snapshot."""
        conn = self._reader()
        if conn.in_transaction:
            yield conn
            return
        try:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")
        except sqlite3.Error as exc:
            translated = self.machine_fault(exc)
            if translated is not None:
                raise translated from exc
            raise

    def data_version(self) -> int:
        """This thread's reader's `PRAGMA data_version`: it moves whenever another connection
        commits, so a value read from this thread's snapshot is current while it stays the same.
        Only comparable with values from the same thread."""
        try:
            return int(self._reader().execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error as exc:
            translated = self.machine_fault(exc)
            if translated is not None:
                raise translated from exc
            raise

    def _reader(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise DatabaseError("The database is closed.")
            conn = _connect(self.path, ReaderConnection)
            conn.execute("PRAGMA query_only = ON")
            self._local.conn = conn
            with self._readers_lock:
                self._readers.append(conn)
        return conn

    def user_version(self) -> int:
        return int(self._writer.execute("PRAGMA user_version").fetchone()[0])

    def checkpoint(self) -> None:
        """Copy the WAL into the database file and cut the WAL back to empty (when no reader
        still needs it)."""
        with self._write_lock:
            try:
                self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error as exc:
                translated = self.machine_fault(exc)
                if translated is None:
                    raise
                raise translated from exc

    def close(self) -> None:
        """Checkpoint the WAL into the main file and close every connection."""
        if self._closed:
            return
        self._closed = True
        with self._readers_lock:
            for conn in self._readers:
                conn.close()
            self._readers.clear()
        with self._write_lock:
            try:
                self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error as exc:  # a full disk: the WAL stays, SQLite reads it next time
                log.warning("could not checkpoint %s at close: %s", self.path, exc)
            finally:
                self._writer.close()


def _rollback(conn: sqlite3.Connection) -> None:
    """Undo what is left of a failed transaction (SQLite may have rolled it back already)."""
    if not conn.in_transaction:
        return
    try:
        conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        log.error("rollback failed: %s", exc)


@contextmanager
def savepoint(conn: sqlite3.Connection, name: str = "part") -> Iterator[None]:
    """A part of a write transaction that is undone alone when it raises (the transaction
    goes on): one conversation of a bulk action that failed leaves the others."""
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        conn.execute(f"ROLLBACK TO {name}")
        conn.execute(f"RELEASE {name}")
        raise
    conn.execute(f"RELEASE {name}")
