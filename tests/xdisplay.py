"""A virtual X display (Xvfb) and what the window tests ask of it: windows by title, their
properties (xprop), screenshots, closing a window from outside (xdotool)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def missing(reason: str) -> None:
    # CI installs everything the window needs: there a missing piece fails, never skips.
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        missing(f"{name} is not installed (apt-get install {package})")
    assert found is not None
    return found


@contextmanager
def virtual_display() -> Iterator[str]:
    """A fresh Xvfb; yields its DISPLAY value (":N")."""
    xvfb = tool("Xvfb", "xvfb")
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


def _x(display: str, *command: str) -> str:
    return subprocess.run(
        list(command),
        capture_output=True,
        text=True,
        env={**os.environ, "DISPLAY": display},
        timeout=20,
    ).stdout


def visible_windows(display: str, title_regex: str) -> list[str]:
    """Ids of the mapped windows whose title matches."""
    xdotool = tool("xdotool", "xdotool")
    return _x(display, xdotool, "search", "--onlyvisible", "--name", title_regex).split()


def wait_for_window(
    display: str, title_regex: str, process: subprocess.Popen[str] | None = None
) -> str:
    """Poll until one mapped window has a matching title; its id."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        found = visible_windows(display, title_regex)
        if found:
            return found[0]
        assert process is None or process.poll() is None, "the window's process exited"
        time.sleep(0.1)
    raise AssertionError(f"no window titled {title_regex!r} within 120 s")


def window_property(display: str, window: str, name: str, fmt: str = "") -> str:
    xprop = tool("xprop", "x11-utils")
    args = ["-f", name, fmt] if fmt else []
    return _x(display, xprop, "-id", window, "-notype", *args, name).strip()


def close_window(display: str, window: str) -> None:
    """Destroy the window from another X client, as `xdotool windowclose` does."""
    xdotool = tool("xdotool", "xdotool")
    _x(display, xdotool, "windowclose", window)


SHOT_SCRIPT = """
import sys
import gi
gi.require_version("Gdk", "3.0")
gi.require_version("GdkX11", "3.0")
from gi.repository import Gdk, GdkX11
window = GdkX11.X11Window.foreign_new_for_display(
    GdkX11.X11Display.get_default(), int(sys.argv[1], 0)
)
pixbuf = Gdk.pixbuf_get_from_window(window, 0, 0, window.get_width(), window.get_height())
pixbuf.savev(sys.argv[2], "png", [], [])
pixels = pixbuf.get_pixels()
step = pixbuf.get_n_channels()
colours = {bytes(pixels[i : i + 3]) for i in range(0, len(pixels), step * 7)}
print(" ".join(c.hex() for c in colours))
"""


def screenshot(display: str, window: str, path: Path) -> set[str]:
    """Save the window's pixels as a PNG (GDK, in a child process); the colours (hex RGB) of
    a sample of its pixels."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shot = subprocess.run(
        [sys.executable, "-c", SHOT_SCRIPT, window, str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "DISPLAY": display},
        timeout=60,
    )
    assert shot.returncode == 0, shot.stderr[-2000:]
    return set(shot.stdout.split())
