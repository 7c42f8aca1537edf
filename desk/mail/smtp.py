"""Sending over SMTP (smtplib), TLS as the channel says: `ssl` (implicit TLS, port 465),
`starttls` (port 587) or `none`, certificates verified.

The outcome is what the delivery queue needs: a 5xx answer is permanent (MailError with
`permanent=True` and the server's own words); a 4xx answer, a refused or dropped connection
and a TLS failure are temporary, to be retried.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage

from desk.mail.errors import MailError
from desk.mail.net import connection_problem
from desk.mail.tls import describe_tls_error

TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    user: str
    password: str
    tls: str  # "ssl", "starttls" or "none"
    timeout: float = TIMEOUT_SECONDS

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def send_email(
    server: SmtpServer, context: ssl.SSLContext, message: EmailMessage, sender: str, to: str
) -> None:
    """Hand one email to the server; raise MailError unless it accepted it."""
    with _session(server, context) as smtp:
        smtp.send_message(message, from_addr=sender, to_addrs=[to])


def check_smtp(server: SmtpServer, context: ssl.SSLContext) -> None:
    """Connect, start TLS and log in as configured; send nothing."""
    with _session(server, context):
        pass


@contextmanager
def _session(server: SmtpServer, context: ssl.SSLContext) -> Iterator[smtplib.SMTP]:
    try:
        smtp = _connect(server, context)
        try:
            if server.user:
                smtp.login(server.user, server.password)
            yield smtp
        finally:
            _quit(smtp)
    except MailError:
        raise
    except smtplib.SMTPRecipientsRefused as exc:
        code, text = next(iter(exc.recipients.values()), (550, b"recipient refused"))
        raise _answer(server, code, text) from None
    except smtplib.SMTPResponseException as exc:
        raise _answer(server, exc.smtp_code, exc.smtp_error) from None
    except smtplib.SMTPNotSupportedError as exc:
        raise MailError(f"The SMTP server at {server.where} does not support {exc}.") from None
    except ssl.SSLError as exc:
        raise MailError(describe_tls_error(exc, server.host)) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(f"SMTP server {server.where}: {connection_problem(exc)}.") from None


def _connect(server: SmtpServer, context: ssl.SSLContext) -> smtplib.SMTP:
    if server.tls == "ssl":
        return smtplib.SMTP_SSL(server.host, server.port, timeout=server.timeout, context=context)
    smtp = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
    if server.tls == "starttls":
        try:
            smtp.starttls(context=context)
        except BaseException:
            smtp.close()
            raise
    return smtp


def _quit(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def _answer(server: SmtpServer, code: int, text: bytes | str) -> MailError:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    words = " ".join(words.split())[:500]
    what = "refused the login" if code in (534, 535) else "answered"
    message = f"The SMTP server at {server.where} {what}: {code} {words}".rstrip(" .")
    return MailError(message + ".", permanent=500 <= code < 600)
