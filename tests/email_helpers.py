"""Email channels wired to the test mail servers, and mail as customers' programs write it."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, make_msgid
from typing import Any

from desk.services import delivery_worker
from desk.services.channels import email_poller
from tests.inbox_helpers import Client, desk_of
from tests.mailservers import PASSWORD, SMTP_PASSWORD, SMTP_USER, Dovecot, Maildir, SmtpRecorder

SUPPORT = "support@acme.example"
_dates = itertools.count()


def email_config(
    dovecot: Dovecot, maildir: Maildir, smtp: SmtpRecorder, **changes: Any
) -> dict[str, Any]:
    config: dict[str, Any] = {
        "imap_host": "localhost",
        "imap_port": dovecot.port,
        "imap_user": maildir.user,
        "imap_password": PASSWORD,
        "imap_tls": "none",
        "smtp_host": "localhost",
        "smtp_port": smtp.port,
        "smtp_user": SMTP_USER,
        "smtp_password": SMTP_PASSWORD,
        "smtp_tls": "none",
        "from_address": SUPPORT,
        "from_name": "Acme Support",
        "poll_seconds": 60,
    }
    config.update(changes)
    return config


def make_email_channel(
    admin: Client, dovecot: Dovecot, maildir: Maildir, smtp: SmtpRecorder, **changes: Any
) -> dict[str, Any]:
    response = admin.post(
        "/api/channels",
        json={
            "name": "Support mailbox",
            "type": "email",
            "config": email_config(dovecot, maildir, smtp, **changes),
        },
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def compose(
    *,
    sender: str = "Grace Hopper <grace@example.com>",
    subject: str = "Where is my order?",
    body: str = "Hello, my order 1042 never arrived.",
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: list[str] | None = None,
    to: str = SUPPORT,
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(_next_date())
    message["Message-ID"] = message_id or make_msgid(domain="example.com")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = " ".join(references)
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message


def _next_date() -> datetime:
    return datetime(2026, 12, 1, 9, 0, tzinfo=UTC) + timedelta(minutes=next(_dates))


def poll(admin: Client, channel_id: int) -> int:
    """One synchronous poll of the channel's mailbox (as its poller thread would run)."""
    return email_poller.poll_now(desk_of(admin), channel_id)


def deliver_queue(admin: Client) -> int:
    """One delivery pass (what the delivery worker does when a reply is due)."""
    return delivery_worker.run_due(desk_of(admin))


def parse(data: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    return message


def reply_from_customer(
    sent: EmailMessage, body: str, *, sender: str = "Grace Hopper <grace@example.com>"
) -> EmailMessage:
    """What the customer's mail program sends when they press Reply on Desk's email."""
    references = [*str(sent.get("References", "")).split(), str(sent["Message-ID"])]
    return compose(
        sender=sender,
        subject=str(sent["Subject"])
        if str(sent["Subject"]).startswith("Re:")
        else f"Re: {sent['Subject']}",
        body=f"{body}\n\nOn Mon, 1 Dec 2026 at 10:00, Acme Support <{SUPPORT}> wrote:\n> old\n",
        in_reply_to=str(sent["Message-ID"]),
        references=references,
    )
