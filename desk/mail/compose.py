"""Desk's outgoing emails, with the headers that keep the customer's thread whole.

`Subject: Re: <latest incoming subject> [#<conversation id>]` (never "Re: Re:", the reference
not repeated), a new `Message-ID` on the sender's domain, `In-Reply-To` the latest incoming
email and `References` the thread (at most 20 ids: the first and the newest), a
`text/plain; charset=utf-8` body plus the attachments.
"""

from __future__ import annotations

import email.utils
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage

MAX_REFERENCES = 20
# Reply and forward prefixes mail programs add, in the languages customers write in:
# "Re:", "RE:", "Re[2]:", "AW:", "SV:", "Antw:", "Fwd:", "WG:" ...
_PREFIX = re.compile(
    r"^\s*(re|aw|sv|vs|antw|antwort|ref|fwd?|wg|tr|rv)\s*(\[\d+\])?\s*:\s*", re.IGNORECASE
)


@dataclass(frozen=True)
class OutgoingFile:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Outgoing:
    from_name: str
    from_address: str
    to_name: str
    to_address: str
    subject: str
    body: str
    message_id: str
    date: datetime
    in_reply_to: str | None = None
    references: Sequence[str] = ()
    attachments: Sequence[OutgoingFile] = field(default_factory=tuple)
    # Sent by a program (an automation, the out-of-hours auto-reply): RFC 3834 says so in
    # `Auto-Submitted`, so that the other side's auto-responders stay quiet.
    automatic: bool = False


def reference(conversation_id: int) -> str:
    return f"[#{conversation_id}]"


def strip_prefixes(subject: str) -> str:
    """The subject without any leading "Re:" / "Fwd:" chain."""
    text = " ".join(subject.split())
    while True:
        stripped = _PREFIX.sub("", text, count=1)
        if stripped == text:
            return text
        text = stripped


def reply_subject(latest_incoming: str | None, own_subject: str, conversation_id: int) -> str:
    """The subject of Desk's email on a conversation: a reply to the latest incoming email
    (`Re: …`), or the conversation's own subject when no email came in yet."""
    ref = reference(conversation_id)
    if latest_incoming is not None:
        base = strip_prefixes(latest_incoming)
        text = f"Re: {base}" if base else "Re:"
    else:
        text = " ".join(own_subject.split()) or f"Conversation {ref}"
    if ref not in text:
        text = f"{text} {ref}"
    return text


def thread_references(ids: Sequence[str]) -> list[str]:
    """At most 20 ids, oldest first: the thread's first one and the 19 newest."""
    unique = list(dict.fromkeys(ids))
    if len(unique) <= MAX_REFERENCES:
        return unique
    return [unique[0], *unique[-(MAX_REFERENCES - 1) :]]


def new_message_id(from_address: str) -> str:
    """A globally unique Message-ID on the sender's domain (no DNS lookup for a host name)."""
    domain = from_address.rpartition("@")[2] or "desk.invalid"
    return f"<desk.{secrets.token_hex(12)}@{domain}>"


def build_email(out: Outgoing) -> EmailMessage:
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = _address(out.from_name, out.from_address)
    message["To"] = _address(out.to_name, out.to_address)
    message["Subject"] = out.subject
    message["Date"] = email.utils.format_datetime(out.date)
    message["Message-ID"] = out.message_id
    if out.in_reply_to:
        message["In-Reply-To"] = out.in_reply_to
    refs = thread_references(out.references)
    if refs:
        message["References"] = " ".join(refs)
    message["Auto-Submitted"] = "auto-replied" if out.automatic else "no"
    message.set_content(out.body, subtype="plain", charset="utf-8")
    for item in out.attachments:
        maintype, _, subtype = item.content_type.partition("/")
        message.add_attachment(
            item.data,
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=item.filename,
        )
    return message


def _address(name: str, address: str) -> Address | str:
    username, _, domain = address.rpartition("@")
    try:
        return Address(display_name=name.strip(), username=username, domain=domain)
    except (ValueError, IndexError):
        return address
