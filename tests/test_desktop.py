"""`desk`: the window on a virtual display, and the browser fallback without one.

Each window runs in its own `desk` process (a second webview.start() in one process crashes
Qt). The display is a real X server (Xvfb) started by the test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from desk.config import Settings
from desk.instance import find_running, is_locked
from desk.services import setup
from desk.services.desk import Desk
from tests.conftest import CHEAP
from tests.servers import TEST_ENV

pytestmark = pytest.mark.slow  # opens real windows under Xvfb

WINDOW_LINE = re.compile(
    r"^Window loaded (?P<url>\S+) title='(?P<title>[^']*)' page_title=.* "
    r"size=(?P<size>\d+x\d+) health=(?P<health>.*)$",
    re.MULTILINE,
)
NO_DISPLAY = {"DISPLAY": "", "WAYLAND_DISPLAY": "", "QT_QPA_PLATFORM": ""}
ROOT = Path(__file__).resolve().parent.parent


def _missing(reason: str) -> None:
    # CI installs everything the window needs: there a missing piece fails, never skips.
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    """A virtual X display for this module's windows."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        _missing("Xvfb is not installed (apt-get install xvfb)")
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_end), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as numbers:
        number = numbers.readline().strip()
    try:
        assert number, "Xvfb did not report a display number"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture
def window_env(display: str) -> dict[str, str]:
    env = {**os.environ, **TEST_ENV, "DISPLAY": display, "WAYLAND_DISPLAY": ""}
    env.pop("QT_QPA_PLATFORM", None)
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "from desk.window_toolkit import window_unavailable as w; print(w())",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    if probe.stdout.strip() != "None":
        _missing(f"no window possible here: {probe.stdout.strip()} {probe.stderr[-300:]}")
    return env


def _set_up(data_dir: Path, name: str) -> None:
    desk_ = Desk(Settings(data_dir=data_dir, password_cost=CHEAP, background_tasks=False))
    try:
        setup.run_setup(
            desk_,
            workspace_name=name,
            name="Ada",
            email="ada@example.com",
            password="long enough",
            trusted=True,
            setup_token=None,
        )
    finally:
        desk_.close()


def test_window_opens_the_ui_remembers_its_size_and_closes_cleanly(
    tmp_path: Path, window_env: dict[str, str]
) -> None:
    _set_up(tmp_path, "Acme")
    (tmp_path / "window.json").write_text(json.dumps({"width": 1100, "height": 760}))
    result = subprocess.run(
        [sys.executable, "-m", "desk", "--data-dir", str(tmp_path), "--close-after-load"],
        capture_output=True,
        text=True,
        env=window_env,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    shown = WINDOW_LINE.search(result.stdout)
    assert shown, result.stdout + result.stderr[-3000:]
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", shown["url"])
    assert shown["title"] == "Desk — Acme"
    assert shown["size"] == "1100x760"  # the remembered size, not the default
    assert shown["health"].startswith('200 {"status":"ok"')  # the page reached the API
    assert "Desk stopped." in result.stdout
    # Closing the window stopped the server: WAL folded into desk.db, the data dir released.
    wal = tmp_path / "desk.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    assert not is_locked(tmp_path)
    assert json.loads((tmp_path / "window.json").read_text())["width"] == 1100


SYSTEM_PYTHON = "/usr/bin/python3"
GTK_PROBE = "import gi; gi.require_version('Gtk', '3.0'); gi.require_version('WebKit2', '4.1')"


@pytest.fixture(scope="module")
def gtk_python(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A venv of the system Python that sees Debian's `gi` (WebKitGTK), with Desk in it."""
    probe = subprocess.run([SYSTEM_PYTHON, "-c", GTK_PROBE], capture_output=True, timeout=60)
    if probe.returncode != 0:
        _missing("no system WebKitGTK (apt-get install python3-gi gir1.2-webkit2-4.1)")
    venv = tmp_path_factory.mktemp("gtk") / "venv"
    subprocess.run(
        [SYSTEM_PYTHON, "-m", "venv", "--system-site-packages", str(venv)],
        check=True,
        timeout=120,
    )
    install = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "-e", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    return str(venv / "bin" / "python")


def test_window_with_the_system_webkitgtk(tmp_path: Path, display: str, gtk_python: str) -> None:
    env = {**os.environ, **TEST_ENV, "DISPLAY": display, "WAYLAND_DISPLAY": ""}
    env.pop("PYWEBVIEW_GUI", None)
    doctor = subprocess.run(
        [gtk_python, "-m", "desk", "doctor", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert "Window:      WebKitGTK" in doctor.stdout, doctor.stdout
    result = subprocess.run(
        [gtk_python, "-m", "desk", "--data-dir", str(tmp_path), "--close-after-load"],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    shown = WINDOW_LINE.search(result.stdout)
    assert shown and shown["health"].startswith('200 {"status":"ok"'), result.stdout
    assert "Desk stopped." in result.stdout and not is_locked(tmp_path)


def _wait_for_window(data_dir: Path, process: subprocess.Popen[str]) -> str:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        running = find_running(data_dir, wait_seconds=0)
        if running is not None and running.mode == "window":
            return running.url
        assert process.poll() is None, "the window process exited"
        time.sleep(0.1)
    raise AssertionError("the window never came up")


def _window_named(name: str, display: str, exact: bool = False) -> bool:
    """Poll the X server's window list (xwininfo) until a window has this title."""
    xwininfo = shutil.which("xwininfo")
    if xwininfo is None:
        _missing("xwininfo is not installed (apt-get install x11-utils)")
    wanted = f'"{name}"' if exact else name
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        tree = subprocess.run(
            [str(xwininfo), "-root", "-tree"],
            capture_output=True,
            text=True,
            env={**os.environ, "DISPLAY": display},
            timeout=10,
        ).stdout
        if wanted in tree:
            return True
        time.sleep(0.2)
    return False


def test_second_desk_brings_the_window_forward_and_sigterm_closes_it_cleanly(
    tmp_path: Path, display: str, window_env: dict[str, str]
) -> None:
    first = subprocess.Popen(
        [sys.executable, "-m", "desk", "--data-dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=window_env,
    )
    try:
        url = _wait_for_window(tmp_path, first)
        assert _window_named("Desk", display, exact=True)  # no workspace yet
        body = {"workspace_name": "Acme", "name": "Ada", "email": "ada@example.com"}
        assert httpx.post(url + "api/setup", json={**body, "password": "long enough"}).is_success
        assert _window_named("Acme", display)  # the title follows the workspace
        second = subprocess.run(
            [sys.executable, "-m", "desk", "--data-dir", str(tmp_path)],
            capture_output=True,
            text=True,
            env=window_env,
            timeout=60,
        )
        assert second.returncode == 0, second.stderr
        assert f"Desk is already running for {tmp_path}: {url}" in second.stdout
        assert httpx.get(url + "api/health").status_code == 200
    finally:
        first.terminate()  # SIGTERM (a logout, `kill`) closes the window and stops cleanly
        output = first.communicate(timeout=60)[0]
    assert "bringing this window forward" in output
    assert first.returncode == 0 and "Desk stopped." in output
    wal = tmp_path / "desk.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0


def _start_without_window(data_dir: Path, *args: str) -> tuple[subprocess.Popen[str], list[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "desk", "--data-dir", str(data_dir), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **TEST_ENV, **NO_DISPLAY},
    )
    assert process.stdout is not None
    lines: list[str] = []
    for line in process.stdout:
        lines.append(line)
        if line.startswith("Open "):
            return process, lines
    raise AssertionError("desk exited before serving:\n" + "".join(lines))


@pytest.mark.parametrize(
    ("args", "says_why"), [((), True), (("--no-window",), False)], ids=["no-display", "forced"]
)
def test_without_a_display_desk_says_so_and_serves(
    tmp_path: Path, args: tuple[str, ...], says_why: bool
) -> None:
    process, lines = _start_without_window(tmp_path, *args)
    try:
        why = "No window: no display (DISPLAY and WAYLAND_DISPLAY are unset). Serving in the "
        assert (lines[0].startswith(why)) is says_why, lines
        url = lines[-1].removeprefix("Open ").strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", url)
        assert httpx.get(url + "api/health", timeout=10).json()["status"] == "ok"
    finally:
        process.terminate()
        process.wait(30)
