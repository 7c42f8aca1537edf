"""`email`: a mailbox, read over IMAP and answered over SMTP. Its config: both servers, their
logins (secrets, never shown) and the From address. Replies are queued for the worker."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desk.models.channels import ChannelRecord
from desk.models.messages import DeliveryJob, DeliveryStatus
from desk.services.channels.base import ConfigKey, DeliveryError
from desk.validation import (
    check_config_email,
    check_host,
    check_line,
    check_poll_seconds,
    check_port,
    check_secret,
    check_tls,
)

EMAIL_PENDING = "Email sending arrives with the email integration; this reply was not sent."

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

    def send(self, job: DeliveryJob) -> None:
        raise DeliveryError(EMAIL_PENDING, permanent=True)


ADAPTER = EmailAdapter()
