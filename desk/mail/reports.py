"""Delivery status notifications (bounces): which sent email they are about, and why it
failed.

The standard form is RFC 3464: a `multipart/report; report-type=delivery-status` with a
`message/delivery-status` part (per recipient: `Action`, `Status`, `Diagnostic-Code`) and the
returned message or its headers. Older mail servers send a plain text bounce that quotes the
original headers; its `Message-ID:` line is used then.
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass
from email import policy
from email.message import Message
from email.parser import HeaderParser

from desk.mail.charsets import part_text

MAX_DIAGNOSTIC = 500
_MESSAGE_ID_LINE = re.compile(r"^\s*Message-ID:\s*(<[^<>\s]{1,500}>)", re.IGNORECASE | re.MULTILINE)
_DAEMONS = {"mailer-daemon", "postmaster", "mail-daemon"}


@dataclass(frozen=True)
class DeliveryReport:
    about: list[str]  # the Message-IDs of the mail the report is about
    failed: bool  # False for "delayed" / "delivered" / "relayed" reports
    diagnostic: str


def delivery_report(message: Message) -> DeliveryReport | None:
    """The report this mail carries, or None if it is not a delivery report."""
    if message.get_content_type() == "multipart/report":
        return _standard_report(message)
    if message.get("x-failed-recipients") is not None or from_mailer_daemon(message):
        return _plain_bounce(message)
    return None


def from_mailer_daemon(message: Message) -> bool:
    _, address = email.utils.parseaddr(str(message.get("from", "")))
    return address.partition("@")[0].lower() in _DAEMONS


def _standard_report(message: Message) -> DeliveryReport:
    actions: list[str] = []
    diagnostics: list[str] = []
    about: list[str] = []
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            _read_status(part, actions, diagnostics)
        elif kind == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                about += _ids_of(inner[0])
        elif kind == "text/rfc822-headers":
            headers = HeaderParser(policy=policy.compat32).parsestr(_text(part))
            about += _ids_of(headers)
    if not about:
        about = _quoted_ids(message)
    failed = not actions or "failed" in actions
    diagnostic = "; ".join(dict.fromkeys(diagnostics)) or _first_text(message)
    return DeliveryReport(about=about, failed=failed, diagnostic=_short(diagnostic))


def _read_status(part: Message, actions: list[str], diagnostics: list[str]) -> None:
    """The per-recipient blocks of a `message/delivery-status` part."""
    payload = part.get_payload()
    blocks = payload if isinstance(payload, list) else []
    for block in blocks:
        if not isinstance(block, Message):
            continue
        action = str(block.get("action", "")).strip().lower()
        if action:
            actions.append(action)
        if action not in ("", "failed"):
            continue
        code = " ".join(str(block.get("diagnostic-code", "")).split())
        code = code.split(";", 1)[1].strip() if ";" in code else code  # "smtp; 550 ..."
        recipient = str(block.get("final-recipient", "")).split(";")[-1].strip()
        status = str(block.get("status", "")).strip()
        reason = code or (f"status {status}" if status else "")
        if recipient and reason:
            diagnostics.append(f"{recipient}: {reason}")
        elif reason:
            diagnostics.append(reason)


def _plain_bounce(message: Message) -> DeliveryReport:
    return DeliveryReport(
        about=_quoted_ids(message), failed=True, diagnostic=_short(_first_text(message))
    )


def _ids_of(message: Message) -> list[str]:
    value = " ".join(str(message.get("message-id", "")).split())
    return re.findall(r"<[^<>\s]{1,500}>", value)


def _quoted_ids(message: Message) -> list[str]:
    """`Message-ID:` lines quoted in the text of the bounce (the original's headers)."""
    found: list[str] = []
    for part in message.walk():
        if part.get_content_maintype() == "text":
            found += _MESSAGE_ID_LINE.findall(_text(part))
    own = str(message.get("message-id", ""))
    return [msgid for msgid in dict.fromkeys(found) if msgid not in own]


def _first_text(message: Message) -> str:
    """The first paragraph of the report's human-readable text."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            for paragraph in re.split(r"\n\s*\n", _text(part)):
                if paragraph.strip():
                    return " ".join(paragraph.split())
    return "The mail server reported that the email could not be delivered."


def _text(part: Message) -> str:
    return part_text(part)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_DIAGNOSTIC else text[: MAX_DIAGNOSTIC - 1] + "…"
