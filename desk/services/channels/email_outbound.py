"""An outgoing message on an email channel, as an email: prepared from the database (the
thread's headers, the attachments), then handed to the channel's SMTP server.

The Message-ID is chosen at the first attempt and stored before anything is sent, so every
retry sends the same email, and a reply to it threads back even if Desk stopped right after
sending. SMTP 5xx answers are permanent (`failed`, in the server's words); 4xx answers and
connection problems are retried by the delivery queue.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desk.mail.compose import (
    Outgoing,
    OutgoingFile,
    build_email,
    new_message_id,
    reply_subject,
)
from desk.mail.errors import MailError
from desk.mail.smtp import TIMEOUT_SECONDS, SmtpServer, check_smtp, send_email
from desk.mail.tls import client_context
from desk.models.messages import DeliveryJob
from desk.services.channels.base import DeliveryError
from desk.store import attachments as attachments_store
from desk.store import emails as emails_store
from desk.store.files import FileStore


@dataclass(frozen=True)
class PreparedEmail:
    server: SmtpServer
    outgoing: Outgoing
    sender: str
    recipient: str


def smtp_server(config: dict[str, object], timeout: float = TIMEOUT_SECONDS) -> SmtpServer:
    return SmtpServer(
        host=str(config["smtp_host"]),
        port=int(str(config["smtp_port"])),
        user=str(config.get("smtp_user") or ""),
        password=str(config.get("smtp_password") or ""),
        tls=str(config.get("smtp_tls") or "starttls"),
        timeout=timeout,
    )


def prepare_email(
    conn: sqlite3.Connection, job: DeliveryJob, files: FileStore, now: datetime
) -> PreparedEmail:
    """Everything the email needs, read (and its Message-ID stored) in the caller's write
    transaction. Raises a permanent DeliveryError when it cannot be sent at all."""
    config = job.channel_config
    if not job.contact_email:
        raise DeliveryError(
            "This contact has no email address: add one to the contact, then retry.",
            permanent=True,
        )
    from_address = str(config["from_address"])
    latest = emails_store.latest_incoming(conn, job.conversation_id)
    subject = reply_subject(latest.subject if latest else None, job.subject, job.conversation_id)
    own = emails_store.get_email(conn, job.message_id)
    message_id = own.header_id if own and own.header_id else new_message_id(from_address)
    references = [i for i in emails_store.thread_ids(conn, job.conversation_id) if i != message_id]
    emails_store.insert_email(
        conn,
        job.message_id,
        header_id=message_id,
        subject=subject,
        from_address=from_address,
        from_name=str(config.get("from_name") or ""),
        raw_sha256=None,
    )
    outgoing = Outgoing(
        from_name=str(config.get("from_name") or ""),
        from_address=from_address,
        to_name=job.contact_name or "",
        to_address=job.contact_email,
        subject=subject,
        body=job.body,
        message_id=message_id,
        date=now,
        in_reply_to=latest.header_id if latest else None,
        references=references,
        attachments=_files(conn, job.message_id, files),
        automatic=job.sender_type != "agent",
    )
    return PreparedEmail(
        server=smtp_server(config),
        outgoing=outgoing,
        sender=from_address,
        recipient=job.contact_email,
    )


def _files(conn: sqlite3.Connection, message_id: int, files: FileStore) -> list[OutgoingFile]:
    found = []
    for record in attachments_store.files_of_message(conn, message_id):
        try:
            data = files.read(record.sha256)
        except OSError:
            raise DeliveryError(
                f"The attachment “{record.filename}” is missing from Desk's data folder.",
                permanent=True,
            ) from None
        found.append(OutgoingFile(record.filename, record.content_type, data))
    return found


def send_prepared(prepared: PreparedEmail, data_dir: Path) -> None:
    """Hand the email to the SMTP server (no database here: this runs in the send pool)."""
    try:
        send_email(
            prepared.server,
            client_context(data_dir),
            build_email(prepared.outgoing),
            prepared.sender,
            prepared.recipient,
        )
    except MailError as exc:
        raise DeliveryError(exc.message, permanent=exc.permanent) from None


def check_sending(config: dict[str, object], data_dir: Path, timeout: float) -> str | None:
    """Connect and log in to the channel's SMTP server, sending nothing: None or the error."""
    try:
        check_smtp(smtp_server(config, timeout), client_context(data_dir))
    except MailError as exc:
        return exc.message
    return None
