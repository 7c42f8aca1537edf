"""`desk`: the window on a virtual display, and the browser fallback without one.

Each window runs in its own `desk` process (a second webview.start() in one process crashes
Qt). The display is a real X server (Xvfb) started by the test.
"""

from __future__ import annotations

import importlib.util
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
from tests import xdisplay
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


_missing = xdisplay.missing


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    """A virtual X display for this module's windows."""
    with xdisplay.virtual_display() as number:
        yield number


@pytest.fixture
def window_env(display: str) -> dict[str, str]:
    """The Qt window (the venv has both toolkits; GTK is the default, tested below and in
    test_binary.py)."""
    env = {**os.environ, **TEST_ENV, "DISPLAY": display, "WAYLAND_DISPLAY": ""}
    env["PYWEBVIEW_GUI"] = "qt"
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


def test_window_with_the_system_webkitgtk(tmp_path: Path, display: str) -> None:
    """The default where both toolkits are present: GTK over the system's WebKitGTK, through
    the venv's PyGObject (the `gtk` extra)."""
    env = {**os.environ, **TEST_ENV, "DISPLAY": display, "WAYLAND_DISPLAY": ""}
    env.pop("PYWEBVIEW_GUI", None)
    if importlib.util.find_spec("gi") is None:
        _missing("PyGObject is not in this venv (`make install` builds it: see README)")
    gtk_python = sys.executable
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


@pytest.mark.parametrize(
    ("os_release", "package"),
    [
        ('ID=debian\nVERSION_ID="12"\n', "gir1.2-webkit2-4.1"),
        ("ID=linuxmint\nID_LIKE=ubuntu\n", "gir1.2-webkit2-4.1"),
        ("ID=fedora\nVERSION_ID=41\n", "webkit2gtk4.1"),
        ('ID="rocky"\nID_LIKE="rhel centos fedora"\n', "webkit2gtk4.1"),
        ("ID=endeavouros\nID_LIKE=arch\n", "webkit2gtk-4.1"),
        ('ID="opensuse-tumbleweed"\nID_LIKE="opensuse suse"\n', "typelib-1_0-WebKit2-4_1"),
        ("ID=nixos\n", "gir1.2-webkit2-4.1"),  # unknown: Debian's name
    ],
)
def test_the_missing_webkitgtk_line_names_this_distributions_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, os_release: str, package: str
) -> None:
    from desk import window_toolkit

    (tmp_path / "os-release").write_text(os_release)
    monkeypatch.setattr(window_toolkit, "OS_RELEASE", tmp_path / "os-release")
    assert window_toolkit.webkitgtk_package() == package
