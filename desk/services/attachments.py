"""Attachments: agents' uploads, the files on messages, and serving them safely.

An upload belongs to its agent until a message uses it (`attachment_ids`), and is removed
after 24 hours unused. The type is sniffed from the bytes, never taken from the client; only
PNG, JPEG, GIF and WebP (sniffed) are ever shown inline, everything else is a download.
Files live once per content in the attachment store (`store/files.py`).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

import filetype

from desk.errors import Invalid, NotFound
from desk.mail.parse import clean_filename
from desk.models.agents import Agent
from desk.models.messages import Attachment
from desk.models.timestamps import iso
from desk.services.desk import Desk
from desk.store import attachments as store
from desk.store.attachments import AttachmentRecord
from desk.store.files import FileStore

MAX_BYTES = 26_214_400  # 25 MiB
MAX_PER_MESSAGE = 10
UNUSED_HOURS = 24
INLINE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
# Types a browser would render as a page even from a download link: served as binary.
RENDERABLE = frozenset(
    {"text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml"}
)
_TEXT_SAMPLE = 4096
_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}")


def sniff(data: bytes) -> str:
    """The type the bytes say they are: a known signature, else UTF-8 text, else binary."""
    found = filetype.guess_mime(data)
    if found:
        return str(found)
    sample = data[:_TEXT_SAMPLE]
    if b"\x00" not in sample:
        try:
            sample.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(sample) - 4:  # not just a character cut at the sample's end
                return "application/octet-stream"
        return "text/plain"
    return "application/octet-stream"


def content_type_of(data: bytes, declared: str) -> str:
    """For mail: the sniffed type when the bytes have a known signature, else the declared
    one if it is a well-formed type, else binary."""
    found = filetype.guess_mime(data)
    if found:
        return str(found)
    declared = declared.strip().lower()
    return declared if _MEDIA_TYPE.fullmatch(declared) else "application/octet-stream"


def files(desk: Desk) -> FileStore:
    return FileStore(desk.settings.data_dir)


def upload(desk: Desk, me: Agent, filename: str, data: bytes) -> Attachment:
    """Keep an agent's file until a message uses it (size checked by the caller: 413)."""
    if not data:
        raise Invalid("The file is empty.", "file", "file_empty")
    name = clean_filename(filename or "") or "file"
    store_ = files(desk)
    staged = store_.stage(data)
    try:
        with desk.db.write() as conn:
            attachment_id = store.insert_attachment(
                conn,
                message_id=None,
                uploader_id=me.id,
                filename=name,
                content_type=sniff(data),
                size=len(data),
                sha256=store_.place(staged),
                now=desk.now_iso(),
            )
            record = store.get_attachment(conn, attachment_id)
    finally:
        store_.discard(staged)
    assert record is not None
    return record.public()


def use_uploads(
    conn: sqlite3.Connection, me: Agent, attachment_ids: list[int], message_id: int
) -> None:
    """Give the agent's unused uploads (checked by `check_uploads`) to a new message,
    inside its transaction."""
    store.attach_uploads(conn, attachment_ids, message_id)


def check_uploads(conn: sqlite3.Connection, me: Agent, attachment_ids: list[int]) -> None:
    field = "attachment_ids"
    if len(attachment_ids) > MAX_PER_MESSAGE:
        raise Invalid(
            f"A message takes at most {MAX_PER_MESSAGE} attachments.", field, "too_many_files"
        )
    if len(set(attachment_ids)) != len(attachment_ids):
        raise Invalid("An attachment is named twice.", field)
    found = store.get_attachments(conn, attachment_ids)
    for attachment_id in attachment_ids:
        record = found.get(attachment_id)
        if record is None:
            raise NotFound(
                f"Attachment {attachment_id} not found.", field, code="attachment_not_found"
            )
        if record.message_id is not None:
            raise Invalid(f"Attachment {attachment_id} is already used by a message.", field)
        if record.uploader_id != me.id:
            raise Invalid(f"Attachment {attachment_id} was uploaded by someone else.", field)


@dataclass(frozen=True)
class Download:
    """A file as it is served: its bytes and the headers that keep it inert."""

    data: bytes
    content_type: str
    disposition: str


def download(desk: Desk, me: Agent, attachment_id: int) -> Download:
    """An attachment a message uses (any agent), or one's own unused upload."""
    with desk.db.read() as conn:
        record = store.get_attachment(conn, attachment_id)
    if record is None or (record.message_id is None and record.uploader_id != me.id):
        raise NotFound(f"Attachment {attachment_id} not found.", code="attachment_not_found")
    try:
        data = files(desk).read(record.sha256)
    except OSError:
        raise NotFound(f"Attachment {attachment_id}'s file is missing.") from None
    return serve(record, data)


def serve(record: AttachmentRecord, data: bytes) -> Download:
    sniffed = filetype.guess_mime(data)
    if sniffed in INLINE_TYPES:
        return Download(data=data, content_type=str(sniffed), disposition="inline")
    content_type = record.content_type
    if content_type in RENDERABLE or not _MEDIA_TYPE.fullmatch(content_type):
        content_type = "application/octet-stream"
    name = quote(record.filename, safe="")
    return Download(
        data=data,
        content_type=content_type,
        disposition=f"attachment; filename*=UTF-8''{name}",
    )


def remove_unused_uploads(desk: Desk) -> int:
    """The hourly job: uploads no message used within 24 hours go, with their files."""
    cutoff = iso(desk.now() - timedelta(hours=UNUSED_HOURS))
    store_ = files(desk)
    with desk.db.write() as conn:
        stale = store.unused_before(conn, cutoff)
        store.delete_attachments(conn, [record.id for record in stale])
        store_.remove_unused(conn, [record.sha256 for record in stale])
        store_.sweep(conn)
    return len(stale)
