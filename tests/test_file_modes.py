"""The data directory is private (API.md): 0700, and the database, its WAL, backups and
attachments 0600; older installs are fixed at start and `desk doctor` reports wrong modes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from desk.config import Settings
from desk.services import backup, doctor
from desk.services.desk import Desk
from tests.conftest import CHEAP

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _modes_finding(data_dir: Path) -> doctor.Finding:
    return next(f for f in doctor.examine(data_dir) if f.label == "File modes")


@pytest.fixture(autouse=True)
def _keep_umask() -> object:
    before = os.umask(0o022)  # what a default shell gives a new install
    yield
    os.umask(before)


def test_a_new_data_dir_is_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    desk = Desk(Settings(data_dir=data_dir, password_cost=CHEAP, background_tasks=False))
    try:
        with desk.db.write() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS probe (x)")
        assert mode(data_dir) == 0o700
        for name in ("desk.db", "desk.db-wal", "desk.db-shm"):
            assert mode(data_dir / name) == 0o600, name
        made = backup.make_backup(data_dir, None)
        assert mode(made) == 0o600 and mode(made.parent) == 0o700
    finally:
        desk.close()
    assert _modes_finding(data_dir).ok


def test_an_old_install_is_reported_by_doctor_and_fixed_at_start(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    Desk(Settings(data_dir=data_dir, password_cost=CHEAP, background_tasks=False)).close()
    old_backup = data_dir / "backups" / "manual-old.db"
    attachment = data_dir / "attachments" / "ab" / "ab12"
    attachment.parent.mkdir(parents=True)
    old_backup.parent.mkdir(exist_ok=True)
    for path in (old_backup, attachment):
        path.write_bytes(b"x")
    for path, wide in [
        (data_dir, 0o755),
        (data_dir / "desk.db", 0o644),
        (old_backup.parent, 0o755),
        (old_backup, 0o644),
        (attachment.parent, 0o755),
        (attachment, 0o644),
    ]:
        path.chmod(wide)
    finding = _modes_finding(data_dir)
    assert not finding.ok
    assert "desk.db (0644)" in finding.value and "(0755)" in finding.value
    Desk(Settings(data_dir=data_dir, password_cost=CHEAP, background_tasks=False)).close()
    assert mode(data_dir) == 0o700 and mode(data_dir / "desk.db") == 0o600
    assert mode(old_backup) == 0o600 and mode(old_backup.parent) == 0o700
    assert mode(attachment) == 0o600 and mode(attachment.parent) == 0o700
    assert _modes_finding(data_dir).ok
