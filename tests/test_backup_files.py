"""A backup is the database and the attachment files it names, consistent with each other;
restore brings both back; doctor notices files that are missing."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from desk.services import backup, backup_files
from tests.inbox_helpers import Client, desk_of, make_channel, start
from tests.servers import run_desk


def attach(admin: Client, conversation_id: int, data: bytes) -> dict[str, Any]:
    upload = admin.post("/api/attachments", files={"file": ("f.bin", data, "x/y")}).json()
    response = admin.post(
        f"/api/conversations/{conversation_id}/messages",
        json={"body": "file", "attachment_ids": [upload["id"]]},
    )
    assert response.status_code == 201, response.text
    return dict(response.json()["attachments"][0])


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file() and len(p.name) == 64}


@pytest.mark.slow  # runs `desk doctor` as a process
def test_backup_carries_exactly_the_named_files_and_restore_brings_them_back(
    admin: Client, tmp_path: Path
) -> None:
    data_dir = desk_of(admin).settings.data_dir
    phone = make_channel(admin, "phone")["id"]
    grace = start(admin, phone, message="Hi")
    kept = attach(admin, grace["id"], b"invoice bytes")
    stray = admin.post("/api/attachments", files={"file": ("s.bin", b"unused", "x/y")}).json()
    assert stray["id"]
    target = backup.make_backup(data_dir, tmp_path / "b.db")
    copied = files_under(backup_files.files_dir(target))
    # The unused upload is named by the database too (it is a row): both are carried.
    assert sorted(copied.values()) == [b"invoice bytes", b"unused"]
    for path in backup_files.files_dir(target).rglob("*"):
        mode = stat.S_IMODE(os.stat(path).st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path
    # Erase Grace: her file leaves the data dir, but not the backup.
    assert admin.delete(f"/api/contacts/{grace['contact']['id']}").status_code == 200
    assert b"invoice bytes" not in files_under(data_dir / "attachments").values()
    assert backup_files.inspect(target).missing == []
    # Restore into a new data dir: database and files together.
    fresh = tmp_path / "restored"
    fresh.mkdir()
    backup.restore(fresh, target)
    assert sorted(files_under(fresh / "attachments").values()) == [b"invoice bytes", b"unused"]
    doctor = run_desk("doctor", "--data-dir", str(fresh))
    assert "Attachments:" in doctor.stdout and "MISSING" not in doctor.stdout, doctor.stdout
    assert kept["filename"] == "f.bin"


@pytest.mark.slow  # runs `desk doctor` as a process
def test_doctor_names_missing_files(admin: Client, tmp_path: Path) -> None:
    phone = make_channel(admin, "phone")["id"]
    attach(admin, start(admin, phone, message="Hi")["id"], b"will vanish")
    data_dir = desk_of(admin).settings.data_dir
    copy = tmp_path / "copy"
    backup.make_backup(data_dir, tmp_path / "b.db")
    copy.mkdir()
    backup.restore(copy, tmp_path / "b.db")
    shutil.rmtree(copy / "attachments")
    doctor = run_desk("doctor", "--data-dir", str(copy))
    assert doctor.returncode == 1
    assert "1 named by the database are MISSING" in doctor.stdout, doctor.stdout


def test_pruned_automatic_backups_take_their_files_along(admin: Client, clock: Any) -> None:
    desk = desk_of(admin)
    attach(admin, start(admin, make_channel(admin, "phone")["id"], message="Hi")["id"], b"x")
    backup.run_daily_backup(desk)  # the first check only notes the start
    for _ in range(9):
        clock.advance(hours=25)
        backup.run_daily_backup(desk)
    kept = backup.list_backups(desk.settings.data_dir, backup.AUTO_PREFIX)
    folders = sorted(backup.backups_dir(desk.settings.data_dir).glob("*.files"))
    assert len(kept) == 7
    assert folders == [backup_files.files_dir(p) for p in kept]
