"""The command line, run as a user would: real processes, real sockets."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest

import desk
from tests.servers import run_desk, start_desk

pytestmark = pytest.mark.slow  # runs the desk command as a process


def create_admin(
    data_dir: Path, stdin: str, email: str = "root@example.com", name: str = "Root"
) -> subprocess.CompletedProcess[str]:
    return run_desk(
        "create-admin",
        "--email",
        email,
        "--name",
        name,
        "--password-stdin",
        "--data-dir",
        str(data_dir),
        stdin=stdin,
    )


def test_version() -> None:
    result = run_desk("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"desk {desk.__version__}"


def test_serve_answers_health_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    running = start_desk(tmp_path)
    try:
        assert running.url.startswith("http://127.0.0.1:")
        health = httpx.get(running.url + "/api/health").json()
        assert health == {"status": "ok", "version": desk.__version__, "problems": []}
        assert running.setup_token  # printed while no agent exists
    finally:
        code = running.stop()
    assert code in (0, -15)
    # A clean stop checkpoints the WAL into desk.db and leaves no journal behind.
    assert not (tmp_path / "desk.db-wal").exists() or (tmp_path / "desk.db-wal").stat().st_size == 0


def test_setup_over_the_lan_needs_the_printed_token(tmp_path: Path) -> None:
    running = start_desk(tmp_path)
    try:
        body = {
            "workspace_name": "Acme",
            "name": "Ada",
            "email": "ada@example.com",
            "password": "long enough",
        }
        with running.client() as c:
            # 127.0.0.1 is loopback: setup works without the token.
            assert c.post("/api/setup", json=body).status_code == 201
            assert c.get("/api/auth/me").json()["agent"]["email"] == "ada@example.com"
    finally:
        running.stop()
    again = start_desk(tmp_path)
    try:
        assert again.setup_token is None  # an agent exists now: no token is printed
    finally:
        again.stop()


def test_create_admin_then_login(tmp_path: Path) -> None:
    result = create_admin(tmp_path, "s3cret-pass\n")
    assert result.returncode == 0, result.stderr
    assert "Created admin Root" in result.stdout
    running = start_desk(tmp_path)
    try:
        with running.client() as c:
            response = c.post(
                "/api/auth/login", json={"email": "root@example.com", "password": "s3cret-pass"}
            )
            assert response.status_code == 200
            assert response.json()["agent"]["role"] == "admin"
    finally:
        running.stop()


def test_create_admin_is_the_way_back_in(tmp_path: Path) -> None:
    create_admin(tmp_path, "first-pass\n")
    reset = create_admin(tmp_path, "second-pass\n", email="ROOT@example.com", name="Root")
    assert reset.returncode == 0 and "Reset the password" in reset.stdout
    running = start_desk(tmp_path)
    try:
        with running.client() as c:
            old = c.post(
                "/api/auth/login", json={"email": "root@example.com", "password": "first-pass"}
            )
            assert old.status_code == 401
            new = c.post(
                "/api/auth/login", json={"email": "root@example.com", "password": "second-pass"}
            )
            assert new.status_code == 200
    finally:
        running.stop()


def test_create_admin_rejects_a_short_password(tmp_path: Path) -> None:
    result = create_admin(tmp_path, "short\n")
    assert result.returncode == 2 and "at least 8" in result.stderr


def test_data_dir_from_environment(tmp_path: Path) -> None:
    result = run_desk(
        "create-admin",
        "--email",
        "e@example.com",
        "--name",
        "E",
        "--password-stdin",
        stdin="long enough\n",
        env={"DESK_DATA_DIR": str(tmp_path / "envdir")},
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "envdir" / "desk.db").is_file()


def test_newer_database_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    import sqlite3

    create_admin(tmp_path, "long enough\n", email="e@example.com", name="E")
    conn = sqlite3.connect(tmp_path / "desk.db")
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    result = run_desk("serve", "--port", "0", "--data-dir", str(tmp_path))
    assert result.returncode == 2
    assert "newer version of Desk" in result.stderr
