"""Which window toolkit this machine has: the pywebview GUI backend `desk` would use, or why
no window can open. Read-only checks, shared by the window (desk/desktop.py) and `desk doctor`.
"""

from __future__ import annotations

import ctypes.util
import importlib.util
import os
import sys
from pathlib import Path
from typing import Literal

# System libraries Qt's xcb platform plugin loads and PyQt6's wheels do not ship (Debian:
# libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0).
QT_XCB_LIBRARIES = ("xcb-cursor", "xcb-icccm", "xcb-keysyms", "xkbcommon-x11")


def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


# The package that brings WebKitGTK's typelib (and with it GTK's and GObject
# introspection's), by /etc/os-release ID or ID_LIKE.
WEBKITGTK_PACKAGES = {
    "debian": "gir1.2-webkit2-4.1",
    "ubuntu": "gir1.2-webkit2-4.1",
    "fedora": "webkit2gtk4.1",
    "rhel": "webkit2gtk4.1",
    "arch": "webkit2gtk-4.1",
    "suse": "typelib-1_0-WebKit2-4_1",
}
OS_RELEASE = Path("/etc/os-release")


def webkitgtk_package() -> str:
    """This distribution's package for WebKitGTK 4.1 and its typelib (Debian's name when the
    distribution is not known)."""
    try:
        fields = dict(
            line.split("=", 1) for line in OS_RELEASE.read_text().splitlines() if "=" in line
        )
    except OSError:
        fields = {}
    for word in " ".join(fields.get(k, "") for k in ("ID", "ID_LIKE")).replace('"', "").split():
        for family, package in WEBKITGTK_PACKAGES.items():
            if word.startswith(family) or word.startswith(f"open{family}"):
                return package
    return WEBKITGTK_PACKAGES["debian"]


def gtk_webkit_missing() -> str | None:
    """What keeps pywebview's GTK backend from loading (None: nothing). Checks the typelibs
    only, which the system provides; GTK itself loads when the window opens."""
    if not _module_exists("gi"):
        return "PyGObject is not installed"
    try:
        import gi  # loads the system's libgirepository
    except ImportError:
        return "GObject introspection is not installed"
    try:
        gi.require_version("Gtk", "3.0")
    except ValueError:
        return "GTK 3 is not installed"
    for version in ("4.1", "4.0"):
        try:
            gi.require_version("WebKit2", version)
            return None
        except ValueError:
            continue
    return "WebKitGTK is not installed"


def _gtk_webkit_available() -> bool:
    return gtk_webkit_missing() is None


def linux_backend() -> Literal["gtk", "qt"] | None:
    """The pywebview GUI to use on Linux/BSD: "gtk" (system WebKitGTK), "qt", or None."""
    forced = os.environ.get("PYWEBVIEW_GUI", "").lower()
    qt = _module_exists("qtpy") and (
        _module_exists("PyQt6.QtWebEngineWidgets") or _module_exists("PySide6.QtWebEngineWidgets")
    )
    if forced == "qt":
        return "qt" if qt else None
    if forced == "gtk":
        return "gtk" if _gtk_webkit_available() else None
    if _gtk_webkit_available():
        return "gtk"
    return "qt" if qt else None


def _no_backend_reason() -> str:
    package = webkitgtk_package()
    if os.environ.get("PYWEBVIEW_GUI", "").lower() == "qt":
        return "PYWEBVIEW_GUI=qt, and Qt is not installed (`pip install desk[qt]`)"
    if getattr(sys, "frozen", False):  # the one-file build carries PyGObject
        return f"{gtk_webkit_missing()} (install {package})"
    return f"no GUI backend (install {package} and `pip install desk[gtk]`, or `desk[qt]`)"


def window_unavailable() -> str | None:
    """Why no window can open here (None: it can). Checked BEFORE starting the GUI: with no
    display, Qt aborts the whole process and GTK exits it."""
    if not _module_exists("webview"):
        return "pywebview is not installed"
    if sys.platform in ("win32", "darwin"):
        return None
    backend = linux_backend()
    if backend is None:
        return _no_backend_reason()
    offscreen = backend == "qt" and os.environ.get("QT_QPA_PLATFORM") == "offscreen"
    if not _has_display() and not offscreen:
        return "no display (DISPLAY and WAYLAND_DISPLAY are unset)"
    if backend == "qt" and not offscreen and not os.environ.get("WAYLAND_DISPLAY"):
        missing = [lib for lib in QT_XCB_LIBRARIES if ctypes.util.find_library(lib) is None]
        if missing:  # Qt would abort the process on start
            return "Qt's X11 plugin needs " + ", ".join(f"lib{lib}" for lib in missing)
    return None


def backend_description() -> str:
    """For `desk doctor`: which window this machine would get."""
    reason = window_unavailable()
    if reason:
        return f"none: {reason}"
    if sys.platform == "win32":
        return "Edge WebView2 (pywebview)"
    if sys.platform == "darwin":
        return "WebKit (pywebview)"
    return (
        "WebKitGTK (pywebview gtk)" if linux_backend() == "gtk" else "Qt WebEngine (pywebview qt)"
    )
