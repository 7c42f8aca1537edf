"""Connection failures in words an admin can act on (no addresses of ours, no secrets)."""

from __future__ import annotations

import imaplib
import smtplib
import socket


def connection_problem(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused (is the server running, and is the port right?)"
    if isinstance(exc, TimeoutError | socket.timeout):
        return "no answer in time"
    if isinstance(exc, socket.gaierror):
        return "unknown host name"
    if isinstance(exc, smtplib.SMTPServerDisconnected | imaplib.IMAP4.abort | EOFError):
        return "the server closed the connection"
    if isinstance(exc, ConnectionError):
        return "the connection was lost"
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return " ".join(str(text).split())[:200]
