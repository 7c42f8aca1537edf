"""The IMAP reader against a real dovecot: TLS modes with a verified self-signed
certificate, UID tracking, a mailbox left exactly as it was, IDLE, and errors in words."""

from __future__ import annotations

import ssl
import threading
import time
from pathlib import Path

import pytest

from desk.mail.errors import MailError
from desk.mail.imap import ImapServer, Mailbox, encode_folder
from desk.mail.tls import client_context
from tests.mailservers import PASSWORD, Dovecot, Maildir, free_port


def simple_mail(n: int) -> bytes:
    return (
        f"From: Grace <grace@example.com>\r\nTo: support@example.com\r\n"
        f"Subject: Order {n}\r\nMessage-ID: <order-{n}@example.com>\r\n\r\nBody {n}\r\n"
    ).encode()


def server_for(dovecot: Dovecot, maildir: Maildir, tls: str = "none", **kw: object) -> ImapServer:
    port = dovecot.tls_port if tls == "ssl" else dovecot.port
    fields: dict[str, object] = {
        "host": "localhost",
        "port": port,
        "user": maildir.user,
        "password": PASSWORD,
        "tls": tls,
        "timeout": 10.0,
    }
    fields.update(kw)
    return ImapServer(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("tls", ["none", "starttls", "ssl"])
def test_mailbox_reads_new_mail_in_every_tls_mode(
    dovecot: Dovecot, maildir: Maildir, trusting_data_dir: Path, tls: str
) -> None:
    for n in (1, 2, 3):
        maildir.deliver(simple_mail(n))
    with Mailbox(server_for(dovecot, maildir, tls), client_context(trusting_data_dir)) as box:
        assert box.uidvalidity > 0
        listed = box.new_uids(0)
        assert [uid for uid, _ in listed] == [1, 2, 3]
        assert all(size > 0 for _, size in listed)
        fetched = box.fetch([uid for uid, _ in listed])
        assert [f.uid for f in fetched] == [1, 2, 3]
        assert b"Subject: Order 2" in fetched[1].raw
        assert box.new_uids(3) == []  # "4:*" names the last message too: it is filtered out


@pytest.mark.parametrize("tls", ["starttls", "ssl"])
def test_untrusted_self_signed_certificate_is_refused_with_advice(
    dovecot: Dovecot, maildir: Maildir, tmp_path: Path, tls: str
) -> None:
    with pytest.raises(MailError) as caught:
        Mailbox(server_for(dovecot, maildir, tls), client_context(tmp_path)).open()
    assert "not trusted" in caught.value.message
    assert "trusted-certs" in caught.value.message


def test_host_name_must_match_the_certificate(
    dovecot: Dovecot, maildir: Maildir, trusting_data_dir: Path
) -> None:
    server = server_for(dovecot, maildir, "ssl", host="127.0.0.2")
    with pytest.raises(MailError) as caught:
        Mailbox(server, client_context(trusting_data_dir)).open()
    assert "not trusted" in caught.value.message or "127.0.0.2" in caught.value.message


def test_mailbox_is_never_modified(dovecot: Dovecot, maildir: Maildir, tmp_path: Path) -> None:
    for n in range(5):
        maildir.deliver(simple_mail(n))
    context = ssl.create_default_context()
    with Mailbox(server_for(dovecot, maildir), context) as box:
        listed = box.new_uids(0)
        box.fetch([uid for uid, _ in listed])
    after_first = maildir.files()
    with Mailbox(server_for(dovecot, maildir), context) as box:
        box.fetch([uid for uid, _ in box.new_uids(0)])
    after = maildir.files()
    assert after == after_first
    assert len(after) == 5
    # No flag was set: a file in cur/ carries its flags after ":2,", and none has S (seen).
    assert all(":2,S" not in name and not name.endswith("S") for name in after)


def test_uids_continue_and_uidvalidity_stays(dovecot: Dovecot, maildir: Maildir) -> None:
    context = ssl.create_default_context()
    maildir.deliver(simple_mail(1))
    with Mailbox(server_for(dovecot, maildir), context) as box:
        validity = box.uidvalidity
        assert [uid for uid, _ in box.new_uids(0)] == [1]
    maildir.deliver(simple_mail(2))
    maildir.deliver(simple_mail(3))
    with Mailbox(server_for(dovecot, maildir), context) as box:
        assert box.uidvalidity == validity
        assert [uid for uid, _ in box.new_uids(1)] == [2, 3]


def test_new_mail_shows_within_one_session(dovecot: Dovecot, maildir: Maildir) -> None:
    with Mailbox(server_for(dovecot, maildir), ssl.create_default_context()) as box:
        assert box.new_uids(0) == []
        maildir.deliver(simple_mail(1))
        assert [uid for uid, _ in box.new_uids(0)] == [1]


def test_idle_returns_when_mail_arrives(dovecot: Dovecot, maildir: Maildir) -> None:
    stop = threading.Event()
    with Mailbox(server_for(dovecot, maildir), ssl.create_default_context()) as box:
        assert box.can_idle
        timer = threading.Timer(0.5, lambda: maildir.deliver(simple_mail(1)))
        timer.start()
        started = time.monotonic()
        box.wait(60, stop)
        timer.join()
        assert time.monotonic() - started < 30  # woke by the mail, not by the 60 s limit
        assert [uid for uid, _ in box.new_uids(0)] == [1]


def test_idle_ends_when_stopped(dovecot: Dovecot, maildir: Maildir) -> None:
    stop = threading.Event()
    with Mailbox(server_for(dovecot, maildir), ssl.create_default_context()) as box:
        threading.Timer(0.2, stop.set).start()
        box.wait(60, stop)
        assert stop.is_set()
        assert box.new_uids(0) == []  # the session is still usable after IDLE


def test_wrong_password_is_a_clear_error(dovecot: Dovecot, maildir: Maildir) -> None:
    server = server_for(dovecot, maildir, password="wrong")
    with pytest.raises(MailError) as caught:
        Mailbox(server, ssl.create_default_context()).open()
    assert "refused the login" in caught.value.message
    assert "wrong" not in caught.value.message


def test_unknown_folder_is_a_clear_error(dovecot: Dovecot, maildir: Maildir) -> None:
    server = server_for(dovecot, maildir, folder="Nope")
    with pytest.raises(MailError) as caught:
        Mailbox(server, ssl.create_default_context()).open()
    assert "Nope" in caught.value.message


def test_server_down_is_a_clear_error(tmp_path: Path) -> None:
    server = ImapServer(host="127.0.0.1", port=free_port(), user="u", password="p", tls="none")
    with pytest.raises(MailError) as caught:
        Mailbox(server, ssl.create_default_context()).open()
    assert "connection refused" in caught.value.message


def test_folder_names_are_quoted_in_modified_utf7() -> None:
    assert encode_folder("INBOX") == '"INBOX"'
    assert encode_folder("Entwürfe") == '"Entw&APw-rfe"'
    assert encode_folder('Tom & "Jerry"') == '"Tom &- \\"Jerry\\""'
