"""Real mail servers on loopback for the email tests.

- `Dovecot`: Debian's dovecot-imapd with a throwaway config under a temporary folder, one
  Maildir per user (any user name logs in with the one password), a plain port (also
  offering STARTTLS) and an implicit-TLS port, both with a certificate the test made.
  Tests drop mail into a Maildir as a mail server would (write into tmp/, rename into new/),
  and can stop and start the server between two polls.
- `SmtpRecorder`: an in-process aiosmtpd server that records what it receives and can be
  told to answer 4xx or 5xx instead.
- `make_certificate`: a self-signed certificate for `localhost` / 127.0.0.1 (openssl).
"""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

MAIL_UID = 65534  # imap refuses to run as root: the Maildirs belong to nobody
PASSWORD = "imap-secret"
SMTP_USER = "desk@example.com"
SMTP_PASSWORD = "smtp-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path


def make_certificate(folder: Path, name: str = "localhost") -> Certificate:
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / f"{name}.pem", folder / f"{name}.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", str(key), "-out", str(cert), "-subj", f"/CN={name}",
            "-addext", f"subjectAltName=DNS:{name},IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return Certificate(cert=cert, key=key)


_CONFIG = """\
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
info_log_path = {base}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
disable_plaintext_auth = no
auth_mechanisms = plain login
# Tests log in wrongly on purpose: no failure delay, and no growing penalty for loopback.
auth_failure_delay = 0
login_trusted_networks = 127.0.0.0/8
default_login_user = dovenull
default_internal_user = dovecot
mail_location = maildir:{base}/mail/%u/Maildir
mailbox_idle_check_interval = 1 secs
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={uid} gid={uid} home={base}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
"""


class Dovecot:
    """One dovecot process; `user(name)` is a fresh mailbox on it."""

    def __init__(self, certificate: Certificate) -> None:
        # A short path: dovecot's unix sockets live under base_dir (108-byte limit).
        self.base = Path(tempfile.mkdtemp(prefix="dv", dir="/tmp"))
        self.base.chmod(0o755)  # the imap processes (uid 65534) walk through it
        self.port = free_port()
        self.tls_port = free_port()
        self.config = self.base / "dovecot.conf"
        self.config.write_text(
            _CONFIG.format(
                base=self.base,
                cert=certificate.cert,
                key=certificate.key,
                password=PASSWORD,
                uid=MAIL_UID,
                port=self.port,
                tls_port=self.tls_port,
            )
        )
        (self.base / "mail").mkdir()
        os.chown(self.base / "mail", MAIL_UID, MAIL_UID)
        self.process: subprocess.Popen[bytes] | None = None
        self._count = 0
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["dovecot", "-F", "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        wait_for_port(self.tls_port)

    def stop(self) -> None:
        """Stop the server (and every imap process it started)."""
        if self.process is None:
            return
        self.process.terminate()
        self.process.wait(15)
        self.process = None
        deadline = time.monotonic() + 15
        while _port_open(self.port) and time.monotonic() < deadline:
            time.sleep(0.05)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)

    def log(self) -> str:
        path = self.base / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def mailbox(self, user: str) -> Maildir:
        return Maildir(self.base / "mail" / user / "Maildir", user)


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class Maildir:
    """A user's Maildir, written the way a mail server delivers."""

    _lock = threading.Lock()
    _counter = 0

    def __init__(self, path: Path, user: str) -> None:
        self.path = path
        self.user = user
        for sub in ("tmp", "new", "cur"):
            (path / sub).mkdir(parents=True, exist_ok=True)
        for folder in (path.parent, path, path / "tmp", path / "new", path / "cur"):
            os.chown(folder, MAIL_UID, MAIL_UID)

    def deliver(self, raw: bytes) -> Path:
        """Write into tmp/, then rename into new/: a reader never sees half a message."""
        with Maildir._lock:
            Maildir._counter += 1
            name = f"{time.time_ns()}.P{os.getpid()}Q{Maildir._counter}.desk-test"
        temporary = self.path / "tmp" / name
        temporary.write_bytes(raw)
        os.chown(temporary, MAIL_UID, MAIL_UID)
        final = self.path / "new" / name
        os.rename(temporary, final)
        return final

    def files(self) -> dict[str, bytes]:
        """Every message file with its bytes (new/ and cur/), to check nothing changed."""
        found = {}
        for sub in ("new", "cur"):
            for item in sorted((self.path / sub).iterdir()):
                found[f"{sub}/{item.name}"] = item.read_bytes()
        return found


# -- SMTP -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    sender: str
    recipients: list[str]
    data: bytes


class SmtpRecorder:
    """aiosmtpd on loopback. `answers` are used up one per DATA; `always` answers every
    DATA while set (a 4xx or 5xx line, say); otherwise the mail is accepted and recorded."""

    def __init__(
        self,
        *,
        tls: str = "none",
        certificate: Certificate | None = None,
        require_auth: bool = True,
    ) -> None:
        self.received: list[Received] = []
        self.answers: deque[str] = deque()
        self.always: str | None = None
        self.logins: list[str] = []
        self.port = free_port()
        kwargs: dict[str, Any] = {
            "authenticator": self._authenticate,
            "auth_required": require_auth,
            "auth_require_tls": False,
        }
        server_context = None
        if certificate is not None:
            server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            server_context.load_cert_chain(certificate.cert, certificate.key)
        if tls == "starttls":
            kwargs["tls_context"] = server_context
            kwargs["require_starttls"] = True
        self.controller = Controller(
            self,
            hostname="127.0.0.1",
            port=self.port,
            ssl_context=server_context if tls == "ssl" else None,
            server_hostname="localhost",
            **kwargs,
        )
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode()
        ok = login == SMTP_USER and auth_data.password.decode() == SMTP_PASSWORD
        if ok:
            self.logins.append(login)
        return AuthResult(success=ok, handled=False)  # not handled: aiosmtpd answers 535

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.answers:
            return self.answers.popleft()
        if self.always:
            return self.always
        data = envelope.original_content or envelope.content
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(data)))
        return "250 2.0.0 Message accepted for delivery"
