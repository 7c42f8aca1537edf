"""What the window needs from GTK itself (pywebview's gtk backend over the system's WebKitGTK).

Imported only when that backend is used: `gi` loads the system's GObject introspection.
"""

from __future__ import annotations

from typing import Any


def prepare(app_id: str) -> None:
    """Before GTK starts: the window's WM_CLASS (X11) and app id (Wayland) become `app_id`,
    the name of the desktop entry, so the menu, dock and task switcher show Desk's icon."""
    from gi.repository import GLib

    GLib.set_prgname(app_id)
    GLib.set_application_name("Desk")


def close_when_destroyed_from_outside(window: Any) -> None:
    """Another X client may destroy the window (`xdotool windowclose`, a window manager
    that crashed). GTK takes that as a close request, but first WebKitGTK still asks X about
    the dead window, and GDK answers the resulting X error by ending the whole process:
    server and all, the database not checkpointed. So X errors are made non-fatal for the
    window's lifetime (as in Qt, which never exits on one), and the destroyed window closes
    the normal pywebview way. Called from a pywebview event thread."""
    from gi.repository import GLib

    GLib.idle_add(_watch, window)  # GTK calls belong on GTK's thread


def _watch(window: Any) -> bool:
    native = window.native
    if native is None:
        return False
    import gi

    try:
        gi.require_version("GdkX11", "3.0")
        from gi.repository import GdkX11
    except (ValueError, ImportError):  # a GTK without X11 support: Wayland only
        GdkX11 = None
    display = native.get_display()
    if GdkX11 is not None and isinstance(display, GdkX11.X11Display):
        # Never popped: GDK gives each error to the innermost trap, so its own traps
        # still see theirs; this one only catches what would have ended the process.
        display.error_trap_push()
    native.connect("destroy-event", _destroyed_from_outside, window)
    return False  # once


def _destroyed_from_outside(_native: Any, _event: Any, window: Any) -> bool:
    window.destroy()  # pywebview's close: its closed event, then webview.start() returns
    return True  # handled: GTK does not destroy the widget behind pywebview's back
