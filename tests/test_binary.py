"""The single executable, driven as a user would: build dist/desk once, start it, use it.

The build (PyInstaller, ~30 s) happens once per session and only when dist/desk is older
than the sources; otherwise the existing dist/desk is reused.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import desk
from tests.servers import TEST_ENV, start_desk

pytestmark = pytest.mark.slow  # builds and starts the executable

ROOT = Path(__file__).resolve().parent.parent
EXECUTABLE = ROOT / "dist" / ("desk.exe" if sys.platform == "win32" else "desk")
WORKPATH = ["--workpath", str(ROOT / "build" / "pyinstaller"), str(ROOT / "desk.spec")]
SOURCES = [ROOT / "desk", ROOT / "build", ROOT / "desk.spec", ROOT / "pyproject.toml"]


def _newest_source() -> float:
    newest = 0.0
    for source in SOURCES:
        files = [source] if source.is_file() else source.rglob("*")
        for path in files:
            if (
                path.is_file()
                and "__pycache__" not in path.parts
                and "pyinstaller" not in str(path)
            ):
                newest = max(newest, path.stat().st_mtime)
    return newest


@pytest.fixture(scope="session")
def executable() -> Path:
    if EXECUTABLE.exists() and EXECUTABLE.stat().st_mtime > _newest_source():
        return EXECUTABLE
    build = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", *WORKPATH],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert build.returncode == 0, build.stderr[-5000:]
    return EXECUTABLE


def run_binary(executable: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(executable), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **TEST_ENV, "DISPLAY": "", "WAYLAND_DISPLAY": ""},
    )


def test_executable_serves_sets_up_signs_in_and_lists_conversations(
    executable: Path, tmp_path: Path
) -> None:
    assert executable.stat().st_size < 40_000_000
    login = {"email": "ada@example.com", "password": "long enough"}
    running = start_desk(tmp_path, command=[str(executable)])
    try:
        with running.client() as c:
            assert c.get("/api/health").json() == {"status": "ok", "version": desk.__version__}
            setup = {"workspace_name": "Acme", "name": "Ada", **login}
            assert c.post("/api/setup", json=setup).status_code == 201
            c.cookies.clear()
            assert c.post("/api/auth/login", json=login).status_code == 200
            assert c.get("/api/conversations").json()["items"] == []
            assert c.get("/api/schema/openapi.json").status_code == 200
    finally:
        code = running.stop()
    assert code in (0, -15, 143)
    wal = tmp_path / "desk.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0  # stopped cleanly
    demo = run_binary(executable, "demo", "--conversations", "12", "--data-dir", str(tmp_path))
    assert demo.returncode == 0, demo.stderr
    again = start_desk(tmp_path, command=[str(executable)])
    try:
        with again.client() as c:
            assert c.post("/api/auth/login", json=login).status_code == 200
            listed = c.get("/api/conversations", params={"status": "all"}).json()
            assert listed["total"] == 12, listed["total"]
    finally:
        again.stop()


def test_executable_runs_the_operating_commands(executable: Path, tmp_path: Path) -> None:
    assert run_binary(executable, "--version").stdout.strip() == f"desk {desk.__version__}"
    stdin_dir = ["--password-stdin", "--data-dir", str(tmp_path)]
    admin = subprocess.run(
        [str(executable), "create-admin", "--email", "a@example.com", "--name", "A", *stdin_dir],
        input="long enough\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert admin.returncode == 0, admin.stderr
    backup = run_binary(
        executable, "backup", str(tmp_path / "copy.db"), "--data-dir", str(tmp_path)
    )
    assert backup.returncode == 0 and "integrity ok" in backup.stdout, backup.stderr
    restore = run_binary(
        executable, "restore", str(tmp_path / "copy.db"), "--data-dir", str(tmp_path)
    )
    assert restore.returncode == 0, restore.stderr
    doctor = run_binary(executable, "doctor", "--data-dir", str(tmp_path))
    assert doctor.returncode == 0, doctor.stdout
    assert "Integrity:" in doctor.stdout and "ok" in doctor.stdout
