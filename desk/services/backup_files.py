"""The attachment files of a backup: a backup is the database AND the files it names.

Beside `desk-<time>.db` lies `desk-<time>.files/`, the attachment store's layout holding
exactly the files the backed-up database names (attachments and kept emails).

Consistency without stopping Desk: files are immutable and named by their content, and a
file is only removed once no row names it. So the files present *before* the database
snapshot are a superset of what the snapshot names, less what an erasure removed in
between; they are linked (or copied) first, the snapshot taken, then files created since are
taken too, and what the snapshot does not name is dropped. Links cost no space and no time
when the backup folder is on the same disk.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from desk.store.files import FileStore, named_files


@dataclass(frozen=True)
class FilesReport:
    named: int
    present: int
    missing: list[str]
    bytes: int


def files_dir(backup: Path) -> Path:
    return backup.with_name(backup.stem + ".files")


def take_all(data_dir: Path, backup: Path) -> None:
    """Before the snapshot: every file in the store, into the backup's folder."""
    store = FileStore(data_dir)
    target = FileStore(_root_parent(backup))
    for sha256 in store.stored():
        _link_or_copy(store.path_of(sha256), target.path_of(sha256))


def complete(data_dir: Path, backup: Path) -> FilesReport:
    """After the snapshot: the files it names that came since, and nothing it does not name."""
    named = set(_named(backup))
    store = FileStore(data_dir)
    target = FileStore(_root_parent(backup))
    present = set(target.stored())
    for sha256 in named - present:
        source = store.path_of(sha256)
        if source.is_file():
            _link_or_copy(source, target.path_of(sha256))
    for sha256 in present - named:
        target.path_of(sha256).unlink(missing_ok=True)
    return inspect(backup)


def inspect(backup: Path) -> FilesReport:
    """What the backup's database names and what its folder holds."""
    named = _named(backup)
    target = FileStore(_root_parent(backup))
    missing = [sha256 for sha256 in named if not target.exists(sha256)]
    size = sum(target.path_of(s).stat().st_size for s in named if s not in set(missing))
    return FilesReport(
        named=len(named), present=len(named) - len(missing), missing=missing, bytes=size
    )


def restore_files(backup: Path, data_dir: Path) -> FilesReport:
    """Put the backup's files into the data dir's store (those not there already)."""
    source = FileStore(_root_parent(backup))
    store = FileStore(data_dir)
    named = _named(backup)
    missing = []
    for sha256 in named:
        if store.exists(sha256):
            continue
        if not source.exists(sha256):
            missing.append(sha256)
            continue
        _link_or_copy(source.path_of(sha256), store.path_of(sha256))
    return FilesReport(
        named=len(named), present=len(named) - len(missing), missing=missing, bytes=0
    )


def data_dir_report(data_dir: Path, database: Path) -> FilesReport:
    """The live store against the database (for `desk doctor`)."""
    named = _named(database)
    store = FileStore(data_dir)
    missing = [s for s in named if not store.exists(s)]
    size = sum(store.path_of(s).stat().st_size for s in named if s not in set(missing))
    return FilesReport(
        named=len(named), present=len(named) - len(missing), missing=missing, bytes=size
    )


def remove(backup: Path) -> None:
    shutil.rmtree(files_dir(backup), ignore_errors=True)


def _root_parent(backup: Path) -> Path:
    """FileStore wants the folder that holds `attachments/`: the .files folder plays it."""
    return files_dir(backup)


def _named(database: Path) -> list[str]:
    conn = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if not {"attachments", "emails"} <= tables:
            return []  # a backup from before attachments existed
        return named_files(conn)
    finally:
        conn.close()


def _link_or_copy(source: Path, target: Path) -> None:
    if target.exists():
        return
    for folder in (target.parent.parent.parent, target.parent.parent, target.parent):
        folder.mkdir(mode=0o700, exist_ok=True)
    try:
        os.link(source, target)
    except FileNotFoundError:
        return  # removed by an erasure meanwhile: `complete` decides whether it mattered
    except OSError:  # another file system (or one without hard links): copy
        # Under a temporary name first: a copy cut short (Desk killed, a full disk) never
        # stands under the file's final name.
        partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
        try:
            shutil.copyfile(source, partial)
            os.chmod(partial, 0o600)
            os.replace(partial, target)
        except FileNotFoundError:
            partial.unlink(missing_ok=True)
            return
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
