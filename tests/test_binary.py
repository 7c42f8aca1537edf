"""The single executable, driven as a user would: build dist/desk once, start it, use it;
its window on a virtual display through the system's WebKitGTK, and what it does where the
system lacks WebKitGTK.

The build (PyInstaller, ~30 s) happens once per session and only when dist/desk is older
than the sources; otherwise the existing dist/desk is reused.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import struct
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

import desk
from desk.instance import find_running, is_locked
from tests import xdisplay
from tests.servers import TEST_ENV, URL_LINE, start_desk

pytestmark = pytest.mark.slow  # builds and starts the executable

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
ACCENT = "2563c9"  # the UI's primary button colour (desk/ui/css/base.css)
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
    if sys.platform.startswith("linux") and importlib.util.find_spec("gi") is None:
        xdisplay.missing(
            "PyGObject is not in this venv, and dist/desk bundles it for its window "
            "(`make install` builds it when the system has libgirepository1.0-dev)"
        )
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
            assert c.get("/api/health").json() == {
                "status": "ok",
                "version": desk.__version__,
                "problems": [],
            }
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


def _window_env(display: str) -> dict[str, str]:
    env = {**os.environ, **TEST_ENV, "DISPLAY": display, "WAYLAND_DISPLAY": ""}
    for name in ("PYWEBVIEW_GUI", "QT_QPA_PLATFORM", "GI_TYPELIB_PATH"):
        env.pop(name, None)
    return env


def _python_pid(bootloader: subprocess.Popen[str]) -> int:
    """The one-file bootloader runs the program as its child process."""
    children = Path(f"/proc/{bootloader.pid}/task/{bootloader.pid}/children").read_text()
    return int(children.split()[0])


def _mapped_libraries(pid: int) -> set[str]:
    lines = Path(f"/proc/{pid}/maps").read_text().splitlines()
    return {line.split()[-1] for line in lines if line.count("/") and ".so" in line}


def test_executable_opens_its_window_through_the_system_webkitgtk(
    executable: Path, tmp_path: Path
) -> None:
    with xdisplay.virtual_display() as display:
        env = _window_env(display)
        doctor = subprocess.run(
            [str(executable), "doctor", "--data-dir", str(tmp_path)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert "Window:      WebKitGTK (pywebview gtk)" in doctor.stdout, doctor.stdout
        process = subprocess.Popen(
            [str(executable), "--data-dir", str(tmp_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        try:
            window = xdisplay.wait_for_window(display, "^Desk$", process)  # no workspace yet
            # GTK, GLib and WebKitGTK come from the system; the bundle holds PyGObject's _gi.
            libraries = _mapped_libraries(_python_pid(process))
            system = {Path(lib).name.split(".so")[0]: lib for lib in libraries}
            for name in ("libwebkit2gtk-4.1", "libgtk-3", "libglib-2.0", "libgirepository-1.0"):
                assert system[name].startswith("/usr/lib/"), system.get(name)
            assert any(lib.endswith("/gi/_gi.cpython-311-x86_64-linux-gnu.so") for lib in libraries)
            assert "desk" in xdisplay.window_property(display, window, "WM_CLASS")
            icon = xdisplay.window_property(display, window, "_NET_WM_ICON", "32c")
            assert icon.startswith("_NET_WM_ICON = 256, 256"), icon[:80]
            shot = ARTIFACTS / "binary-window-setup.png"
            deadline = time.monotonic() + 60
            while ACCENT not in xdisplay.screenshot(display, window, shot):  # page painted
                assert time.monotonic() < deadline, f"the setup wizard never showed: {shot}"
                time.sleep(0.5)
            _set_up_through_the_api(tmp_path)
            xdisplay.wait_for_window(display, "^Desk — Acme$", process)  # title follows
            second = subprocess.run(
                [str(executable), "--data-dir", str(tmp_path)],
                capture_output=True,
                text=True,
                env=env,
                timeout=120,
            )
            assert second.returncode == 0, second.stderr
            assert f"Desk is already running for {tmp_path}" in second.stdout
            xdisplay.close_window(display, window)
            output, errors = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
    assert process.returncode == 0, output + errors[-3000:]
    assert "bringing this window forward" in output
    assert "Desk stopped." in output
    wal = tmp_path / "desk.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0  # checkpointed
    assert not is_locked(tmp_path)


def _set_up_through_the_api(data_dir: Path) -> None:
    running = find_running(data_dir)
    assert running is not None and running.mode == "window"
    body = {"workspace_name": "Acme", "name": "Ada", "email": "ada@example.com"}
    answer = httpx.post(running.url + "api/setup", json={**body, "password": "long enough"})
    assert answer.status_code == 201, answer.text


def _typelib_dir() -> Path:
    for candidate in sorted(Path("/usr/lib").glob("*/girepository-1.0")):
        if (candidate / "WebKit2-4.1.typelib").exists():
            return candidate
    xdisplay.missing("no WebKitGTK typelib (apt-get install gir1.2-webkit2-4.1)")
    raise AssertionError


def _without(hidden: Path, replacement: Path, command: list[str]) -> list[str]:
    """`command` in its own mount namespace where `replacement` stands in for `hidden`: a
    system without that piece of WebKitGTK, everything else as it is."""
    if shutil.which("unshare") is None:
        xdisplay.missing("unshare is not installed (util-linux)")
    script = 'mount --bind "$1" "$2" && shift 2 && exec "$@"'
    return [
        "unshare",
        "--mount",
        "--map-root-user",
        "sh",
        "-c",
        script,
        "sh",
        str(replacement),
        str(hidden),
        *command,
    ]


@pytest.mark.parametrize("missing_piece", ["webkit-typelib", "libgirepository"])
def test_without_webkitgtk_the_executable_says_which_package_and_serves(
    executable: Path, tmp_path: Path, missing_piece: str
) -> None:
    typelibs = _typelib_dir()
    if missing_piece == "webkit-typelib":  # GTK present, WebKitGTK not installed
        hidden, replacement = typelibs, tmp_path / "typelibs"
        replacement.mkdir()
        for typelib in typelibs.glob("*.typelib"):
            if not typelib.name.startswith(("WebKit2", "JavaScriptCore")):
                shutil.copy(typelib, replacement)
        reason = "WebKitGTK is not installed"
    else:  # not even GObject introspection: PyGObject's _gi cannot load
        hidden = typelibs.parent / "libgirepository-1.0.so.1"
        replacement = Path("/dev/null")
        reason = "GObject introspection is not installed"
    data_dir = tmp_path / "data"
    with xdisplay.virtual_display() as display:
        env = {**_window_env(display), "BROWSER": "true"}  # no browser opens in the test
        command = [str(executable), "--data-dir", str(data_dir)]
        process = subprocess.Popen(
            _without(hidden, replacement, command),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        try:
            assert process.stdout is not None
            first = process.stdout.readline()
            lines, url = [first], None
            for line in process.stdout:
                lines.append(line)
                found = URL_LINE.match(line.strip())
                if found:
                    url = found.group(1)
                    break
            assert url, lines
            assert httpx.get(url + "/api/health", timeout=10).json()["status"] == "ok", lines
            assert xdisplay.visible_windows(display, "^Desk") == []
        finally:
            process.terminate()
            process.wait(30)
    assert first.strip() == (
        f"No window: {reason} (install gir1.2-webkit2-4.1). Serving in the browser instead."
    ), lines


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE), path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_install_desktop_entry_writes_and_removes_the_menu_entry_and_icons(
    executable: Path, tmp_path: Path
) -> None:
    home = tmp_path / "xdg data"
    env = {**os.environ, "XDG_DATA_HOME": str(home)}
    data_dir = tmp_path / "my desk"
    install = subprocess.run(
        [str(executable), "install-desktop-entry", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert install.returncode == 0, install.stderr
    entry = home / "applications" / "desk.desktop"
    text = entry.read_text()
    assert f'Exec={executable} --data-dir "{data_dir}"\n' in text
    assert "Icon=desk\n" in text and "StartupWMClass=desk\n" in text
    if shutil.which("desktop-file-validate") is None:
        xdisplay.missing("desktop-file-validate is not installed (desktop-file-utils)")
    valid = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
    assert valid.returncode == 0 and not valid.stdout.strip(), valid.stdout
    icons = home / "icons" / "hicolor"
    for size in (16, 32, 48, 64, 128, 256):
        assert _png_size(icons / f"{size}x{size}" / "apps" / "desk.png") == (size, size)
    assert (icons / "scalable" / "apps" / "desk.svg").read_text().startswith("<svg")
    remove = subprocess.run(
        [str(executable), "install-desktop-entry", "--remove"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert remove.returncode == 0, remove.stderr
    assert remove.stdout.count("Removed ") == 8
    assert [p for p in home.rglob("*") if p.is_file()] == []
    again = subprocess.run(
        [str(executable), "install-desktop-entry", "--remove"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert again.returncode == 0 and "No desktop entry of Desk" in again.stdout
