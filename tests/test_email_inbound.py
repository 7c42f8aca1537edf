"""Mail arriving in a real dovecot mailbox becomes conversations: threading rules 1-3, mail
sent by programs dropped, restarts that neither repeat nor skip, attachments."""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any

import pytest

from desk.services.channels import email_poller
from desk.store import channel_health as health_store
from tests.email_helpers import compose, make_email_channel, poll
from tests.inbox_helpers import Client, desk_of, listing, messages
from tests.mailservers import Dovecot, Maildir, SmtpRecorder


@pytest.fixture
def channel(
    admin: Client, dovecot: Dovecot, maildir: Maildir, smtp_server: SmtpRecorder
) -> dict[str, Any]:
    return make_email_channel(admin, dovecot, maildir, smtp_server)


def drop(maildir: Maildir, message: EmailMessage) -> None:
    maildir.deliver(message.as_bytes())


def conversations(admin: Client) -> list[dict[str, Any]]:
    return list(listing(admin, status="all", per_page=100)["items"])


def dropped(admin: Client, channel_id: int) -> int:
    with desk_of(admin).db.read() as conn:
        return health_store.get_health(conn, channel_id).dropped


def test_new_email_becomes_a_conversation(
    admin: Client, channel: dict[str, Any], maildir: Maildir
) -> None:
    drop(maildir, compose())
    assert poll(admin, channel["id"]) == 1
    [conversation] = conversations(admin)
    assert conversation["subject"] == "Where is my order?"
    assert conversation["contact"]["name"] == "Grace Hopper"
    assert conversation["contact"]["email"] == "grace@example.com"
    assert conversation["unread_count"] == 1
    [message] = messages(admin, conversation["id"])
    assert message["type"] == "incoming"
    assert message["body"] == "Hello, my order 1042 never arrived."
    assert poll(admin, channel["id"]) == 0  # nothing is read twice


def test_reply_with_in_reply_to_joins_the_thread(
    admin: Client, channel: dict[str, Any], maildir: Maildir
) -> None:
    first = compose()
    drop(maildir, first)
    poll(admin, channel["id"])
    follow_up = compose(
        subject="Re: Where is my order?",
        body="Any news?\n\nOn Mon, 1 Dec 2026 at 09:00, Grace <grace@example.com> wrote:\n> x",
        in_reply_to=str(first["Message-ID"]),
    )
    drop(maildir, follow_up)
    poll(admin, channel["id"])
    [conversation] = conversations(admin)
    bodies = [m["body"] for m in messages(admin, conversation["id"])]
    assert bodies == ["Hello, my order 1042 never arrived.", "Any news?"]


def test_outlook_teammate_case_any_known_id_in_references(
    admin: Client, channel: dict[str, Any], maildir: Maildir
) -> None:
    """A teammate answered from Outlook (not through Desk); the customer replies to that.
    The reply's In-Reply-To is unknown, but References still names the first email."""
    first = compose()
    drop(maildir, first)
    poll(admin, channel["id"])
    outlook = "<AM0PR01MB1234.outlook-teammate@acme.example>"
    drop(
        maildir,
        compose(
            subject="RE: Where is my order?",
            body="Thanks Tom, that helps.",
            in_reply_to=outlook,
            references=[str(first["Message-ID"]), outlook],
        ),
    )
    poll(admin, channel["id"])
    [conversation] = conversations(admin)
    assert len(messages(admin, conversation["id"])) == 2


def test_reply_all_by_a_colleague_joins_as_their_own_contact(
    admin: Client, channel: dict[str, Any], maildir: Maildir
) -> None:
    first = compose()
    drop(maildir, first)
    poll(admin, channel["id"])
    drop(
        maildir,
        compose(
            sender="Ada Lovelace <ada@example.com>",
            subject="Re: Where is my order?",
            body="I am Grace's colleague: it was order 1043, not 1042.",
            in_reply_to=str(first["Message-ID"]),
        ),
    )
    poll(admin, channel["id"])
    [conversation] = conversations(admin)
    assert conversation["contact"]["email"] == "grace@example.com"  # still Grace's
    colleague = messages(admin, conversation["id"])[1]
    assert colleague["sender"]["name"] == "Ada Lovelace"
    contact = admin.get(f"/api/contacts/{colleague['sender']['id']}").json()
    assert contact["email"] == "ada@example.com"


def test_reference_in_subject_threads_only_for_the_contact(
    admin: Client, channel: dict[str, Any], maildir: Maildir
) -> None:
    drop(maildir, compose())
    poll(admin, channel["id"])
    [conversation] = conversations(admin)
    ref = f"[#{conversation['id']}]"
    # The contact, from another mail program that dropped the headers: same conversation.
    drop(maildir, compose(subject=f"Re: Where is my order? {ref}", body="Me again."))
    # Someone else quoting the reference: a conversation of their own.
    drop(
        maildir,
        compose(sender="Mallory <mallory@example.net>", subject=f"Re: {ref}", body="Let me in."),
    )
    poll(admin, channel["id"])
    found = conversations(admin)
    assert len(found) == 2
    assert len(messages(admin, conversation["id"])) == 2
    other = next(c for c in found if c["id"] != conversation["id"])
    assert other["contact"]["email"] == "mallory@example.net"


def test_sender_matched_case_insensitively(
    admin: Client, channel: dict[str, Any], maildir: Maildir
) -> None:
    drop(maildir, compose(sender="Grace <grace@example.com>"))
    drop(maildir, compose(sender="GRACE <Grace@EXAMPLE.com>", subject="Another question"))
    poll(admin, channel["id"])
    found = conversations(admin)
    assert len(found) == 2
    assert {c["contact"]["id"] for c in found} == {found[0]["contact"]["id"]}


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"Precedence": "list"},
        {"X-Autoreply": "yes"},
        {"X-Autorespond": "Out of office"},
    ],
)
def test_mail_sent_by_programs_is_dropped_even_in_a_thread(
    admin: Client, channel: dict[str, Any], maildir: Maildir, headers: dict[str, str]
) -> None:
    first = compose()
    drop(maildir, first)
    poll(admin, channel["id"])
    drop(
        maildir,
        compose(
            subject="Out of office: Where is my order?",
            body="I am away until Monday.",
            in_reply_to=str(first["Message-ID"]),
            headers=headers,
        ),
    )
    drop(maildir, compose(subject="Newsletter", body="Our news", headers=headers))
    poll(admin, channel["id"])
    [conversation] = conversations(admin)
    assert len(messages(admin, conversation["id"])) == 1
    assert dropped(admin, channel["id"]) == 2


def test_mail_from_the_channels_own_address_is_dropped(
    admin: Client, channel: dict[str, Any], maildir: Maildir
) -> None:
    drop(maildir, compose(sender="Acme Support <SUPPORT@acme.example>"))
    poll(admin, channel["id"])
    assert conversations(admin) == []
    assert dropped(admin, channel["id"]) == 1


def test_the_same_email_twice_is_filed_once(
    admin: Client, channel: dict[str, Any], maildir: Maildir
) -> None:
    message = compose()
    drop(maildir, message)
    drop(maildir, message)  # delivered twice (two recipients, a forwarding loop)
    poll(admin, channel["id"])
    [conversation] = conversations(admin)
    assert len(messages(admin, conversation["id"])) == 1


def test_restart_mid_mailbox_neither_repeats_nor_skips(
    admin: Client, own_dovecot: Dovecot, smtp_server: SmtpRecorder
) -> None:
    """The server is killed between two polls; mail arrives while it is down."""
    maildir = own_dovecot.mailbox("restart@example.com")
    channel = make_email_channel(admin, own_dovecot, maildir, smtp_server)
    for n in range(3):
        drop(maildir, compose(subject=f"Question {n}", sender=f"c{n} <c{n}@example.com>"))
    assert poll(admin, channel["id"]) == 3
    own_dovecot.stop()
    for n in range(3, 6):
        drop(maildir, compose(subject=f"Question {n}", sender=f"c{n} <c{n}@example.com>"))
    with pytest.raises(Exception, match="connection refused"):
        poll(admin, channel["id"])
    own_dovecot.start()
    assert poll(admin, channel["id"]) == 3
    subjects = sorted(c["subject"] for c in conversations(admin))
    assert subjects == [f"Question {n}" for n in range(6)]


def test_imap_down_shows_in_health_then_recovers(
    admin: Client, own_dovecot: Dovecot, smtp_server: SmtpRecorder
) -> None:
    maildir = own_dovecot.mailbox("down@example.com")
    channel = make_email_channel(admin, own_dovecot, maildir, smtp_server)
    own_dovecot.stop()
    with pytest.raises(email_poller.MailError):
        poll(admin, channel["id"])
    with desk_of(admin).db.read() as conn:
        record = health_store.get_health(conn, channel["id"])
    assert record.receive_error is not None and "connection refused" in record.receive_error
    own_dovecot.start()
    drop(maildir, compose())
    assert poll(admin, channel["id"]) == 1
    with desk_of(admin).db.read() as conn:
        record = health_store.get_health(conn, channel["id"])
    assert record.receive_ok_at is not None and record.receive_ok_at >= str(record.receive_error_at)


def test_retry_delay_backs_off_to_half_an_hour() -> None:
    delays = [email_poller.retry_delay(n, 60) for n in range(1, 8)]
    assert delays == [60, 120, 240, 480, 960, 1800, 1800]


def test_mail_too_large_to_fetch_is_filed_from_its_header(
    admin: Client, channel: dict[str, Any], maildir: Maildir, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk.services.channels import email_inbound

    monkeypatch.setattr(email_inbound, "MAX_EMAIL_BYTES", 20_000)
    drop(maildir, compose(subject="Small one"))
    big = compose(subject="Huge scan", body="See the scan.")
    big.add_attachment(b"\x00" * 50_000, maintype="application", subtype="pdf", filename="s.pdf")
    drop(maildir, big)
    drop(maildir, compose(subject="After it"))
    assert poll(admin, channel["id"]) == 3
    found = {c["subject"]: c for c in conversations(admin)}
    assert set(found) == {"Small one", "Huge scan", "After it"}
    [message] = messages(admin, found["Huge scan"]["id"])
    assert message["body"].startswith("(This email is 0.1 MB, over Desk's limit of 0 MB")
    assert message["attachments"] == [] and message["email"]["has_original"] is False
    assert message["email"]["from_address"] == "grace@example.com"
