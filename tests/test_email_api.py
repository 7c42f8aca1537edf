"""The email channel through the API: health, Test connection, View original, attachments
in and out, encodings and HTML through a real mailbox, and pollers that start by themselves."""

from __future__ import annotations

import time
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from desk.app import create_app
from desk.config import Settings
from desk.services import attachments as attachments_service
from tests.conftest import new_client, run_setup
from tests.email_helpers import (
    compose,
    deliver_queue,
    email_config,
    make_email_channel,
    parse,
    poll,
)
from tests.inbox_helpers import Client, listing, make_channel, messages
from tests.mailservers import Dovecot, Maildir, SmtpRecorder

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def channel(
    admin: Client, dovecot: Dovecot, maildir: Maildir, smtp_server: SmtpRecorder
) -> dict[str, Any]:
    return make_email_channel(admin, dovecot, maildir, smtp_server)


def only_conversation(admin: Client) -> dict[str, Any]:
    [conversation] = listing(admin, status="all")["items"]
    return dict(conversation)


def channel_health(admin: Client, channel_id: int) -> dict[str, Any]:
    found = [c for c in admin.get("/api/channels").json()["items"] if c["id"] == channel_id]
    return dict(found[0]["health"])


def test_every_channel_type_has_health(admin: Client, channel: dict[str, Any]) -> None:
    for kind in ("phone", "web_chat", "api"):
        make_channel(admin, kind)
    health = {c["type"]: c["health"] for c in admin.get("/api/channels").json()["items"]}
    assert health["phone"] == health["web_chat"] == {
        "ok": True, "last_success_at": None, "last_error": None, "last_error_at": None,
        "last_poll_at": None, "dropped": 0,
    }  # fmt: skip
    assert health["api"]["ok"] is True
    assert health["email"]["ok"] is False  # never polled: nothing has shown it works
    assert health["email"]["last_error"] is None


def test_email_health_follows_polls(
    admin: Client, channel: dict[str, Any], dovecot: Dovecot, maildir: Maildir, clock: Any
) -> None:
    poll(admin, channel["id"])
    health = channel_health(admin, channel["id"])
    assert health["ok"] is True
    assert health["last_poll_at"] == health["last_success_at"] == "2026-11-29T12:00:00Z"
    clock.advance(minutes=1)
    admin.patch(f"/api/channels/{channel['id']}", json={"config": {"imap_password": "wrong"}})
    with pytest.raises(Exception, match="refused the login"):
        poll(admin, channel["id"])
    health = channel_health(admin, channel["id"])
    assert health["ok"] is False
    assert "refused the login" in health["last_error"]
    assert health["last_error_at"] == "2026-11-29T12:01:00Z"
    assert "wrong" not in health["last_error"]


def test_check_tries_both_servers_and_sends_nothing(
    admin: Client, channel: dict[str, Any], smtp_server: SmtpRecorder
) -> None:
    response = admin.post(f"/api/channels/{channel['id']}/check")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "imap": {"ok": True, "error": None},
        "smtp": {"ok": True, "error": None},
    }
    assert smtp_server.received == []
    admin.patch(
        f"/api/channels/{channel['id']}",
        json={"config": {"imap_folder": "Nowhere", "smtp_password": "nope"}},
    )
    result = admin.post(f"/api/channels/{channel['id']}/check").json()
    assert result["imap"]["ok"] is False and "Nowhere" in result["imap"]["error"]
    assert result["smtp"]["ok"] is False and "refused the login" in result["smtp"]["error"]


def test_check_refusals(admin: Client, agent: Client, channel: dict[str, Any]) -> None:
    phone = make_channel(admin, "phone")
    before = admin.get("/api/channels").json()
    assert agent.post(f"/api/channels/{channel['id']}/check").status_code == 403
    assert admin.post(f"/api/channels/{phone['id']}/check").status_code == 400
    assert admin.post("/api/channels/999999/check").status_code == 404
    assert admin.post(f"/api/channels/{channel['id']}/check", json={"x": 1}).status_code == 400
    assert admin.get("/api/channels").json() == before


def test_view_original_is_the_email_as_received(
    admin: Client, agent: Client, channel: dict[str, Any], maildir: Maildir
) -> None:
    message = compose(subject="Grüße", body="Ünïcödé body")
    maildir.deliver(message.as_bytes())
    poll(admin, channel["id"])
    [incoming] = messages(admin, only_conversation(admin)["id"])
    assert incoming["email"] == {
        "subject": "Grüße", "from_name": "Grace Hopper",
        "from_address": "grace@example.com", "has_original": True,
    }  # fmt: skip
    response = agent.get(f"/api/messages/{incoming['id']}/original")
    assert response.status_code == 200
    # The bytes IMAP handed over: the Maildir's lines with CRLF endings, as IMAP sends them.
    assert response.content == message.as_bytes().replace(b"\n", b"\r\n")
    assert response.headers["content-type"].startswith("message/rfc822")
    assert response.headers["content-disposition"].startswith("attachment")


def test_original_is_404_for_other_messages(admin: Client, client: Client) -> None:
    phone = make_channel(admin, "phone")
    response = admin.post(
        "/api/conversations",
        json={"channel_id": phone["id"], "contact": {"name": "G"}, "message": "Hi"},
    )
    message_id = messages(admin, response.json()["id"])[0]["id"]
    assert admin.get(f"/api/messages/{message_id}/original").status_code == 404
    assert admin.get("/api/messages/999999/original").status_code == 404


def test_attachments_in_and_out(
    admin: Client, channel: dict[str, Any], maildir: Maildir, smtp_server: SmtpRecorder
) -> None:
    message = compose(body="Screenshot attached.")
    message.add_attachment(PNG, maintype="image", subtype="png", filename="screen.png")
    message.add_attachment(b"%PDF-1.4 x", maintype="application", subtype="pdf", filename="a.pdf")
    maildir.deliver(message.as_bytes())
    poll(admin, channel["id"])
    conversation = only_conversation(admin)
    [incoming] = messages(admin, conversation["id"])
    assert incoming["body"] == "Screenshot attached."
    got = [(a["filename"], a["content_type"], a["size"]) for a in incoming["attachments"]]
    assert got == [("screen.png", "image/png", len(PNG)), ("a.pdf", "application/pdf", 10)]
    assert admin.get(f"/api/attachments/{incoming['attachments'][0]['id']}").content == PNG
    upload = admin.post(
        "/api/attachments", files={"file": ("invoice.pdf", b"%PDF-1.4 invoice", "x/y")}
    ).json()
    reply = admin.post(
        f"/api/conversations/{conversation['id']}/messages",
        json={"body": "Here is your invoice.", "attachment_ids": [upload["id"]]},
    )
    assert reply.status_code == 201, reply.text
    deliver_queue(admin)
    sent = parse(smtp_server.received[-1].data)
    parts = [
        (p.get_filename(), p.get_content_type(), p.get_content()) for p in sent.iter_attachments()
    ]
    assert parts == [("invoice.pdf", "application/pdf", b"%PDF-1.4 invoice")]


def test_attachment_over_the_limit_is_skipped_with_an_activity_line(
    admin: Client, channel: dict[str, Any], maildir: Maildir
) -> None:
    message = compose(body="Here is the video.")
    big = b"\x00\x01" * (attachments_service.MAX_BYTES // 2 + 1)
    message.add_attachment(big, maintype="video", subtype="mp4", filename="clip.mp4")
    message.add_attachment(b"small", maintype="text", subtype="plain", filename="note.txt")
    maildir.deliver(message.as_bytes())
    poll(admin, channel["id"])
    thread = messages(admin, only_conversation(admin)["id"])
    assert [a["filename"] for a in thread[0]["attachments"]] == ["note.txt"]
    activity = [m["body"] for m in thread if m["type"] == "activity"]
    assert activity == [
        "The attachment “clip.mp4” (25.0 MB) was not kept: it is over the 25 MB limit."
        " “View original” has the whole email."
    ]


@pytest.mark.parametrize(
    ("raw", "subject", "body"),
    [
        (
            b"Subject: =?utf-8?B?8J+YgCBIZWxsbw==?=\r\nContent-Type: text/plain;"
            b" charset=utf-8\r\n\r\nThanks \xf0\x9f\x99\x8f\r\n",
            "😀 Hello",
            "Thanks 🙏",
        ),
        (
            b"Subject: =?iso-8859-1?q?Gr=FC=DFe?=\r\nContent-Type: text/plain;"
            b" charset=iso-8859-1\r\n\r\nK\xf6ln\r\n",
            "Grüße",
            "Köln",
        ),
        (
            b"Subject: Quotes\r\nContent-Type: text/plain; charset=windows-1252\r\n\r\n"
            b"\x93Quoted\x94 \x80 5\r\n",
            "Quotes",
            "“Quoted” € 5",
        ),
        (
            b"Subject: Broken\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nbad \xff bytes\r\n",
            "Broken",
            "bad \ufffd bytes",
        ),
    ],
)
def test_encodings_through_a_real_mailbox(
    admin: Client, channel: dict[str, Any], maildir: Maildir, raw: bytes, subject: str, body: str
) -> None:
    maildir.deliver(b"From: Grace <grace@example.com>\r\nMessage-ID: <enc@x>\r\n" + raw)
    poll(admin, channel["id"])
    conversation = only_conversation(admin)
    assert conversation["subject"] == subject
    assert messages(admin, conversation["id"])[0]["body"] == body


def test_html_only_mail_arrives_as_inert_text(
    admin: Client, channel: dict[str, Any], maildir: Maildir
) -> None:
    message = EmailMessage()
    message["From"] = "grace@example.com"
    message["Subject"] = "Sent from my phone"
    message.set_content(
        '<p>Hi,</p><p>see <a href="https://shop.example/o/1">my order</a></p>'
        "<script>alert(1)</script><img src=x onerror=alert(2)>",
        subtype="html",
    )
    maildir.deliver(message.as_bytes())
    poll(admin, channel["id"])
    body = messages(admin, only_conversation(admin)["id"])[0]["body"]
    assert body == "Hi,\n\nsee [my order](https://shop.example/o/1)"


# -- the poller threads in a running app -------------------------------------------------


@pytest.fixture
def live(tmp_path: Path, settings: Settings) -> Iterator[TestClient[Litestar]]:
    """An app with its background work running (pollers, delivery), as `desk serve` has."""
    running = Settings(**{**settings.__dict__, "background_tasks": True})
    with new_client(create_app(running)) as client:
        run_setup(client)
        yield client


def wait_for(check: Any, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_poller_reads_new_mail_by_itself_and_stops_when_paused(
    live: Client, dovecot: Dovecot, maildir: Maildir, smtp_server: SmtpRecorder
) -> None:
    maildir.deliver(compose(subject="Before the channel").as_bytes())
    channel = make_email_channel(live, dovecot, maildir, smtp_server, poll_seconds=3600)
    # within wait_for's deadline of creation, not after poll_seconds (an hour)
    wait_for(lambda: listing(live, status="all")["total"] == 1)
    maildir.deliver(compose(subject="Arrives while idle").as_bytes())
    wait_for(lambda: listing(live, status="all")["total"] == 2)  # IDLE, not the hour
    live.patch(f"/api/channels/{channel['id']}", json={"active": False})
    threads = lambda: [t.name for t in __import__("threading").enumerate()]  # noqa: E731
    wait_for(lambda: f"desk-mail-{channel['id']}" not in threads())
    maildir.deliver(compose(subject="While paused").as_bytes())
    live.patch(f"/api/channels/{channel['id']}", json={"active": True})
    wait_for(lambda: listing(live, status="all")["total"] == 3)


def test_config_change_is_used_within_seconds(
    live: Client, dovecot: Dovecot, maildir: Maildir, smtp_server: SmtpRecorder
) -> None:
    config = email_config(dovecot, maildir, smtp_server, imap_password="wrong", poll_seconds=3600)
    channel = live.post(
        "/api/channels", json={"name": "Mail", "type": "email", "config": config}
    ).json()
    wait_for(lambda: channel_health(live, channel["id"])["last_error"])
    maildir.deliver(compose().as_bytes())
    live.patch(
        f"/api/channels/{channel['id']}",
        json={
            "config": {
                "imap_password": email_config(dovecot, maildir, smtp_server)["imap_password"]
            }
        },
    )
    # The poll interval is an hour: the mail arriving within wait_for's deadline shows the
    # new password was used at once. Health turns ok just after the mail is filed.
    wait_for(lambda: listing(live, status="all")["total"] == 1)
    wait_for(lambda: channel_health(live, channel["id"])["ok"] is True)


def test_api_channel_health_follows_webhook_deliveries(admin: Client) -> None:
    from tests.mailservers import free_port

    dead = f"http://127.0.0.1:{free_port()}/hook"
    channel = admin.post(
        "/api/channels", json={"name": "Shop", "type": "api", "config": {"webhook_url": dead}}
    ).json()
    hook = admin.post(
        channel["config"]["inbound_url"],
        json={"contact": {"email": "grace@example.com"}, "body": "Hello"},
    ).json()
    admin.post(f"/api/conversations/{hook['conversation_id']}/messages", json={"body": "Hi"})
    deliver_queue(admin)
    health = channel_health(admin, channel["id"])
    assert health["ok"] is False
    assert "connection refused" in health["last_error"]
    assert health["last_success_at"] is None
