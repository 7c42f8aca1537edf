"""`email`: a mailbox, read over IMAP and answered over SMTP. Its config: both servers, their
logins (secrets, never shown) and the From address. Replies are queued for the worker.

The adapter is the type's face to the rest of Desk; the work lives beside it:
- email_poller.py   a thread per active channel reading its folder (started from manage.py)
- email_inbound.py  one received email filed: threading, dropped mail, bounces, attachments
- email_outbound.py a reply as an email: headers from the database, then SMTP
- email_check.py    "Test connection"
The protocols themselves (IMAP, SMTP, MIME) are in desk/mail/, which knows no database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from desk.models.channels import ChannelRecord
from desk.models.messages import DeliveryJob, DeliveryStatus
from desk.services.channels import email_outbound
from desk.services.channels.base import ConfigKey, DeliveryError, SendNow
from desk.store.files import FileStore
from desk.validation import (
    check_config_email,
    check_host,
    check_line,
    check_poll_seconds,
    check_port,
    check_secret,
    check_tls,
)

CONFIG_KEYS: Mapping[str, ConfigKey] = {
    "imap_host": ConfigKey(check_host, required=True),
    "imap_port": ConfigKey(check_port, required=True),
    "imap_user": ConfigKey(lambda v, f: check_line(v, f, 254), ""),
    "imap_password": ConfigKey(check_secret, "", secret=True),
    "imap_tls": ConfigKey(check_tls, "ssl"),
    "imap_folder": ConfigKey(lambda v, f: check_line(v, f, 200, required=True), "INBOX"),
    "smtp_host": ConfigKey(check_host, required=True),
    "smtp_port": ConfigKey(check_port, required=True),
    "smtp_user": ConfigKey(lambda v, f: check_line(v, f, 254), ""),
    "smtp_password": ConfigKey(check_secret, "", secret=True),
    "smtp_tls": ConfigKey(check_tls, "starttls"),
    "from_address": ConfigKey(check_config_email, required=True),
    "from_name": ConfigKey(lambda v, f: check_line(v, f, 200), ""),
    "poll_seconds": ConfigKey(check_poll_seconds, 60),
}


class EmailAdapter:
    type = "email"
    config_keys = CONFIG_KEYS
    wiring_keys: frozenset[str] = frozenset()
    reply_status: DeliveryStatus = "queued"

    def wiring(self, channel: ChannelRecord, base_url: str) -> dict[str, Any]:
        return {}

    def prepare(
        self, conn: sqlite3.Connection, job: DeliveryJob, data_dir: Path, now: datetime
    ) -> SendNow:
        prepared = email_outbound.prepare_email(conn, job, FileStore(data_dir), now)
        return partial(email_outbound.send_prepared, prepared, data_dir)

    def send(self, job: DeliveryJob) -> None:
        # The worker always prepares email replies (PreparingAdapter) and sends what
        # `prepare` returns; reaching this would mean a reply skipped its headers.
        raise DeliveryError("This email reply was not prepared; retry it.", permanent=True)


ADAPTER = EmailAdapter()
