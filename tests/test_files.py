"""The attachment store: one file per content, private modes, nothing removed that a row
still names."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from desk.store import attachments as attachments_store
from desk.store.db import Database
from desk.store.files import FileStore, named_files
from desk.store.migrations import migrate


def open_db(tmp_path: Path) -> Database:
    db = Database(tmp_path / "desk.db")
    migrate(db)
    return db


def add_row(db: Database, sha256: str) -> int:
    with db.write() as conn:
        return attachments_store.insert_attachment(
            conn, message_id=None, uploader_id=None, filename="a.txt",
            content_type="text/plain", size=1, sha256=sha256, now="2026-12-01T00:00:00Z",
        )  # fmt: skip


def test_same_content_is_one_private_file(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    first = store.place(store.stage(b"hello"))
    second = store.place(store.stage(b"hello"))
    assert first == second
    files = [p for p in (tmp_path / "attachments").rglob("*") if p.is_file()]
    assert files == [store.path_of(first)]
    assert stat.S_IMODE(os.stat(files[0]).st_mode) == 0o600
    for folder in (tmp_path / "attachments", files[0].parent):
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert store.read(first) == b"hello"
    assert list((tmp_path / "attachments" / "tmp").iterdir()) == []


def test_only_unnamed_files_are_removed(tmp_path: Path) -> None:
    db = open_db(tmp_path)
    store = FileStore(tmp_path)
    kept = store.place(store.stage(b"kept"))
    gone = store.place(store.stage(b"gone"))
    add_row(db, kept)
    with db.write() as conn:
        assert store.remove_unused(conn, [kept, gone]) == 1
        assert named_files(conn) == [kept]
    assert store.exists(kept) and not store.exists(gone)
    with db.write() as conn:
        assert store.sweep(conn) == 0
    db.close()


def test_path_of_refuses_anything_but_a_digest(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    for bad in ("../../etc/passwd", "A" * 64, "0" * 63):
        try:
            store.path_of(bad)
        except ValueError:
            continue
        raise AssertionError(bad)
