"""The database file: pragmas, migrations, refusal of a newer schema, one writer at a time."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
import sqlite_utils

from desk.store.db import Database, DatabaseError
from desk.store.migrations import MIGRATIONS, migrate


def test_database_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = Database(tmp_path / "desk.db")
    migrate(db)
    with db.read() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    db.close()


def test_migrations_set_user_version(tmp_path: Path) -> None:
    db = Database(tmp_path / "desk.db")
    assert migrate(db) == len(MIGRATIONS)
    assert db.user_version() == len(MIGRATIONS)
    db.close()


def test_a_database_from_migration_n_opens_under_n_plus_one(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    db = Database(path)
    migrate(db)
    with db.write() as conn:
        conn.execute(
            "INSERT INTO agents (name, email, email_key, role, password_hash, created_at)"
            " VALUES ('Ada', 'ada@example.com', 'ada@example.com', 'admin', 'h', 'now')"
        )
    db.close()

    def add_column(utils: sqlite_utils.Database) -> None:
        utils["agents"].add_column("signature", str)

    db = Database(path)
    assert migrate(db, [*MIGRATIONS, add_column]) == len(MIGRATIONS) + 1
    with db.read() as conn:
        row = conn.execute("SELECT name, signature FROM agents").fetchone()
    assert tuple(row) == ("Ada", None)
    db.close()


def test_a_newer_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    db = Database(path)
    migrate(db)
    with db.write() as conn:
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    db.close()
    before = path.read_bytes()
    db = Database(path)
    with pytest.raises(DatabaseError, match="newer version of Desk"):
        migrate(db)
    db.close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) + 5
    assert path.read_bytes() == before  # every byte, not just the size


def test_failed_migration_rolls_back(tmp_path: Path) -> None:
    db = Database(tmp_path / "desk.db")
    migrate(db)

    def broken(utils: sqlite_utils.Database) -> None:
        utils.execute("CREATE TABLE half_done (id INTEGER)")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        migrate(db, [*MIGRATIONS, broken])
    assert db.user_version() == len(MIGRATIONS)
    with db.read() as conn:
        assert (
            conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[
                0
            ]
            == 0
        )
    db.close()


def test_concurrent_writers_never_see_database_is_locked(tmp_path: Path) -> None:
    db = Database(tmp_path / "desk.db")
    migrate(db)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(50):
                with db.write() as conn:
                    conn.execute(
                        "INSERT INTO login_attempts (email_key, address, at) VALUES (?, ?, ?)",
                        (f"w{n}", "a", str(i)),
                    )
                with db.read() as conn:
                    conn.execute("SELECT count(*) FROM login_attempts").fetchone()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.read() as conn:
        assert conn.execute("SELECT count(*) FROM login_attempts").fetchone()[0] == 400
    db.close()
