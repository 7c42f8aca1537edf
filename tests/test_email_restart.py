"""Desk itself killed (SIGKILL) in the middle of reading a mailbox: after the restart every
email is filed exactly once (each email and its mailbox cursor are one transaction)."""

from __future__ import annotations

import signal
import sqlite3
import time
from pathlib import Path

import pytest

from tests.email_helpers import compose, email_config
from tests.mailservers import Dovecot, Maildir, SmtpRecorder
from tests.servers import start_desk

EMAILS = 300


def filed(db: Path) -> list[str]:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT e.subject FROM emails e JOIN messages m ON m.id = e.message_id"
            " WHERE m.type = 'incoming'"
        )
        return [str(row[0]) for row in rows]
    except sqlite3.OperationalError:
        return []  # not migrated yet
    finally:
        conn.close()


def last_uid(db: Path) -> int:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT max(last_uid) FROM mailbox_cursors").fetchone()
        return int(row[0] or 0)
    finally:
        conn.close()


@pytest.mark.slow
def test_killed_mid_mailbox_files_every_email_once(
    tmp_path: Path, dovecot: Dovecot, maildir: Maildir, smtp_server: SmtpRecorder
) -> None:
    for n in range(EMAILS):
        maildir.deliver(
            compose(subject=f"Question {n}", sender=f"c{n} <c{n}@example.com>").as_bytes()
        )
    data = tmp_path / "data"
    desk = start_desk(data)
    with desk.client() as admin:
        setup = {"workspace_name": "Acme", "name": "Ada", "email": "ada@example.com",
                 "password": "correct horse", "setup_token": desk.setup_token}  # fmt: skip
        admin.post("/api/setup", json=setup).raise_for_status()
        config = email_config(dovecot, maildir, smtp_server)
        channel = {"name": "Mail", "type": "email", "config": config}
        admin.post("/api/channels", json=channel).raise_for_status()
    deadline = time.monotonic() + 60
    while len(filed(data / "desk.db")) < 20:
        assert time.monotonic() < deadline, "the poller never started"
        time.sleep(0.02)
    desk.process.send_signal(signal.SIGKILL)
    desk.process.wait(10)
    at_kill = len(filed(data / "desk.db"))
    assert 0 < at_kill < EMAILS, "killed too late to test anything"
    desk = start_desk(data)
    try:
        deadline = time.monotonic() + 120
        # The cursor moves with each email in its transaction: at the last UID, all is filed.
        while last_uid(data / "desk.db") < EMAILS:
            assert time.monotonic() < deadline, f"{len(filed(data / 'desk.db'))} filed"
            time.sleep(0.1)
        subjects = filed(data / "desk.db")
    finally:
        desk.stop()
    assert sorted(subjects) == sorted(f"Question {n}" for n in range(EMAILS))
