"""Raw email bytes → what the inbox needs: who, which thread, the new text, the attachments,
and whether a person wrote it at all.

Parsing uses the standard library's `email` package with `policy.default` (RFC 2047 words,
RFC 2231 file names, any charset Python knows). Nothing here raises on a malformed mail: a
header that cannot be parsed is read as plain text, undecodable bytes become U+FFFD.
"""

from __future__ import annotations

import email.header
import email.utils
import mimetypes
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser

from desk.mail import reports
from desk.mail.charsets import decode_bytes, part_text, repair
from desk.mail.reports import DeliveryReport
from desk.mail.text import html_to_text, new_text

MAX_FILENAME = 200
_MSGID = re.compile(r"<[^<>\s]{1,500}>")
_PRECEDENCE_DROPPED = {"bulk", "junk", "list"}


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # as the mail declares it; the store sniffs the bytes again
    data: bytes


@dataclass(frozen=True)
class InboundEmail:
    message_id: str | None
    in_reply_to: list[str]
    references: list[str]
    subject: str
    from_name: str
    from_address: str
    body: str
    attachments: list[Attachment] = field(default_factory=list)
    # Why no person should get an answer to this mail ("auto-submitted", "bulk", "list",
    # "auto-reply", "bounce"), else None: such mail is dropped, never answered.
    automatic: str | None = None
    report: DeliveryReport | None = None

    @property
    def thread_ids(self) -> list[str]:
        """Every Message-ID this mail says it answers, nearest first."""
        seen: dict[str, None] = {}
        for msgid in [*self.in_reply_to, *reversed(self.references)]:
            seen.setdefault(msgid, None)
        return list(seen)


def parse_email(raw: bytes) -> InboundEmail:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    subject = header_text(message, "subject")
    name, address = _sender(message)
    body_parts = _body_parts(message)
    report = reports.delivery_report(message)
    return InboundEmail(
        message_id=_first_id(header_text(message, "message-id")),
        in_reply_to=_ids(header_text(message, "in-reply-to")),
        references=_ids(header_text(message, "references")),
        subject=subject,
        from_name=name,
        from_address=address,
        body=_body(body_parts, subject),
        attachments=_attachments(message, body_parts),
        automatic="bounce" if report is not None else automatic_kind(message),
        report=report,
    )


# -- headers --------------------------------------------------------------------------------


def header_text(message: Message, name: str) -> str:
    """A header as text (RFC 2047 decoded), "" when absent; never raises."""
    try:
        value = message.get(name)
        text = "" if value is None else str(value)
    except Exception:  # the stdlib's header parser has raised on some malformed headers
        text = _decode_words(_raw_header(message, name))
    return repair(" ".join(text.split()))


def _raw_header(message: Message, name: str) -> str:
    for key, value in message.raw_items():
        if key.lower() == name:
            return str(value)
    return ""


def _decode_words(value: str) -> str:
    try:
        parts = email.header.decode_header(value)
    except Exception:
        return value
    out = []
    for chunk, charset in parts:
        if isinstance(chunk, bytes):
            out.append(decode_bytes(chunk, charset))
        else:
            out.append(chunk)
    return "".join(out)


def _sender(message: Message) -> tuple[str, str]:
    text = header_text(message, "from")
    name, address = email.utils.parseaddr(text)
    return name.strip(), address.strip()


def _ids(text: str) -> list[str]:
    return _MSGID.findall(text)


def _first_id(text: str) -> str | None:
    found = _MSGID.search(text)
    if found:
        return found.group(0)
    bare = text.strip()
    return f"<{bare}>" if bare and " " not in bare and len(bare) <= 500 else None


def automatic_kind(message: Message) -> str | None:
    """RFC 3834 and common practice: the mail was sent by a program, not by a person."""
    auto = header_text(message, "auto-submitted").split(";")[0].strip().lower()
    if auto and auto != "no":
        return "auto-submitted"
    if header_text(message, "precedence").strip().lower() in _PRECEDENCE_DROPPED:
        return "bulk"
    if message.get("x-autoreply") is not None or message.get("x-autorespond") is not None:
        return "auto-reply"
    if message.get("list-id") is not None:
        return "list"
    if message.get("x-failed-recipients") is not None or reports.from_mailer_daemon(message):
        return "bounce"
    return None


# -- bodies ---------------------------------------------------------------------------------


def _body_parts(message: EmailMessage) -> list[Message]:
    """The parts the body is read from: text/plain, or HTML when there is no usable text."""
    chosen: list[Message] = []
    for kind in ("plain", "html"):
        try:
            part = message.get_body(preferencelist=(kind,))
        except Exception:
            part = None
        if part is not None:
            chosen.append(part)
    return chosen


def _body(parts: list[Message], subject: str) -> str:
    for part in parts:
        text = part_text(part)
        if part.get_content_subtype() == "html":
            text = html_to_text(text)
        text = new_text(text, subject)
        if text.strip():
            return text
    return ""


# -- attachments ----------------------------------------------------------------------------

_SKIPPED_TYPES = {
    "message/delivery-status",
    "message/disposition-notification",
    "text/rfc822-headers",
}


def _attachments(message: Message, body_parts: list[Message]) -> list[Attachment]:
    found: list[Attachment] = []
    _collect(message, {id(part) for part in body_parts}, found)
    return found


def _collect(part: Message, body_ids: set[int], found: list[Attachment]) -> None:
    content_type = part.get_content_type()
    if content_type == "message/rfc822":  # a mail forwarded as an attachment: one .eml
        inner = part.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            subject = header_text(inner[0], "subject") or "message"
            name = clean_filename(f"{subject}.eml")
            found.append(Attachment(name, content_type, _bytes(inner[0])))
        return
    if part.is_multipart():
        for sub in part.get_payload():
            if isinstance(sub, Message):
                _collect(sub, body_ids, found)
        return
    if id(part) in body_ids or content_type in _SKIPPED_TYPES:
        return
    filename = _filename(part)
    is_text = part.get_content_maintype() == "text"
    if is_text and filename is None and part.get_content_disposition() != "attachment":
        return  # the other alternative of the body, or an inline text fragment
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    found.append(Attachment(filename or _default_name(content_type), content_type, data))


def _bytes(message: Message) -> bytes:
    try:
        return message.as_bytes(policy=policy.default)
    except Exception:
        return message.as_bytes(policy=policy.compat32)


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:
        name = None
    if not name:
        return None
    cleaned = clean_filename(repair(str(name)))
    return cleaned or None


def clean_filename(name: str) -> str:
    """The base name only: no folders, no control characters, at most 200 characters."""
    base = re.split(r"[\\/]", name)[-1]
    base = "".join(char for char in base if char.isprintable()).strip().strip(".")
    if len(base) > MAX_FILENAME:
        stem, dot, extension = base.rpartition(".")
        if dot and 0 < len(extension) <= 16:
            base = f"{stem[: MAX_FILENAME - len(extension) - 1]}.{extension}"
        else:
            base = base[:MAX_FILENAME]
    return base


def _default_name(content_type: str) -> str:
    extension = mimetypes.guess_extension(content_type) or ".bin"
    return f"attachment{extension}"
