"""One received email, filed: into its thread, into a new conversation, or dropped.

Each email is one transaction together with the mailbox cursor that passes it, so a crash
or a stopped server between two emails neither loses nor repeats one.

Threading (API.md, first rule that applies):
1. `In-Reply-To` / `References` name a Message-ID stored on this channel (received or sent)
   → that conversation, whoever wrote (a colleague's reply-all joins as their own contact);
2. the subject carries `[#123]` and the sender is conversation 123's contact → that one;
3. a new conversation, its contact found by the `From` address or created.

Dropped (counted in the channel's health, never a message, never answered): mail that
programs send (auto-replies, bulk and list mail, bounces), mail from the channel's own
address, and copies of Desk's own sent mail. A bounce about an email Desk sent marks that
reply `failed` with the report's words.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field, replace
from typing import Literal

from desk.errors import NotFound
from desk.mail.parse import Attachment, InboundEmail, parse_email
from desk.mail.reports import DeliveryReport
from desk.models.channels import ChannelRecord
from desk.models.messages import Sender
from desk.services import contacts as contacts_service
from desk.services import failures
from desk.services.attachments import MAX_BYTES as MAX_ATTACHMENT_BYTES
from desk.services.attachments import content_type_of
from desk.services.changes import Changes, activity, publish_changes
from desk.services.desk import Desk
from desk.store import attachments as attachments_store
from desk.store import channel_health as health_store
from desk.store import conversations as conversations_store
from desk.store import emails as emails_store
from desk.store import merges as merges_store
from desk.store import messages as messages_store
from desk.store.emails import Cursor
from desk.store.files import FileStore, Staged
from desk.validation import MAX_BODY, MAX_SUBJECT

_REFERENCE = re.compile(r"\[#([0-9]{1,18})\]")
_SHORTENED = "\n\n[Shortened: the whole email is under “View original”.]"
EMPTY_BODY = "(This email has no text.)"
MAX_EMAIL_BYTES = 50 * 1024 * 1024  # larger mail is filed from its header alone

Outcome = Literal["filed", "dropped", "duplicate"]


@dataclass
class Filing:
    """What one email became, for the caller's counting and the events after the commit."""

    outcome: Outcome = "dropped"
    changes: Changes | None = None
    failed_replies: list[tuple[int, Changes]] = field(default_factory=list)


def ingest_email(
    desk: Desk, channel: ChannelRecord, raw: bytes, cursor: Cursor, oversize: int | None = None
) -> Outcome:
    """File one raw email received on `channel`, moving the channel's cursor to `cursor`.
    `oversize`: the email was too large to fetch (its size); `raw` is then its header only,
    and the message says so instead of keeping a part of it."""
    mail = parse_email(raw)
    if oversize is not None:
        mail = replace(mail, body=_too_large(oversize), attachments=[])
    own = str(channel.config.get("from_address", "")).lower()
    keep = mail.automatic is None and mail.from_address.lower() != own
    files = FileStore(desk.settings.data_dir)
    staged = _stage(files, raw if oversize is None else None, mail) if keep else []
    try:
        with desk.db.write() as conn:
            emails_store.set_cursor(conn, channel.id, cursor)
            filing = _file(conn, desk.now_iso(), channel, mail, keep, files, staged)
    finally:
        for item in staged:
            if item is not None:
                files.discard(item)  # placed ones were moved away; this drops the rest
    _publish(desk, filing)
    return filing.outcome


def _stage(files: FileStore, raw: bytes | None, mail: InboundEmail) -> list[Staged | None]:
    """The raw email first (None: not kept), then each attachment within the limit (outside
    the lock)."""
    staged: list[Staged | None] = [files.stage(raw) if raw is not None else None]
    staged += [files.stage(a.data) for a in mail.attachments if _fits(a)]
    return staged


def _too_large(size: int) -> str:
    mib, limit = size / 1024 / 1024, MAX_EMAIL_BYTES / 1024 / 1024
    return (
        f"(This email is {mib:.1f} MB, over Desk's limit of {limit:.0f} MB, so only its sender"
        " and subject were read. Open it in your mail program.)"
    )


def _fits(attachment: Attachment) -> bool:
    return 0 < len(attachment.data) <= MAX_ATTACHMENT_BYTES


def _file(
    conn: sqlite3.Connection,
    now: str,
    channel: ChannelRecord,
    mail: InboundEmail,
    keep: bool,
    files: FileStore,
    staged: list[Staged | None],
) -> Filing:
    if mail.report is not None:
        return Filing(failed_replies=_mark_failed(conn, channel.id, mail.report, now))
    if not keep or _is_own_echo(conn, channel.id, mail):
        health_store.add_dropped(conn, channel.id)
        return Filing()
    if mail.message_id and emails_store.received_already(conn, channel.id, mail.message_id):
        return Filing(outcome="duplicate")
    changes = Changes()
    contact_id = _contact(conn, now, mail)
    conversation_id = _thread(conn, channel.id, mail, contact_id)
    if conversation_id is None:
        conversation_id = _new_conversation(conn, now, channel.id, contact_id, mail)
        changes.created = True
    changes.conversation_id = conversation_id
    _reopen(conn, conversation_id, changes, now)
    message_id = _insert(conn, now, conversation_id, contact_id, mail, files, staged)
    changes.messages.append(message_id)
    changes.messages += _skipped_notes(conn, now, conversation_id, mail)
    return Filing(outcome="filed", changes=changes)


def _mark_failed(
    conn: sqlite3.Connection, channel_id: int, report: DeliveryReport, now: str
) -> list[tuple[int, Changes]]:
    """A bounce: the replies it is about become `failed` with its words; the bounce itself
    is dropped like all mail that programs send."""
    health_store.add_dropped(conn, channel_id)
    if not report.failed:
        return []
    found = emails_store.sent_with(conn, channel_id, report.about)
    text = f"The recipient's mail server returned it: {report.diagnostic}"
    return [(message_id, failures.mark_failed(conn, message_id, text, now)) for message_id in found]


def _is_own_echo(conn: sqlite3.Connection, channel_id: int, mail: InboundEmail) -> bool:
    """A copy of an email Desk sent (the folder also holds sent mail, or a Bcc to itself)."""
    return bool(mail.message_id and emails_store.sent_with(conn, channel_id, [mail.message_id]))


def _contact(conn: sqlite3.Connection, now: str, mail: InboundEmail) -> int:
    name = mail.from_name[:200] or None
    address = mail.from_address if "@" in mail.from_address else None
    if address is not None and (len(address) > 254 or " " in address):
        address = None
    if name is None and address is None:
        name = "Unknown sender"
    return contacts_service.resolve_contact(conn, now, name=name, email=address, phone=None)


def _thread(
    conn: sqlite3.Connection, channel_id: int, mail: InboundEmail, contact_id: int
) -> int | None:
    found = emails_store.thread_of(conn, channel_id, mail.thread_ids)
    if found is not None:
        return found
    for match in _REFERENCE.finditer(mail.subject):
        referenced = int(match.group(1))
        state = conversations_store.get_state(conn, referenced)
        if state is not None and state.channel_id == channel_id and state.contact_id == contact_id:
            return state.id
        into = merges_store.merged_into(conn, referenced) if state is None else None
        state = conversations_store.get_state(conn, into) if into is not None else None
        if state is not None and state.contact_id == contact_id:
            return state.id  # [#123] of a conversation merged into this one
    return None


def _new_conversation(
    conn: sqlite3.Connection, now: str, channel_id: int, contact_id: int, mail: InboundEmail
) -> int:
    subject = mail.subject.strip()[:MAX_SUBJECT] or _first_line(mail.body)
    return conversations_store.insert_conversation(
        conn,
        channel_id=channel_id,
        contact_id=contact_id,
        subject=subject,
        priority="normal",
        assignee_id=None,
        thread_key=None,
        now=now,
    )


def _first_line(body: str) -> str:
    return body.strip().split("\n", 1)[0].strip()[:80]


def _reopen(conn: sqlite3.Connection, conversation_id: int, changes: Changes, now: str) -> None:
    state = conversations_store.get_state(conn, conversation_id)
    if state is not None and state.status in ("snoozed", "resolved", "pending"):
        conversations_store.set_status(conn, conversation_id, "open", None, now)
        text = "Reopened: the contact wrote."
        system = Sender(type="system")
        changes.messages.append(
            activity(conn, conversation_id, system, text, now, "reopened_contact_wrote")
        )


def _insert(
    conn: sqlite3.Connection,
    now: str,
    conversation_id: int,
    contact_id: int,
    mail: InboundEmail,
    files: FileStore,
    staged: list[Staged | None],
) -> int:
    raw, *attached = staged
    message_id = messages_store.insert_message(
        conn,
        conversation_id=conversation_id,
        type="incoming",
        body=_body(mail),
        sender=Sender(type="contact", id=contact_id, name=mail.from_name or mail.from_address),
        now=now,
        unread=True,
    )
    emails_store.insert_email(
        conn,
        message_id,
        header_id=mail.message_id,
        subject=mail.subject,
        from_address=mail.from_address,
        from_name=mail.from_name,
        raw_sha256=files.place(raw) if raw is not None else None,
    )
    kept = [a for a in mail.attachments if _fits(a)]
    for attachment, item in zip(kept, attached, strict=True):
        assert item is not None
        attachments_store.insert_attachment(
            conn,
            message_id=message_id,
            uploader_id=None,
            filename=attachment.filename,
            content_type=content_type_of(attachment.data, attachment.content_type),
            size=item.size,
            sha256=files.place(item),
            now=now,
        )
    return message_id


def _body(mail: InboundEmail) -> str:
    body = mail.body.strip()
    if not body:
        return "" if mail.attachments else EMPTY_BODY
    if len(body) > MAX_BODY:
        return body[: MAX_BODY - len(_SHORTENED)] + _SHORTENED
    return body


def _skipped_notes(
    conn: sqlite3.Connection, now: str, conversation_id: int, mail: InboundEmail
) -> list[int]:
    """An activity line for each attachment that was not kept."""
    notes = []
    for attachment in mail.attachments:
        if _fits(attachment) or not attachment.data:
            continue
        megabytes = len(attachment.data) / 1024 / 1024
        text = (
            f"The attachment “{attachment.filename}” ({megabytes:.1f} MB) was not kept: it is"
            " over the 25 MB limit. “View original” has the whole email."
        )
        notes.append(
            activity(
                conn,
                conversation_id,
                Sender(type="system"),
                text,
                now,
                "attachment_dropped",
                name=attachment.filename,
                megabytes=f"{megabytes:.1f}",
            )
        )
    return notes


def _publish(desk: Desk, filing: Filing) -> None:
    if filing.changes is not None:
        publish_changes(desk, filing.changes)
    for message_id, changes in filing.failed_replies:
        failures.publish_failure(desk, message_id, changes)


def original(desk: Desk, message_id: int) -> bytes:
    """The email exactly as it was received (404 for messages that did not come by email)."""
    with desk.db.read() as conn:
        record = emails_store.get_email(conn, message_id)
    if record is None or record.raw_sha256 is None:
        raise NotFound(f"Message {message_id} did not arrive by email.")
    try:
        return FileStore(desk.settings.data_dir).read(record.raw_sha256)
    except OSError:
        raise NotFound(f"The original of message {message_id} is missing.") from None
