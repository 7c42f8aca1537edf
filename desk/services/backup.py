"""Backups and restore: `desk backup`, the daily automatic backup, and `desk restore`.

Backups are SQLite online copies (see desk/store/backup.py), verified before they count,
with the attachment files the copy names in `<backup>.files/` beside it (backup_files.py).
Automatic ones are named `auto-<UTC timestamp>.db` in DATA_DIR/backups (the last 7 kept);
`desk backup` without a path writes `desk-<UTC timestamp>.db` there (never pruned).
"""

from __future__ import annotations

import logging
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from desk.config import DB_FILENAME
from desk.errors import DeskError
from desk.instance import InstanceLock, find_running
from desk.services import backup_files, disk
from desk.services.desk import Desk
from desk.store import backup as store
from desk.store.migrations import MIGRATIONS

log = logging.getLogger("desk.backup")

BACKUPS_DIRNAME = "backups"
AUTO_PREFIX = "auto-"
MANUAL_PREFIX = "desk-"
STAMP = "%Y%m%d-%H%M%S"
KEEP_AUTOMATIC = 7
DAILY = timedelta(days=1)
CHECK_EVERY_SECONDS = 600  # the background job's period
FIRST_AFTER_START = timedelta(minutes=10)
# An automatic backup leaves at least max(this, the database's size) free on the disk.
BACKUP_RESERVE_BYTES = 100 * 1024 * 1024
AUTO_BACKUP_ENV = "DESK_AUTO_BACKUP"
# Tables every Desk database has had since the first schema.
DESK_TABLES = frozenset({"workspace", "agents", "sessions"})


def backups_dir(data_dir: Path) -> Path:
    return data_dir / BACKUPS_DIRNAME


def _stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime(STAMP)


def _when(path: Path) -> datetime | None:
    stem = path.stem.removeprefix(AUTO_PREFIX).removeprefix(MANUAL_PREFIX)
    try:
        return datetime.strptime(stem, STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None


def list_backups(data_dir: Path, prefix: str = "") -> list[Path]:
    """Backups in the data dir (oldest first), by the time in their names."""
    folder = backups_dir(data_dir)
    if not folder.is_dir():
        return []
    found = [(when, p) for p in folder.glob(f"{prefix}*.db") if (when := _when(p)) is not None]
    return [p for _, p in sorted(found)]


def make_backup(
    data_dir: Path,
    target: Path | None = None,
    now: datetime | None = None,
    progress: store.Progress | None = None,
) -> Path:
    """A verified, consistent copy of the data dir's database, safe while Desk serves it."""
    source = data_dir / DB_FILENAME
    if not source.is_file():
        raise DeskError(f"There is no database at {source} to back up.")
    if target is None or target.is_dir():
        stamp = _stamp(now or datetime.now(UTC))
        target = (target or backups_dir(data_dir)) / f"{MANUAL_PREFIX}{stamp}.db"
    if target.resolve() == source.resolve():
        raise DeskError("The backup cannot replace the database itself.")
    target.parent.mkdir(parents=True, exist_ok=True)
    backup_files.remove(target)  # a folder left by an earlier backup of the same name
    backup_files.take_all(data_dir, target)
    try:
        store.copy_database(source, target, progress)
    except store.BackupError as exc:
        backup_files.remove(target)
        raise DeskError(str(exc)) from exc
    report = backup_files.complete(data_dir, target)
    if report.missing:
        log.warning(
            "%d attachment file(s) named by the backup were erased while it ran",
            len(report.missing),
        )
    return target


class _Outcome:
    """How the last automatic backup went: None when it worked, else what to tell."""

    def __init__(self) -> None:
        self.problem: str | None = None


def last_problem(desk: Desk) -> str | None:
    """Why the last automatic backup failed or was skipped (None: it worked, or none ran)."""
    return desk.shared("backup.outcome", _Outcome).problem


def _set_outcome(desk: Desk, problem: str | None) -> None:
    outcome = desk.shared("backup.outcome", _Outcome)
    if outcome.problem != problem:
        outcome.problem = problem
        desk.health_changed()


def auto_backups_enabled() -> bool:
    """`DESK_AUTO_BACKUP=0` turns the daily backup off (benchmarks; machines with snapshots)."""
    return os.environ.get(AUTO_BACKUP_ENV, "1") != "0"


def run_daily_backup(desk: Desk) -> None:
    """The background job: a backup when the newest automatic one is a day old, keep 7.
    Never in the first minutes after start, so a big database does not slow start-up."""
    if not auto_backups_enabled():
        return
    data_dir = desk.settings.data_dir
    now = desk.now()
    # When the daily job first ran for this Desk.
    if now - desk.shared("backup.first_check", lambda: now) < FIRST_AFTER_START:
        return
    newest = list_backups(data_dir, AUTO_PREFIX)[-1:]
    newest_when = _when(newest[0]) if newest else None
    if newest_when is not None and now - newest_when < DAILY:
        return
    folder = backups_dir(data_dir)
    target = folder / f"{AUTO_PREFIX}{_stamp(now)}.db"
    skipped = _no_room_for_backup(data_dir)
    if skipped is not None:
        log.warning("%s", skipped)
        _set_outcome(desk, skipped)
        return
    try:
        make_backup(data_dir, target)
    except (DeskError, OSError) as exc:
        reason = exc.message if isinstance(exc, DeskError) else str(exc)
        log.error("daily backup failed: %s", reason)
        _set_outcome(desk, f"The automatic backup failed: {reason}")
        return
    for old in list_backups(data_dir, AUTO_PREFIX)[:-KEEP_AUTOMATIC]:
        old.unlink(missing_ok=True)
        backup_files.remove(old)
    log.info("daily backup written to %s", target)
    _set_outcome(desk, None)


def _no_room_for_backup(data_dir: Path) -> str | None:
    """Why an automatic backup would fill the disk (None: there is room). It needs the
    database's size; it must leave at least max(BACKUP_RESERVE_BYTES, that size) free, so the
    backup never takes the last bytes the live database needs to keep working."""
    folder = backups_dir(data_dir)
    needed = disk.database_bytes(data_dir)
    reserve = max(BACKUP_RESERVE_BYTES, needed)
    free = disk.free_bytes(folder if folder.is_dir() else data_dir)
    if free - needed >= reserve:
        return None
    return (
        f"The automatic backup was skipped: it needs {disk.human_bytes(needed)} and only "
        f"{disk.human_bytes(free)} is free on the disk holding {folder} (it keeps "
        f"{disk.human_bytes(reserve)} for Desk itself). Free some space or copy the backups "
        "elsewhere."
    )


def _keep_replaced(database: Path, now: datetime | None) -> Path:
    """A second name for the database about to be replaced (a hard link: no copy, and the
    database stays where it is until the switch)."""
    stamp = _stamp(now or datetime.now(UTC))
    kept = database.with_name(f"{DB_FILENAME}.replaced-{stamp}")
    suffix = 1
    while kept.exists():
        suffix += 1
        kept = database.with_name(f"{DB_FILENAME}.replaced-{stamp}-{suffix}")
    try:
        os.link(database, kept)
    except OSError:  # a file system without hard links: a copy, under its name once whole
        partial = kept.with_name(kept.name + ".partial")
        shutil.copyfile(database, partial)
        os.replace(partial, kept)
    return kept


def _sync_folder(folder: Path) -> None:
    """Make a rename in `folder` survive a power cut (POSIX; a no-op where unsupported)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def check_restorable(path: Path) -> int:
    """The schema version of a backup this Desk can open; DeskError says why not."""
    try:
        check = store.check_file(path)
    except store.BackupError as exc:
        raise DeskError(str(exc)) from exc
    if check.integrity != "ok":
        raise DeskError(f"{path} is damaged (integrity check: {check.integrity}).")
    if check.schema_version < 1 or not check.tables >= DESK_TABLES:
        raise DeskError(f"{path} is not a Desk database.")
    if check.schema_version > len(MIGRATIONS):
        raise DeskError(
            f"{path} was written by a newer version of Desk (schema {check.schema_version}; "
            f"this version knows up to {len(MIGRATIONS)})."
        )
    return check.schema_version


def restore(data_dir: Path, source: Path, now: datetime | None = None) -> Path | None:
    """Replace the database with a verified copy of `source`; returns where the replaced
    file was kept (None when there was none). Refused while a Desk serves the data dir."""
    check_restorable(source)
    lock = InstanceLock(data_dir)
    if not lock.acquire():
        running = find_running(data_dir, wait_seconds=2)
        where = f" at {running.url}" if running and running.url else ""
        raise DeskError(
            f"Desk is running for {data_dir}{where}: stop it first. Nothing was changed."
        )
    with lock:
        database = data_dir / DB_FILENAME
        incoming = data_dir / f"{DB_FILENAME}.restoring"
        try:
            store.copy_database(source, incoming)
        except store.BackupError as exc:
            raise DeskError(str(exc)) from exc
        # The files first: should this stop here, the old database only has spare files.
        report = backup_files.restore_files(source, data_dir)
        replaced = None
        if database.exists():
            store.checkpoint(database)  # the kept file must be complete on its own
            replaced = _keep_replaced(database, now)
        for leftover in (f"{DB_FILENAME}-wal", f"{DB_FILENAME}-shm"):
            (data_dir / leftover).unlink(missing_ok=True)
        # The one step that switches: killed before it, the old database is in place (whole:
        # checkpointed, its WAL empty); after it, the new one. Never neither.
        os.replace(incoming, database)
        _sync_folder(data_dir)
    if report.missing:
        log.warning("%d attachment file(s) the backup names are missing", len(report.missing))
    return replaced
