"""Reading one IMAP folder (imaplib), never changing it.

The folder is opened with EXAMINE (read-only) and mail is fetched with `BODY.PEEK[]`, so no
flag is set and nothing is moved or deleted: the mailbox stays exactly as the team's mail
program left it. New mail is found by UID: the caller remembers the folder's UIDVALIDITY and
the highest UID it has taken, and asks for what came after. Where the server offers IDLE,
`wait` returns as soon as mail arrives; elsewhere it simply waits.
"""

from __future__ import annotations

import base64
import imaplib
import re
import select
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from desk.mail.errors import MailError
from desk.mail.net import connection_problem
from desk.mail.tls import describe_tls_error

TIMEOUT_SECONDS = 30.0
BATCH_COUNT = 100
BATCH_BYTES = 16 * 1024 * 1024
IDLE_MAX_SECONDS = 25 * 60  # RFC 2177: re-issue IDLE at least every 29 minutes
_UID = re.compile(rb"\bUID (\d+)")
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")


@dataclass(frozen=True)
class ImapServer:
    host: str
    port: int
    user: str
    password: str
    tls: str  # "ssl", "starttls" or "none"
    folder: str = "INBOX"
    timeout: float = TIMEOUT_SECONDS

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class FetchedEmail:
    uid: int
    raw: bytes


class Mailbox:
    """A read-only session on one folder. Use as a context manager, or `open`/`close`."""

    def __init__(self, server: ImapServer, context: ssl.SSLContext) -> None:
        self.server = server
        self.context = context
        self.uidvalidity = 0
        self.can_idle = False
        self._conn: imaplib.IMAP4 | None = None
        self._idle_tags = 0

    def __enter__(self) -> Mailbox:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    def open(self) -> None:
        """Connect, log in and EXAMINE the folder; MailError says what failed."""
        with self._errors():
            conn = self._connect()
            self._conn = conn
            self._login(conn)
            self.can_idle = "IDLE" in conn.capabilities
            status, data = conn.select(encode_folder(self.server.folder), readonly=True)
            if status != "OK":
                raise MailError(
                    f"The IMAP server has no folder {self.server.folder!r} ({_words(data)}).",
                )
            self.uidvalidity = _uidvalidity(conn)

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        with suppress(imaplib.IMAP4.error, OSError, EOFError):
            conn.logout()  # never CLOSE: it would expunge in a read-write session

    def new_uids(self, after_uid: int) -> list[tuple[int, int]]:
        """(uid, size) of every message with a UID above `after_uid`, oldest first."""
        conn = self._require()
        with self._errors():
            conn.noop()  # lets servers that only look at the folder between commands see new mail
            status, data = conn.uid("FETCH", f"{after_uid + 1}:*", "(UID RFC822.SIZE)")
        if status != "OK":
            raise MailError(f"The IMAP server refused to list mail ({_words(data)}).")
        found: dict[int, int] = {}
        for item in data:
            line = item[0] if isinstance(item, tuple) else item
            if not isinstance(line, bytes):
                continue
            uid, size = _UID.search(line), _SIZE.search(line)
            if uid and int(uid.group(1)) > after_uid:  # "n:*" also names the last message
                found[int(uid.group(1))] = int(size.group(1)) if size else 0
        return sorted(found.items())

    def fetch(self, uids: list[int]) -> list[FetchedEmail]:
        """The raw bytes of these messages, in UID order (without setting \\Seen)."""
        if not uids:
            return []
        conn = self._require()
        with self._errors():
            status, data = conn.uid("FETCH", ",".join(map(str, uids)), "(UID BODY.PEEK[])")
        if status != "OK":
            raise MailError(f"The IMAP server refused to fetch mail ({_words(data)}).")
        return sorted(_fetched(data), key=lambda item: item.uid)

    def fetch_headers(self, uid: int) -> bytes:
        """Only the header of one message (for mail too large to fetch whole)."""
        conn = self._require()
        with self._errors():
            status, data = conn.uid("FETCH", str(uid), "(UID BODY.PEEK[HEADER])")
        found = [item for item in _fetched(data) if item.uid == uid] if status == "OK" else []
        if not found:
            raise MailError(f"The IMAP server did not return the header of message {uid}.")
        return found[0].raw

    def batches(self, listed: list[tuple[int, int]]) -> Iterator[list[int]]:
        """UIDs in groups small enough to fetch in one command."""
        group: list[int] = []
        size = 0
        for uid, length in listed:
            if group and (len(group) >= BATCH_COUNT or size + length > BATCH_BYTES):
                yield group
                group, size = [], 0
            group.append(uid)
            size += length
        if group:
            yield group

    def wait(self, seconds: float, stop: threading.Event) -> None:
        """Until mail arrives (IDLE), `seconds` pass or `stop` is set."""
        if not self.can_idle:
            stop.wait(seconds)
            return
        conn = self._require()
        with self._errors():
            self._idle(conn, min(seconds, IDLE_MAX_SECONDS), stop)

    # -- inside ---------------------------------------------------------------------------

    def _connect(self) -> imaplib.IMAP4:
        server = self.server
        if server.tls == "ssl":
            return imaplib.IMAP4_SSL(
                server.host, server.port, ssl_context=self.context, timeout=server.timeout
            )
        conn = imaplib.IMAP4(server.host, server.port, timeout=server.timeout)
        if server.tls == "starttls":
            self._conn = conn  # closed by _errors if STARTTLS fails
            conn.starttls(ssl_context=self.context)
        return conn

    def _login(self, conn: imaplib.IMAP4) -> None:
        user, password = self.server.user, self.server.password
        try:
            if (user + password).isascii():
                conn.login(user, password)
            else:  # LOGIN is ASCII only; SASL PLAIN carries UTF-8
                plain = f"\0{user}\0{password}".encode()
                conn.authenticate("PLAIN", lambda _challenge: plain)
        except imaplib.IMAP4.abort:
            raise
        except imaplib.IMAP4.error as exc:
            raise MailError(
                f"The IMAP server at {self.server.where} refused the login"
                f" ({_words(list(exc.args))})."
            ) from None

    def _idle(self, conn: imaplib.IMAP4, seconds: float, stop: threading.Event) -> None:
        self._idle_tags += 1
        tag = f"DESKIDLE{self._idle_tags}".encode()
        conn.send(tag + b" IDLE\r\n")
        if not conn.readline().startswith(b"+"):
            raise MailError("The IMAP server refused IDLE.")
        sock = conn.socket()
        deadline = time.monotonic() + seconds
        changed = False
        while not changed and not stop.is_set() and time.monotonic() < deadline:
            if _buffered(conn, sock) or select.select([sock], [], [], 1.0)[0]:
                line = conn.readline()
                if not line:
                    raise EOFError("connection closed")
                changed = b"EXISTS" in line
        conn.send(b"DONE\r\n")
        while True:  # the untagged lines up to IDLE's own completion
            line = conn.readline()
            if not line:
                raise EOFError("connection closed")
            if line.startswith(tag):
                return

    def _require(self) -> imaplib.IMAP4:
        if self._conn is None:
            raise MailError("The IMAP connection is not open.")
        return self._conn

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Any failure as a MailError in an admin's words; the connection is dropped."""
        where = self.server.where
        try:
            yield
        except MailError:
            self.close_quietly()
            raise
        except ssl.SSLError as exc:
            self.close_quietly()
            raise MailError(describe_tls_error(exc, self.server.host)) from None
        except (imaplib.IMAP4.abort, OSError, EOFError) as exc:
            self.close_quietly()
            raise MailError(f"IMAP server {where}: {connection_problem(exc)}.") from None
        except imaplib.IMAP4.error as exc:
            self.close_quietly()
            raise MailError(f"IMAP server {where}: {_words(list(exc.args))}.") from None

    def close_quietly(self) -> None:
        """Drop the connection without a LOGOUT (it is broken or half-open)."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        with suppress(OSError, EOFError, imaplib.IMAP4.error):
            conn.shutdown()


def _buffered(conn: imaplib.IMAP4, sock: socket.socket) -> bool:
    """Bytes already read from the socket but not yet consumed (TLS records, or imaplib's
    own buffer: an EXISTS that came in one packet with "+ idling"), which select() cannot
    see. Looked at without blocking."""
    if isinstance(sock, ssl.SSLSocket) and sock.pending() > 0:
        return True
    peek = getattr(conn.file, "peek", None)
    if peek is None:
        return False
    timeout = sock.gettimeout()
    try:
        sock.settimeout(0.0)
        return bool(peek(1))
    except (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
        return False
    finally:
        sock.settimeout(timeout)


def encode_folder(name: str) -> str:
    """A folder name as an IMAP quoted string, in modified UTF-7 (RFC 3501 5.1.3)."""
    out: list[str] = []
    wide: list[str] = []

    def flush() -> None:
        if wide:
            encoded = base64.b64encode("".join(wide).encode("utf-16-be")).decode()
            out.append("&" + encoded.rstrip("=").replace("/", ",") + "-")
            wide.clear()

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            wide.append(char)
    flush()
    text = "".join(out).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def _uidvalidity(conn: imaplib.IMAP4) -> int:
    _, data = conn.response("UIDVALIDITY")
    for item in data or []:
        if isinstance(item, bytes) and item.strip().isdigit():
            return int(item)
    raise MailError("The IMAP server did not say the folder's UIDVALIDITY.")


def _fetched(data: list[object]) -> Iterator[FetchedEmail]:
    """Pair each literal with its UID, wherever the server put `UID n` in the response."""
    for index, item in enumerate(data):
        if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes)):
            continue
        head = item[0] if isinstance(item[0], bytes) else b""
        found = _UID.search(head)
        if found is None and index + 1 < len(data):
            tail = data[index + 1]
            found = _UID.search(tail) if isinstance(tail, bytes) else None
        if found is not None:
            yield FetchedEmail(uid=int(found.group(1)), raw=item[1])


def _words(data: object) -> str:
    """The server's own words from a response, short and printable."""
    items = data if isinstance(data, list) else [data]
    parts = []
    for item in items:
        text = item.decode("utf-8", "replace") if isinstance(item, bytes) else str(item)
        parts.append(text)
    return " ".join(" ".join(parts).split())[:300] or "no reason given"
