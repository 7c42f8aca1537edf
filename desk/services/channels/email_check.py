"""`POST /api/channels/{id}/check`: "Test connection" for an email channel. Logs in to IMAP
and opens the folder, and connects and logs in to SMTP, side by side; sends nothing and
changes nothing (the channel's health is the pollers' and the queue's to tell)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from desk.errors import Invalid, NotFound
from desk.mail.errors import MailError
from desk.mail.imap import Mailbox
from desk.mail.tls import client_context
from desk.models.channels import ConnectionCheck, SideCheck
from desk.services.channels import email_outbound, email_poller
from desk.services.desk import Desk
from desk.store import channels as channels_store

CHECK_TIMEOUT_SECONDS = 15.0


def check_channel(desk: Desk, channel_id: int) -> ConnectionCheck:
    with desk.db.read() as conn:
        channel = channels_store.get_channel(conn, channel_id)
    if channel is None:
        raise NotFound(f"Channel {channel_id} not found.", code="channel_not_found")
    if channel.type != "email":
        raise Invalid("Only email channels have connections to test.")
    with ThreadPoolExecutor(2, "desk-check") as pool:
        imap = pool.submit(_check_imap, desk, channel.config)
        smtp = pool.submit(_check_smtp, desk, channel.config)
        return ConnectionCheck(imap=imap.result(), smtp=smtp.result())


def _check_imap(desk: Desk, config: dict[str, object]) -> SideCheck:
    server = email_poller.imap_server(config, CHECK_TIMEOUT_SECONDS)
    box = Mailbox(server, client_context(desk.settings.data_dir))
    try:
        box.open()
    except MailError as exc:
        return SideCheck(ok=False, error=exc.message)
    finally:
        box.close()
    return SideCheck(ok=True)


def _check_smtp(desk: Desk, config: dict[str, object]) -> SideCheck:
    error = email_outbound.check_sending(config, desk.settings.data_dir, CHECK_TIMEOUT_SECONDS)
    return SideCheck(ok=error is None, error=error)
