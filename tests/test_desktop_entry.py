"""`desk install-desktop-entry`: the .desktop file's Exec line and where the files go
(the executable's own run is in test_binary.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk import desktop_entry
from tests.servers import run_desk


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["/opt/desk/desk"], "/opt/desk/desk"),
        (["/home/ada/My Apps/desk"], '"/home/ada/My Apps/desk"'),
        (["/x/desk", "--data-dir", "/d/100% $HOME"], '/x/desk --data-dir "/d/100%% \\\\$HOME"'),
        (["/x/desk", "--data-dir", 'a"b\\c'], '/x/desk --data-dir "a\\\\"b\\\\\\\\c"'),
    ],
)
def test_exec_line_quotes_as_the_desktop_entry_spec_says(command: list[str], expected: str) -> None:
    assert desktop_entry.exec_value(command) == expected


def test_xdg_data_home_is_used_when_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert desktop_entry.data_home() == tmp_path
    monkeypatch.setenv("XDG_DATA_HOME", "relative/dir")  # the spec says: ignore it
    assert desktop_entry.data_home() == Path.home() / ".local" / "share"


def test_the_command_installs_and_removes_for_this_python(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path)}
    installed = run_desk("install-desktop-entry", env=env)
    assert installed.returncode == 0, installed.stderr
    text = (tmp_path / "applications" / "desk.desktop").read_text()
    assert "Exec=" in text and " -m desk\n" in text  # no --data-dir: the default one
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == 8
    removed = run_desk("install-desktop-entry", "--remove", env=env)
    assert removed.returncode == 0 and removed.stdout.count("Removed ") == 8
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
