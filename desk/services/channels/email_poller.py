"""A poller per active email channel: a thread that reads new mail from the channel's IMAP
folder, files each email (`email_inbound`), then waits `poll_seconds` (or less: IDLE wakes it
when mail arrives) and reads again.

- Started within seconds when a channel is created or activated, restarted at once with the
  new settings when its config changes (`wake`), stopped when it is deactivated or deleted.
- A server that is down or refuses the login is written to the channel's health and retried
  with a growing wait (`retry_delay`), never more often than every `poll_seconds`; each
  channel has its own thread, so one dead server never holds up another channel.
- An email that cannot be filed (a bug, a full disk) is tried again on the next round; after
  POISON_ATTEMPTS it is passed over (logged and counted as dropped), so one mail cannot stop
  a mailbox for good.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from dataclasses import dataclass, field

from desk.mail.errors import MailError
from desk.mail.imap import TIMEOUT_SECONDS, ImapServer, Mailbox
from desk.mail.tls import client_context
from desk.models.channels import ChannelRecord
from desk.services.channels import email_inbound
from desk.services.desk import Desk
from desk.store import channel_health as health_store
from desk.store import channels as channels_store
from desk.store import emails as emails_store
from desk.store.db import DatabaseError
from desk.store.emails import Cursor

log = logging.getLogger("desk.mail")

MAX_RETRY_SECONDS = 1800.0
POISON_ATTEMPTS = 3


def imap_server(config: dict[str, object], timeout: float = TIMEOUT_SECONDS) -> ImapServer:
    return ImapServer(
        host=str(config["imap_host"]),
        port=int(str(config["imap_port"])),
        user=str(config.get("imap_user") or ""),
        password=str(config.get("imap_password") or ""),
        tls=str(config.get("imap_tls") or "ssl"),
        folder=str(config.get("imap_folder") or "INBOX"),
        timeout=timeout,
    )


def mailbox_identity(server: ImapServer) -> str:
    """Which mailbox a cursor belongs to: another one starts from its first message."""
    return f"{server.user}@{server.host}:{server.port}/{server.folder}"


def retry_delay(failures: int, poll_seconds: float) -> float:
    """The wait after the n-th failure in a row: poll_seconds, doubling, at most 30 minutes."""
    return float(min(poll_seconds * 2 ** max(failures - 1, 0), MAX_RETRY_SECONDS))


# -- one round --------------------------------------------------------------------------------


class FilingFailed(Exception):
    """Filing the email with this UID raised: the cursor stays before it."""

    def __init__(self, uid: int, cursor: Cursor) -> None:
        super().__init__(f"filing UID {uid} failed")
        self.uid = uid
        self.cursor = cursor


def poll_once(desk: Desk, channel: ChannelRecord, box: Mailbox, stop: threading.Event) -> int:
    """File every email that came after the channel's cursor; returns how many were read."""
    identity = mailbox_identity(box.server)
    with desk.db.read() as conn:
        cursor = emails_store.get_cursor(conn, channel.id)
    start = 0
    if cursor is not None and (cursor.mailbox, cursor.uidvalidity) == (identity, box.uidvalidity):
        start = cursor.last_uid
    elif cursor is not None:
        log.info("channel %s: new mailbox or UIDVALIDITY, read from its start", channel.id)
    listed = box.new_uids(start)
    sizes = dict(listed)
    limit = email_inbound.MAX_EMAIL_BYTES
    read = 0
    # Mail over the limit is not fetched whole: only its header (see mail_inbound).
    for batch in box.batches([(uid, min(size, limit)) for uid, size in listed]):
        whole = [uid for uid in batch if sizes[uid] <= limit]
        fetched = {item.uid: item.raw for item in box.fetch(whole)}
        for uid in batch:
            if stop.is_set():
                return read
            oversize = sizes[uid] if sizes[uid] > limit else None
            raw = box.fetch_headers(uid) if oversize else fetched.get(uid)
            if raw is None:
                continue  # expunged between listing and fetching
            moved = Cursor(mailbox=identity, uidvalidity=box.uidvalidity, last_uid=uid)
            try:
                email_inbound.ingest_email(desk, channel, raw, moved, oversize=oversize)
            except DatabaseError:
                raise
            except Exception as exc:
                raise FilingFailed(uid, moved) from exc
            read += 1
    return read


def poll_now(desk: Desk, channel_id: int) -> int:
    """One round for one channel in this thread (connect, read, disconnect), its outcome in
    the channel's health; returns how many emails were read. MailError says what failed."""
    with desk.db.read() as conn:
        channel = channels_store.get_channel(conn, channel_id)
    if channel is None or channel.type != "email":
        raise MailError(f"Channel {channel_id} is not an email channel.")
    box = Mailbox(imap_server(channel.config), client_context(desk.settings.data_dir))
    try:
        box.open()
        read = poll_once(desk, channel, box, threading.Event())
    except MailError as exc:
        _note(desk, channel_id, exc.message)
        raise
    finally:
        box.close()
    _note(desk, channel_id, None)
    return read


def _note(desk: Desk, channel_id: int, error: str | None) -> None:
    """The receiving side's outcome in the channel's health."""
    now = desk.now_iso()
    with desk.db.write() as conn:
        if error is None:
            health_store.note_success(conn, channel_id, "receive", now)
        else:
            log.warning("channel %s: %s", channel_id, error)
            health_store.note_failure(conn, channel_id, "receive", error, now)


def pass_over(desk: Desk, channel_id: int, cursor: Cursor) -> None:
    """Move the cursor past an email that cannot be filed, and count it as dropped."""
    with desk.db.write() as conn:
        emails_store.set_cursor(conn, channel_id, cursor)
        health_store.add_dropped(conn, channel_id)


# -- the thread -------------------------------------------------------------------------------


@dataclass
class _Poller:
    desk: Desk
    channel_id: int
    stop: threading.Event = field(default_factory=threading.Event)
    wakeup: threading.Event = field(default_factory=threading.Event)
    restart: bool = False  # the config changed: reconnect and forget the failures
    thread: threading.Thread | None = None
    box: Mailbox | None = None
    failures: int = 0
    poison: tuple[int, int] = (0, 0)  # (uid, attempts) of an email that failed to file

    def start(self) -> None:
        self.thread = threading.Thread(
            target=self._run, name=f"desk-mail-{self.channel_id}", daemon=True
        )
        self.thread.start()

    def wake(self, *, restart: bool) -> None:
        self.restart = self.restart or restart
        self.wakeup.set()

    def halt(self) -> None:
        self.stop.set()
        self.wakeup.set()

    def alive(self) -> bool:
        return self.thread is not None and self.thread.is_alive() and not self.stop.is_set()

    def _run(self) -> None:
        try:
            while not self.stop.is_set():
                channel = self._channel()
                if channel is None:
                    return
                wait = self._round(channel)
                if not self.stop.is_set():
                    self._wait(wait)
        except (DatabaseError, sqlite3.ProgrammingError):
            return  # the database was closed: Desk is shutting down
        except Exception:
            log.exception("the email poller of channel %s stopped", self.channel_id)
        finally:
            self._disconnect()

    def _channel(self) -> ChannelRecord | None:
        with self.desk.db.read() as conn:
            channel = channels_store.get_channel(conn, self.channel_id)
        if channel is None or not channel.active or channel.type != "email":
            self.stop.set()
            return None
        return channel

    def _round(self, channel: ChannelRecord) -> float:
        """Read the mailbox once; returns how long to wait before the next round."""
        poll_seconds = float(channel.config.get("poll_seconds") or 60)
        if self.restart:
            self.restart, self.failures = False, 0
            self._disconnect()
        self.wakeup.clear()
        try:
            self._read(channel)
        except MailError as exc:
            self._disconnect()
            self.failures += 1
            _note(self.desk, channel.id, exc.message)
            return retry_delay(self.failures, poll_seconds)
        self.failures = 0
        _note(self.desk, channel.id, None)
        return poll_seconds

    def _read(self, channel: ChannelRecord) -> None:
        if self.box is None or not self.box.is_open:
            server = imap_server(channel.config)
            self.box = Mailbox(server, client_context(self.desk.settings.data_dir))
            self.box.open()
        try:
            poll_once(self.desk, channel, self.box, self.stop)
        except FilingFailed as failed:
            log.exception("channel %s: filing the email with UID %s failed", channel.id, failed.uid)
            self._count_poison(channel, failed)
            raise MailError(
                f"The email with UID {failed.uid} could not be filed (see the server log);"
                " it will be tried again."
            ) from None

    def _count_poison(self, channel: ChannelRecord, failed: FilingFailed) -> None:
        uid, attempts = self.poison
        attempts = attempts + 1 if uid == failed.uid else 1
        self.poison = (failed.uid, attempts)
        if attempts >= POISON_ATTEMPTS:
            log.error("channel %s: passing over the email with UID %s", channel.id, failed.uid)
            pass_over(self.desk, channel.id, failed.cursor)
            self.poison = (0, 0)

    def _wait(self, seconds: float) -> None:
        box = self.box
        if box is None or not box.is_open:
            self.wakeup.wait(seconds)
            return
        try:
            box.wait(seconds, self.wakeup)
        except MailError:
            self._disconnect()  # the next round reconnects and says what is wrong

    def _disconnect(self) -> None:
        box, self.box = self.box, None
        if box is not None:
            box.close()


# -- every channel's poller ------------------------------------------------------------------


class _Pollers:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running: dict[int, _Poller] = {}


def _pollers(desk: Desk) -> _Pollers:
    return desk.shared("mail.pollers", _Pollers)


def ensure_pollers(desk: Desk) -> None:
    """The background job: a live poller for every active email channel, none for others."""
    with desk.db.read() as conn:
        wanted = set(channels_store.active_channel_ids(conn, "email"))
    pollers = _pollers(desk)
    with pollers.lock:
        for channel_id, poller in list(pollers.running.items()):
            if channel_id not in wanted or not poller.alive():
                poller.halt()
                del pollers.running[channel_id]
        for channel_id in wanted - set(pollers.running):
            poller = _Poller(desk, channel_id)
            pollers.running[channel_id] = poller
            poller.start()


def channel_changed(desk: Desk, channel_id: int) -> None:
    """A channel was created, changed or deleted: start, restart or stop its poller now
    (where this Desk runs its background work)."""
    if not desk.settings.background_tasks:
        return
    pollers = _pollers(desk)
    with pollers.lock:
        poller = pollers.running.get(channel_id)
    if poller is not None:
        poller.wake(restart=True)
    ensure_pollers(desk)


def stop_all(desk: Desk) -> None:
    pollers = _pollers(desk)
    with pollers.lock:
        running, pollers.running = list(pollers.running.values()), {}
    for poller in running:
        poller.halt()
    for poller in running:
        if poller.thread is not None:
            poller.thread.join(timeout=5)
