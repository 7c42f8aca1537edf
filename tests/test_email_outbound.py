"""Replies leave by SMTP (aiosmtpd) and the customer's answers come back through IMAP
(dovecot): one thread on both sides, bounces, retries, and no answers to machines."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import pytest

from desk.models.timestamps import parse_iso
from desk.services import automation_engine
from desk.store import outbox as outbox_store
from tests.conftest import FakeClock
from tests.email_helpers import (
    SUPPORT,
    compose,
    deliver_queue,
    make_email_channel,
    parse,
    poll,
    reply_from_customer,
)
from tests.inbox_helpers import Client, desk_of, listing, messages
from tests.mailservers import Dovecot, Maildir, SmtpRecorder


@pytest.fixture
def channel(
    admin: Client, dovecot: Dovecot, maildir: Maildir, smtp_server: SmtpRecorder
) -> dict[str, Any]:
    return make_email_channel(admin, dovecot, maildir, smtp_server)


def conversations(admin: Client) -> list[dict[str, Any]]:
    return list(listing(admin, status="all", per_page=100)["items"])


def agent_replies(admin: Client, conversation_id: int, body: str) -> dict[str, Any]:
    response = admin.post(f"/api/conversations/{conversation_id}/messages", json={"body": body})
    assert response.status_code == 201, response.text
    return dict(response.json())


def delivery_of(admin: Client, conversation_id: int, message_id: int) -> dict[str, Any]:
    found = [m for m in messages(admin, conversation_id) if m["id"] == message_id]
    return dict(found[0]["delivery"])


def last_sent(smtp: SmtpRecorder) -> EmailMessage:
    return parse(smtp.received[-1].data)


def test_five_emails_back_and_forth_stay_one_thread(
    admin: Client, channel: dict[str, Any], maildir: Maildir, smtp_server: SmtpRecorder
) -> None:
    first = compose()
    maildir.deliver(first.as_bytes())
    poll(admin, channel["id"])
    [conversation] = conversations(admin)
    cid = conversation["id"]
    customer_ids = [str(first["Message-ID"])]
    for turn in range(2):
        agent_replies(admin, cid, f"Agent answer {turn}")
        assert deliver_queue(admin) == 1
        sent = last_sent(smtp_server)
        assert sent["From"] == f"Acme Support <{SUPPORT}>"
        assert sent["To"] == "Grace Hopper <grace@example.com>"
        assert sent["Subject"] == f"Re: Where is my order? [#{cid}]"  # never Re: Re:
        assert sent["In-Reply-To"] == customer_ids[-1]
        references = str(sent["References"]).split()
        assert references[0] == customer_ids[0] and customer_ids[-1] in references
        assert sent.get_content().replace("\r\n", "\n") == f"Agent answer {turn}\n"
        answer = reply_from_customer(sent, f"Customer answer {turn}")
        customer_ids.append(str(answer["Message-ID"]))
        maildir.deliver(answer.as_bytes())
        poll(admin, channel["id"])
    assert [c["id"] for c in conversations(admin)] == [cid]
    thread = [(m["type"], m["body"]) for m in messages(admin, cid)]
    assert thread == [
        ("incoming", "Hello, my order 1042 never arrived."),
        ("outgoing", "Agent answer 0"),
        ("incoming", "Customer answer 0"),
        ("outgoing", "Agent answer 1"),
        ("incoming", "Customer answer 1"),
    ]
    assert len(smtp_server.received) == 2
    assert len({parse(r.data)["Message-ID"] for r in smtp_server.received}) == 2


def test_agent_started_conversation_threads_back(
    admin: Client, channel: dict[str, Any], maildir: Maildir, smtp_server: SmtpRecorder
) -> None:
    response = admin.post(
        "/api/conversations",
        json={
            "channel_id": channel["id"],
            "contact": {"name": "Grace Hopper", "email": "grace@example.com"},
            "subject": "Your refund",
            "message": "Hi Grace, we refunded order 1042.",
            "message_type": "outgoing",
        },
    )
    assert response.status_code == 201, response.text
    cid = response.json()["id"]
    deliver_queue(admin)
    sent = last_sent(smtp_server)
    assert sent["Subject"] == f"Your refund [#{cid}]"
    assert sent["In-Reply-To"] is None and sent["References"] is None
    maildir.deliver(reply_from_customer(sent, "Thank you!").as_bytes())
    poll(admin, channel["id"])
    assert [c["id"] for c in conversations(admin)] == [cid]
    assert [m["body"] for m in messages(admin, cid)][-1] == "Thank you!"


def test_subject_change_is_followed(
    admin: Client, channel: dict[str, Any], maildir: Maildir, smtp_server: SmtpRecorder
) -> None:
    first = compose()
    maildir.deliver(first.as_bytes())
    poll(admin, channel["id"])
    [conversation] = conversations(admin)
    maildir.deliver(
        compose(
            subject="RE: New question: the invoice",
            body="Also, can I get an invoice?",
            in_reply_to=str(first["Message-ID"]),
        ).as_bytes()
    )
    poll(admin, channel["id"])
    agent_replies(admin, conversation["id"], "Attached.")
    deliver_queue(admin)
    assert last_sent(smtp_server)["Subject"] == (
        f"Re: New question: the invoice [#{conversation['id']}]"
    )


def test_bounce_marks_the_reply_failed_and_opens_nothing(
    admin: Client, channel: dict[str, Any], maildir: Maildir, smtp_server: SmtpRecorder
) -> None:
    maildir.deliver(compose().as_bytes())
    poll(admin, channel["id"])
    [conversation] = conversations(admin)
    reply = agent_replies(admin, conversation["id"], "We will call you.")
    deliver_queue(admin)
    assert delivery_of(admin, conversation["id"], reply["id"])["status"] == "sent"
    sent_id = str(last_sent(smtp_server)["Message-ID"])
    bounce = (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\r\n"
        f"To: {SUPPORT}\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <bounce-1@mx.example.com>\r\nAuto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
        "Final-Recipient: rfc822; grace@example.com\r\nAction: failed\r\nStatus: 5.2.2\r\n"
        "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\r\n\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {sent_id}\r\nSubject: Re: Where is my order?\r\n\r\n--B--\r\n"
    )
    maildir.deliver(bounce.encode())
    poll(admin, channel["id"])
    state = delivery_of(admin, conversation["id"], reply["id"])
    assert state["status"] == "failed"
    assert state["error"] == (
        "The recipient's mail server returned it: grace@example.com: 552 5.2.2 Mailbox full"
    )
    assert len(conversations(admin)) == 1
    assert len(messages(admin, conversation["id"])) == 2


def test_smtp_4xx_is_retried_then_sent(
    admin: Client,
    channel: dict[str, Any],
    maildir: Maildir,
    smtp_server: SmtpRecorder,
    clock: FakeClock,
) -> None:
    maildir.deliver(compose().as_bytes())
    poll(admin, channel["id"])
    [conversation] = conversations(admin)
    smtp_server.answers.append("451 4.7.1 Greylisted, try again later")
    reply = agent_replies(admin, conversation["id"], "On its way.")
    deliver_queue(admin)
    state = delivery_of(admin, conversation["id"], reply["id"])
    assert state["status"] == "queued"
    assert "451 4.7.1 Greylisted, try again later" in state["error"]
    with desk_of(admin).db.read() as conn:
        item = outbox_store.get_item(conn, reply["id"])
    assert item is not None
    assert parse_iso(item.next_attempt_at) - clock.now <= timedelta(seconds=10)
    assert deliver_queue(admin) == 0  # not due yet
    clock.advance(seconds=10)
    assert deliver_queue(admin) == 1
    assert delivery_of(admin, conversation["id"], reply["id"]) == {
        "status": "sent",
        "error": None,
        "dismissed_at": None,
    }
    assert len(smtp_server.received) == 1


def test_smtp_5xx_fails_with_the_servers_words(
    admin: Client, channel: dict[str, Any], maildir: Maildir, smtp_server: SmtpRecorder
) -> None:
    maildir.deliver(compose().as_bytes())
    poll(admin, channel["id"])
    [conversation] = conversations(admin)
    smtp_server.answers.append("554 5.7.1 Message rejected as spam")
    reply = agent_replies(admin, conversation["id"], "Buy now!")
    deliver_queue(admin)
    state = delivery_of(admin, conversation["id"], reply["id"])
    assert state["status"] == "failed"
    assert "554 5.7.1 Message rejected as spam" in state["error"]
    with desk_of(admin).db.read() as conn:
        assert outbox_store.get_item(conn, reply["id"]) is None  # not retried


@pytest.mark.parametrize(
    "headers",
    [{"Auto-Submitted": "auto-replied"}, {"Precedence": "bulk"}, {"X-Autoreply": "yes"}],
)
def test_machines_are_never_answered(
    admin: Client,
    channel: dict[str, Any],
    maildir: Maildir,
    smtp_server: SmtpRecorder,
    headers: dict[str, str],
) -> None:
    """An automation answers every message and the out-of-hours auto-reply is on (the
    test clock is a Sunday): a person's mail gets answers, a machine's never does."""
    desk = desk_of(admin)
    automation_engine.engine(desk)
    admin.post(
        "/api/settings/workspace",
        json={"auto_reply": {"enabled": True, "body": "We are closed."}},
    )
    response = admin.post(
        "/api/automations",
        json={
            "name": "Thank everyone",
            "event": "message_received",
            "conditions": [],
            "actions": [{"type": "send_reply", "value": "Thanks for writing!"}],
        },
    )
    assert response.status_code == 201, response.text
    maildir.deliver(compose(subject="Out of office", headers=headers).as_bytes())
    poll(admin, channel["id"])
    automation_engine.run_pending(desk)
    deliver_queue(admin)
    assert conversations(admin) == []
    assert smtp_server.received == []
    maildir.deliver(compose(subject="A real question").as_bytes())
    poll(admin, channel["id"])
    automation_engine.run_pending(desk)
    deliver_queue(admin)
    answers = [parse(r.data) for r in smtp_server.received]
    assert sorted(a.get_content().strip() for a in answers) == [
        "Thanks for writing!",
        "We are closed.",
    ]
    assert {a["Auto-Submitted"] for a in answers} == {"auto-replied"}  # RFC 3834
