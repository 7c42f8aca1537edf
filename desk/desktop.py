"""`desk`: the pywebview window around a local server, or the browser where no window can open.

pywebview's own server speaks WSGI only, so Litestar runs under uvicorn in a thread on
127.0.0.1 and a free port; the window opens once /api/health answers. Closing the window
stops the server, whose lifespan closes the database (WAL checkpoint).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sys
import threading
import webbrowser
from pathlib import Path
from typing import Any, Literal

from desk.config import Settings
from desk.desktop_entry import DESKTOP_ID, icon_path
from desk.errors import DeskError
from desk.instance import InstanceLock, RunningInstance, find_running
from desk.server import Bound, bind, print_banner, report_running, serve_forever, wait_healthy
from desk.window_toolkit import _has_display, linux_backend, window_unavailable

GEOMETRY_FILENAME = "window.json"
DEFAULT_SIZE = (1280, 800)
MIN_SIZE = (1024, 700)
FOCUS_MESSAGE = b"focus\n"


def run(settings: Settings, *, no_window: bool = False, close_after_load: bool = False) -> int:
    """The double-click entry point."""
    if find_running(settings.data_dir) is not None:
        return _hand_over(settings.data_dir)
    reason = window_unavailable()
    if no_window or reason:
        if reason and not no_window:
            print(f"No window: {reason}. Serving in the browser instead.", flush=True)
        opener = None if no_window or not _has_display() else _open_browser
        return serve_forever(settings, on_ready=opener)
    return _run_window(settings, close_after_load)


def _open_browser(url: str) -> None:
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return  # no browser here: the URL is printed
    # A console browser (lynx, w3m) would take over this terminal and block until it quits.
    if type(browser) is not webbrowser.GenericBrowser:
        browser.open(url)


def _hand_over(data_dir: Path) -> int:
    """A Desk already runs on this data dir: bring its window to the front, or print its URL."""
    found = find_running(data_dir)
    if found is not None and found.focus_port:
        try:
            with socket.create_connection(("127.0.0.1", found.focus_port), timeout=2) as conn:
                conn.sendall(FOCUS_MESSAGE)
        except OSError:
            pass
    return report_running(data_dir)


# -- the window ------------------------------------------------------------------------------


class Geometry:
    """The window's size and position, remembered in the data dir between runs."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.width, self.height = DEFAULT_SIZE
        self.x: int | None = None
        self.y: int | None = None
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
            self.width = max(int(saved["width"]), MIN_SIZE[0])
            self.height = max(int(saved["height"]), MIN_SIZE[1])
            self.x, self.y = saved.get("x"), saved.get("y")
        except (OSError, ValueError, KeyError, TypeError):
            pass

    def resized(self, width: int, height: int) -> None:
        self.width, self.height = int(width), int(height)

    def moved(self, x: int, y: int) -> None:
        self.x, self.y = int(x), int(y)

    def save(self) -> None:
        data = {"width": self.width, "height": self.height, "x": self.x, "y": self.y}
        with contextlib.suppress(OSError):  # not worth failing a clean exit over
            self.path.write_text(json.dumps(data), encoding="utf-8")


def window_title(bound: Bound) -> str:
    from desk.services import setup, workspace

    try:
        desk_ = bound.app.state.desk
        if setup.needs_setup(desk_):
            return "Desk"
        return f"Desk — {workspace.get_workspace(desk_).name}"
    except Exception:  # not set up yet, or the database is closing
        return "Desk"


def _serve_focus_requests(window: Any) -> int:
    """A loopback socket on which a second `desk` asks this window to come to the front."""
    listener = socket.create_server(("127.0.0.1", 0))

    def loop() -> None:
        while True:
            conn, _ = listener.accept()
            with conn:
                if conn.recv(16) == FOCUS_MESSAGE:
                    print("Another `desk` was started: bringing this window forward.", flush=True)
                    window.restore()
                    window.show()
                    window.on_top = True
                    window.on_top = False

    threading.Thread(target=loop, name="desk-focus", daemon=True).start()
    return int(listener.getsockname()[1])


def _prepare_backend() -> Literal["gtk", "qt"] | None:
    if sys.platform in ("win32", "darwin"):
        return None
    backend = linux_backend()
    if backend == "qt" and hasattr(os, "geteuid") and os.geteuid() == 0:
        # QtWebEngine's Chromium sandbox refuses to run as root.
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    if backend == "gtk":
        from desk import gtk_window

        gtk_window.prepare(DESKTOP_ID)
    return backend


class Stopper:
    """Ctrl+C and SIGTERM (a logout, `kill`) close the window, so Desk stops cleanly. The GUI
    loop never hands control back to Python to run a signal handler, so the signals are
    blocked in every thread and one thread of ours waits for them."""

    def __init__(self) -> None:
        self.window: Any = None
        self.server: Any = None
        if not hasattr(signal, "pthread_sigmask"):  # Windows: the console closes the window
            return
        caught = {signal.SIGINT, signal.SIGTERM}
        signal.pthread_sigmask(signal.SIG_BLOCK, caught)  # threads started later inherit it
        threading.Thread(
            target=self._wait, args=(caught,), name="desk-signals", daemon=True
        ).start()

    def _wait(self, caught: set[signal.Signals]) -> None:
        signal.sigwait(caught)
        if self.server is not None:
            self.server.should_exit = True
        if self.window is not None:
            with contextlib.suppress(Exception):
                self.window.destroy()


def _run_window(settings: Settings, close_after_load: bool) -> int:
    lock = InstanceLock(settings.data_dir)
    if not lock.acquire():
        return _hand_over(settings.data_dir)
    stopper = Stopper()
    with lock:
        bound = bind(settings)
        stopper.server = bound.server
        thread = threading.Thread(
            target=bound.server.run, kwargs={"sockets": [bound.sock]}, name="desk-server"
        )
        thread.start()
        try:
            if not wait_healthy(bound.url):
                raise DeskError("The local server did not start; see the messages above.")
            print_banner(bound, settings, None)
            try:
                _show_window(bound, settings, lock, stopper, close_after_load)
            except Exception as exc:  # the toolkit failed after all: keep serving
                print(
                    f"The window could not open ({exc}). Serving at {bound.url} instead; "
                    "Ctrl+C stops.",
                    flush=True,
                )
                lock.publish(RunningInstance(pid=os.getpid(), url=bound.url, mode="serve"))
                _open_browser(bound.url)
                thread.join()
        finally:
            bound.server.should_exit = True
            thread.join()
    print("Desk stopped.", flush=True)
    return 0


def _show_window(
    bound: Bound, settings: Settings, lock: InstanceLock, stopper: Stopper, close_after_load: bool
) -> None:
    import webview

    gui = _prepare_backend()
    # Download links (exports, attachments, an email's original) ask where to save, as in a
    # browser; pywebview ignores them otherwise.
    webview.settings["ALLOW_DOWNLOADS"] = True
    geometry = Geometry(settings.data_dir / GEOMETRY_FILENAME)
    window = webview.create_window(
        window_title(bound),
        bound.url,
        width=geometry.width,
        height=geometry.height,
        x=geometry.x,
        y=geometry.y,
        min_size=MIN_SIZE,
    )
    assert window is not None
    stopper.window = window
    window.events.resized += geometry.resized
    window.events.moved += geometry.moved
    window.events.shown += lambda: _keep_title_current(window, bound)
    if gui == "gtk":
        from desk import gtk_window

        window.events.before_show += lambda: gtk_window.close_when_destroyed_from_outside(window)
    if close_after_load:
        window.events.loaded += lambda: _report_and_close(window)
    focus_port = _serve_focus_requests(window)
    lock.publish(
        RunningInstance(pid=os.getpid(), url=bound.url, mode="window", focus_port=focus_port)
    )
    webview.start(
        gui=gui,
        private_mode=False,  # keep the session cookie: no sign-in at every start
        storage_path=str(settings.data_dir / "webview"),
        icon=str(icon_path()),
    )
    geometry.save()


TITLE_CHECK_SECONDS = 2.0


def _keep_title_current(window: Any, bound: Bound) -> None:
    """The title names the workspace, which first-run setup creates and admins rename."""
    shown = window.title
    closed = window.events.closed
    while not closed.is_set():
        title = window_title(bound)
        if title != shown:
            with contextlib.suppress(Exception):  # the window may be closing
                window.set_title(title)
            shown = title
        closed.wait(TITLE_CHECK_SECONDS)


# Synchronous on purpose: run_js returns the value, and proves the page can reach the API.
# run_js, not evaluate_js: pywebview wraps the latter in eval(), which the UI's
# Content-Security-Policy refuses (no 'unsafe-eval').
CHECK_SCRIPT = """(function () {
  var request = new XMLHttpRequest();
  request.open('GET', '/api/health', false);
  request.send();
  return request.status + ' ' + request.responseText;
})()"""


def _report_and_close(window: Any) -> None:
    """`desk --close-after-load` (a packaging and CI check): print what the window showed."""
    location = window.run_js("window.location.href")
    page_title = window.run_js("document.title")
    health = window.run_js(CHECK_SCRIPT)
    print(
        f"Window loaded {location} title={window.title!r} page_title={page_title!r} "
        f"size={window.width}x{window.height} health={health}",
        flush=True,
    )
    window.destroy()
