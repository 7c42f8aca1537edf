"""The machine's health, as `/api/health`, the agents' banner and `desk doctor` tell it.

Problems (their codes are in API.md):
- `disk_full`: a write met a full disk (SQLite's SQLITE_FULL, a file's ENOSPC) and nothing
  has shown room since: the next write that commits clears it, and so does `check`, which
  writes a small probe file while the disk is full.
- `disk_low`: less than max(500 MB, twice the database) free on the data dir's disk.
- `database_damaged`: the background `PRAGMA quick_check` after start, or any query, found
  the file damaged. It stays until the file is replaced (`desk restore`).
- `backup_failed`: the last automatic backup failed, or was skipped for lack of space.
- `channel_down`: an active channel whose latest connection failed.

Every change is published to the agents as a `health.updated` event carrying the report.
Messages name paths (the data dir, the backup to restore) only for signed-in agents; the
public report says the same without them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

import desk as desk_package
from desk.errors import DeskError
from desk.models.health import Health, Problem
from desk.services import backup, channel_health
from desk.services.desk import Desk
from desk.services.disk import human_bytes, space_is_low
from desk.store import channels as channels_store
from desk.store import faults as faults_store

log = logging.getLogger("desk.health")

PROBE_BYTES = 1024 * 1024  # written while the disk is full: room for this much clears it
PROBE_NAME = ".space-probe"
CHECK_EVERY_SECONDS = 60  # the background job's period
EVENT = "health.updated"


class _Published:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last: Health | None = None


def install(desk: Desk) -> None:
    """Tell the agents at once whenever the database meets or leaves a fault."""
    desk.db.damage_advice = lambda: damage_advice(desk)

    def listener() -> None:
        refresh(desk)

    desk.db.faults.add_listener(listener)
    desk.health_listeners.append(listener)


def machine_fault(desk: Desk, exc: BaseException) -> DeskError | None:
    """The 507 / 503 error for an exception the machine caused, else None (a bug: 500)."""
    return desk.db.machine_fault(exc)


def damage_advice(desk: Desk, detailed: bool = True) -> str:
    """What a damaged database means for the agent and how to get back: the newest backup
    (every backup was verified before it got its name) and the command that restores it."""
    text = "Desk's database file is damaged: some conversations cannot be read or saved."
    newest = backup.list_backups(desk.settings.data_dir)[-1:]
    if not detailed:
        return text + " An admin must restore the newest backup."
    if not newest:
        return text + " There is no backup to restore; run desk doctor on this computer."
    return f"{text} Stop Desk, run desk restore {newest[0]}, then start Desk again."


def report(desk: Desk, detailed: bool = True, version: int | None = None) -> Health:
    """Desk's health now. `detailed`: the messages may name paths and channels (agents).
    `version`: `desk.data_version()` if this thread has read it for this request already."""
    data_dir = desk.settings.data_dir
    where = f" ({data_dir})" if detailed else ""
    problems: list[Problem] = []
    faults = desk.db.faults
    if faults.disk_full:
        problems.append(
            Problem(
                "disk_full",
                f"The disk holding Desk's data{where} is full: new messages and changes are "
                "not saved. Free some space on it; Desk carries on by itself.",
            )
        )
    else:
        low, free = space_is_low(data_dir)
        if low:
            problems.append(
                Problem(
                    "disk_low",
                    f"Only {human_bytes(free)} free on the disk holding Desk's data{where}. "
                    "Free some space before it fills up.",
                )
            )
    if faults.damage is not None:
        problems.append(Problem("database_damaged", damage_advice(desk, detailed)))
    failed_backup = backup.last_problem(desk)
    if failed_backup is not None:
        problems.append(
            Problem("backup_failed", failed_backup if detailed else "The last backup failed.")
        )
    problems.extend(_channels_down(desk, detailed, version))
    return Health(
        status="degraded" if problems else "ok",
        version=desk_package.__version__,
        problems=problems,
    )


class _ChannelsSeen(threading.local):
    """This thread's last reading of the channels' problems, by `detailed`, kept while its
    reader's `data_version` stays the same (the channels and their health are rows: any
    change is a commit)."""

    version = -1
    problems: dict[bool, list[Problem]]


def _channels_down(desk: Desk, detailed: bool, version: int | None) -> list[Problem]:
    if desk.db.faults.damage is not None:
        return []  # the channels table may be what is damaged
    seen = desk.shared("health.channels", _ChannelsSeen)
    try:
        if version is None:  # read first: what is read after is at least as new
            version = desk.data_version()
        if seen.version != version:
            seen.version, seen.problems = version, {}
        if detailed not in seen.problems:
            seen.problems[detailed] = _read_channels_down(desk, detailed)
    except DeskError:
        return []
    return list(seen.problems[detailed])


def _read_channels_down(desk: Desk, detailed: bool) -> list[Problem]:
    with desk.db.read() as conn:
        refs = [ref for ref in channels_store.list_channel_refs(conn) if ref.active]
    healths = channel_health.health_of(desk, [(ref.id, ref.type) for ref in refs])
    problems = []
    for ref in refs:
        health = healths[ref.id]
        if health.ok or health.last_error is None:
            continue  # working, or never tried yet
        text = (
            f"The {ref.type.replace('_', ' ')} channel “{ref.name}” cannot connect: "
            f"{health.last_error}. An admin can check it in Settings → Channels."
            if detailed
            else "A channel cannot connect."
        )
        problems.append(Problem("channel_down", text))
    return problems


def refresh(desk: Desk) -> Health:
    """Recompute the report; publish it to the agents when it changed."""
    state = desk.shared("health.published", _Published)
    current = report(desk)
    with state.lock:
        changed = state.last != current
        state.last = current
    if changed:
        desk.events.publish(EVENT, current, private=True)
    return current


def probe_room(data_dir: Path) -> bool:
    """Whether the disk takes PROBE_BYTES more: written, synced and removed again."""
    path = data_dir / PROBE_NAME
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            written = os.write(fd, b"\0" * PROBE_BYTES)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        if faults_store.classify(exc) != "disk_full":
            log.warning("space probe failed: %s", exc)
        return False
    finally:
        path.unlink(missing_ok=True)
    return written == PROBE_BYTES


def check(desk: Desk) -> None:
    """The periodic job: after a full disk, look for room again; then tell what changed
    (free space, channels, backups)."""
    if desk.db.faults.disk_full and probe_room(desk.settings.data_dir):
        desk.db.faults.disk_has_room()  # its listener refreshes
    refresh(desk)


def check_database(desk: Desk) -> None:
    """The background `PRAGMA quick_check` (started with the server, never in its way: a
    million conversations are a 5 GB file, a minute of reading, done at the lowest priority)."""
    result = _at_lowest_priority(lambda: faults_store.quick_check(desk.settings.db_path))
    if result != "ok":
        log.error("the database is damaged: %s", result)
        desk.db.faults.record("database_damaged", result)


def _at_lowest_priority(work: Callable[[], str]) -> str:
    """`work()` in a thread of its own at nice 19 (on Linux a thread has its own nice value; a
    pool thread is not lowered, as requests run on it later), so it takes no core from requests."""
    done: list[str] = []
    failed: list[BaseException] = []

    def run() -> None:
        with contextlib.suppress(OSError, AttributeError):  # elsewhere: normal priority
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
        try:
            done.append(work())
        except BaseException as error:  # handed to the caller, as if called directly
            failed.append(error)

    thread = threading.Thread(target=run, name="desk-quick-check", daemon=True)
    thread.start()
    thread.join()
    if failed:
        raise failed[0]
    return done[0]
