"""`desk install-desktop-entry [--remove]`: Desk in the application menu (freedesktop.org).

Writes `applications/desk.desktop` and the icon (`icons/hicolor/*/apps/desk.*`) under
$XDG_DATA_HOME (default ~/.local/share); the entry starts the program that wrote it. The
window uses the same icon (desk/desktop.py), and its WM_CLASS / Wayland app id is "desk",
the entry's name, so the dock and task switcher match the two.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

DESKTOP_ID = "desk"
ASSETS = Path(__file__).resolve().parent / "assets"
ICON_SIZES = (16, 32, 48, 64, 128, 256)
WINDOW_ICON_SIZE = 256
# Characters that make an Exec argument need quotes, and those escaped inside the quotes
# (Desktop Entry Specification, "The Exec key").
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
_ESCAPED_IN_QUOTES = set('"`$\\')


def icon_path(size: int = WINDOW_ICON_SIZE) -> Path:
    return ASSETS / f"desk-{size}.png"


def data_home() -> Path:
    """$XDG_DATA_HOME, or ~/.local/share when it is unset or not absolute (as the spec says)."""
    given = os.environ.get("XDG_DATA_HOME", "")
    return Path(given) if os.path.isabs(given) else Path.home() / ".local" / "share"


def installed_files(home: Path) -> dict[Path, Path]:
    """Where each file goes -> the file shipped with Desk (the .desktop file is written)."""
    icons = home / "icons" / "hicolor"
    files = {icons / "scalable" / "apps" / f"{DESKTOP_ID}.svg": ASSETS / "desk.svg"}
    for size in ICON_SIZES:
        files[icons / f"{size}x{size}" / "apps" / f"{DESKTOP_ID}.png"] = icon_path(size)
    return files


def entry_path(home: Path) -> Path:
    return home / "applications" / f"{DESKTOP_ID}.desktop"


def launch_command(data_dir: Path | None) -> list[str]:
    """The command that starts this Desk: the executable itself, or this Python with `-m
    desk`; with --data-dir when one was given to the command that installs the entry."""
    command = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "desk"]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir.resolve())]
    return command


def exec_value(command: list[str]) -> str:
    """The Exec key's value: arguments quoted where the spec requires, `%` doubled, then
    backslashes escaped once more because Exec is a string value."""

    def quoted(arg: str) -> str:
        if arg and not _RESERVED.intersection(arg):
            return arg
        inner = "".join("\\" + c if c in _ESCAPED_IN_QUOTES else c for c in arg)
        return f'"{inner}"'

    joined = " ".join(quoted(arg) for arg in command).replace("%", "%%")
    return joined.replace("\\", "\\\\")


def desktop_file(command: list[str]) -> str:
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Version=1.0",
            "Name=Desk",
            "GenericName=Support inbox",
            "Comment=The shared support inbox on your own machine",
            f"Exec={exec_value(command)}",
            f"TryExec={exec_value(command[:1])}",
            f"Icon={DESKTOP_ID}",
            "Terminal=false",
            "Categories=Office;",
            "Keywords=support;helpdesk;inbox;email;tickets;",
            f"StartupWMClass={DESKTOP_ID}",
            "",
        ]
    )


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    partial.replace(path)


def install(data_dir: Path | None) -> list[Path]:
    home = data_home()
    written = []
    for target, source in installed_files(home).items():
        _write(target, source.read_bytes())
        written.append(target)
    entry = entry_path(home)
    _write(entry, desktop_file(launch_command(data_dir)).encode("utf-8"))
    return [entry, *written]


def remove() -> list[Path]:
    home = data_home()
    removed = []
    for path in [entry_path(home), *installed_files(home)]:
        if path.exists():
            path.unlink()
            removed.append(path)
    return removed


def command(data_dir: Path | None, *, remove_entry: bool) -> int:
    """`desk install-desktop-entry [--remove]`."""
    if remove_entry:
        removed = remove()
        if not removed:
            print(f"No desktop entry of Desk in {data_home()}.")
        for path in removed:
            print(f"Removed {path}")
        return 0
    paths = install(data_dir)
    print(f"Desk is in the application menu: {paths[0]}")
    print(f"Icons: {data_home() / 'icons' / 'hicolor'}/*/apps/{DESKTOP_ID}.*")
    print(f"It starts: {shlex.join(launch_command(data_dir))}")
    return 0
