"""Sending against a real SMTP server (aiosmtpd on loopback): the headers a customer's mail
program threads by, TLS modes, and 4xx (temporary) versus 5xx (permanent, server's words)."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest

from desk.mail.compose import (
    Outgoing,
    OutgoingFile,
    build_email,
    new_message_id,
    reply_subject,
    strip_prefixes,
    thread_references,
)
from desk.mail.errors import MailError
from desk.mail.smtp import SmtpServer, check_smtp, send_email
from desk.mail.tls import client_context
from tests.mailservers import SMTP_PASSWORD, SMTP_USER, Certificate, SmtpRecorder, free_port


def outgoing(**changes: object) -> Outgoing:
    fields: dict[str, object] = {
        "from_name": "Acme Support",
        "from_address": "support@acme.example",
        "to_name": "Grace Hopper",
        "to_address": "grace@example.com",
        "subject": "Re: Where is my order? [#12]",
        "body": "Hi Grace,\n\nit ships today. Ünïcode ✓\n\nSam",
        "message_id": "<desk.1@acme.example>",
        "date": datetime(2026, 12, 1, 10, 0, tzinfo=UTC),
        "in_reply_to": "<q2@example.com>",
        "references": ["<q1@example.com>", "<desk.0@acme.example>", "<q2@example.com>"],
    }
    fields.update(changes)
    return Outgoing(**fields)  # type: ignore[arg-type]


def server_for(recorder: SmtpRecorder, tls: str = "none", **kw: object) -> SmtpServer:
    fields: dict[str, object] = {
        "host": "localhost",
        "port": recorder.port,
        "user": SMTP_USER,
        "password": SMTP_PASSWORD,
        "tls": tls,
        "timeout": 10.0,
    }
    fields.update(kw)
    return SmtpServer(**fields)  # type: ignore[arg-type]


def received(recorder: SmtpRecorder, index: int = -1) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(recorder.received[index].data)
    assert isinstance(message, EmailMessage)
    return message


def test_reply_headers_as_the_contract_says(smtp_server: SmtpRecorder) -> None:
    message = build_email(outgoing())
    send_email(
        server_for(smtp_server), ssl.create_default_context(), message,
        "support@acme.example", "grace@example.com",
    )  # fmt: skip
    assert smtp_server.logins == [SMTP_USER]
    envelope = smtp_server.received[0]
    assert envelope.sender == "support@acme.example"
    assert envelope.recipients == ["grace@example.com"]
    got = received(smtp_server)
    assert got["From"] == "Acme Support <support@acme.example>"
    assert got["To"] == "Grace Hopper <grace@example.com>"
    assert got["Subject"] == "Re: Where is my order? [#12]"
    assert got["Message-ID"] == "<desk.1@acme.example>"
    assert got["In-Reply-To"] == "<q2@example.com>"
    assert got["References"] == "<q1@example.com> <desk.0@acme.example> <q2@example.com>"
    assert got["Auto-Submitted"] == "no"
    assert got.get_content_type() == "text/plain"
    assert got.get_content_charset() == "utf-8"
    text = got.get_content().replace("\r\n", "\n")
    assert text == "Hi Grace,\n\nit ships today. Ünïcode ✓\n\nSam\n"


def test_attachments_go_out_as_parts(smtp_server: SmtpRecorder) -> None:
    files = [
        OutgoingFile("invoice.pdf", "application/pdf", b"%PDF-1.4 x"),
        OutgoingFile("März Übersicht.png", "image/png", b"\x89PNG\r\n\x1a\n"),
    ]
    message = build_email(outgoing(attachments=files))
    send_email(
        server_for(smtp_server), ssl.create_default_context(), message,
        "support@acme.example", "grace@example.com",
    )  # fmt: skip
    got = received(smtp_server)
    body = got.get_body(preferencelist=("plain",))
    assert body is not None and "it ships today" in body.get_content()
    parts = [
        (p.get_filename(), p.get_content_type(), p.get_content()) for p in got.iter_attachments()
    ]
    assert parts == [
        ("invoice.pdf", "application/pdf", b"%PDF-1.4 x"),
        ("März Übersicht.png", "image/png", b"\x89PNG\r\n\x1a\n"),
    ]


@pytest.fixture
def tls_smtp(request: pytest.FixtureRequest, certificate: Certificate) -> Iterator[SmtpRecorder]:
    server = SmtpRecorder(tls=request.param, certificate=certificate)
    yield server
    server.stop()


@pytest.mark.parametrize("tls_smtp", ["starttls", "ssl"], indirect=True)
def test_tls_with_a_trusted_self_signed_certificate(
    tls_smtp: SmtpRecorder, trusting_data_dir: Path
) -> None:
    mode = "ssl" if tls_smtp.controller.ssl_context is not None else "starttls"
    send_email(
        server_for(tls_smtp, mode), client_context(trusting_data_dir), build_email(outgoing()),
        "support@acme.example", "grace@example.com",
    )  # fmt: skip
    assert len(tls_smtp.received) == 1
    with pytest.raises(MailError) as caught:  # the same server, without trusting its cert
        check_smtp(server_for(tls_smtp, mode), ssl.create_default_context())
    assert "not trusted" in caught.value.message
    assert not caught.value.permanent


def test_4xx_is_temporary_with_the_servers_words(smtp_server: SmtpRecorder) -> None:
    smtp_server.answers.append("451 4.3.0 Mail server temporarily rejected message")
    with pytest.raises(MailError) as caught:
        send_email(
            server_for(smtp_server), ssl.create_default_context(), build_email(outgoing()),
            "support@acme.example", "grace@example.com",
        )  # fmt: skip
    assert not caught.value.permanent
    assert "451 4.3.0 Mail server temporarily rejected message" in caught.value.message
    assert smtp_server.received == []


def test_5xx_is_permanent_with_the_servers_words(smtp_server: SmtpRecorder) -> None:
    smtp_server.answers.append("550 5.1.1 <grace@example.com>: Recipient address rejected")
    with pytest.raises(MailError) as caught:
        send_email(
            server_for(smtp_server), ssl.create_default_context(), build_email(outgoing()),
            "support@acme.example", "grace@example.com",
        )  # fmt: skip
    assert caught.value.permanent
    assert "550 5.1.1 <grace@example.com>: Recipient address rejected" in caught.value.message


def test_wrong_password_is_permanent_and_never_echoed(smtp_server: SmtpRecorder) -> None:
    with pytest.raises(MailError) as caught:
        check_smtp(server_for(smtp_server, password="hunter2"), ssl.create_default_context())
    assert caught.value.permanent
    assert "refused the login: 535" in caught.value.message
    assert "hunter2" not in caught.value.message


def test_check_sends_nothing(smtp_server: SmtpRecorder) -> None:
    check_smtp(server_for(smtp_server), ssl.create_default_context())
    assert smtp_server.logins == [SMTP_USER]
    assert smtp_server.received == []


def test_server_down_is_temporary() -> None:
    server = SmtpServer(host="127.0.0.1", port=free_port(), user="", password="", tls="none")
    with pytest.raises(MailError) as caught:
        check_smtp(server, ssl.create_default_context())
    assert not caught.value.permanent
    assert "connection refused" in caught.value.message


@pytest.mark.parametrize(
    ("latest", "own", "expected"),
    [
        ("Where is my order?", "ignored", "Re: Where is my order? [#12]"),
        ("Re: Where is my order?", "x", "Re: Where is my order? [#12]"),
        ("RE: Re: AW: Where is my order? [#12]", "x", "Re: Where is my order? [#12]"),
        ("Re[3]: Fwd: Invoice", "x", "Re: Invoice [#12]"),
        ("New question: the invoice", "x", "Re: New question: the invoice [#12]"),
        ("", "x", "Re: [#12]"),
        (None, "Your refund", "Your refund [#12]"),
        (None, "", "Conversation [#12]"),
    ],
)
def test_reply_subject(latest: str | None, own: str, expected: str) -> None:
    assert reply_subject(latest, own, 12) == expected


def test_strip_prefixes_keeps_colons_inside() -> None:
    assert strip_prefixes("Re:  Order:  1042") == "Order: 1042"


def test_references_are_capped_at_twenty_keeping_the_root() -> None:
    ids = [f"<m{i}@x>" for i in range(30)]
    refs = thread_references(ids)
    assert len(refs) == 20
    assert refs[0] == "<m0@x>" and refs[1] == "<m11@x>" and refs[-1] == "<m29@x>"
    assert thread_references(["<a@x>", "<a@x>", "<b@x>"]) == ["<a@x>", "<b@x>"]


def test_message_ids_are_new_and_on_the_senders_domain() -> None:
    first, second = new_message_id("support@acme.example"), new_message_id("support@acme.example")
    assert first != second
    assert first.startswith("<desk.") and first.endswith("@acme.example>")
