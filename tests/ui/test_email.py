"""The email channel in Chromium against a real `desk serve`, dovecot and aiosmtpd: an email
with hostile HTML arrives inert, shows its subject, sender, attachments and original; the
composer attaches files (button and drop) with progress; Settings tests the connection."""

from __future__ import annotations

import time
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.email_helpers import email_config, parse
from tests.mailservers import Dovecot, Maildir, SmtpRecorder

from .a11y import Audit
from .conftest import ADMIN, Seeded, api_client, shot

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000010000000100806000000"
    "1ff3ff610000001c49444154789c63f8cfc0f09f810c18a8070c8c1a30"
    "6ad880d101007fd03fc1a1d2d6c10000000049454e44ae426082"
)
HOSTILE = (
    "<p>Hello <b>team</b>,</p><script>window.__pwned = 1; alert('script')</script>"
    "<img src=x onerror=\"window.__pwned = 2; alert('img')\">"
    "<p onclick=\"alert('click')\">Order <a href=\"javascript:alert('link')\">1042</a> is"
    " late.</p><iframe src=\"javascript:alert('frame')\"></iframe>"
    "<style>body { display: none }</style>"
)


@pytest.fixture
def mail_channel(
    seeded: Seeded, dovecot: Dovecot, maildir: Maildir, smtp_server: SmtpRecorder
) -> Iterator[dict[str, Any]]:
    """An email channel on the shared seeded server, removed with its conversations after
    the test (the other UI tests count what the seed made)."""
    with api_client(seeded.desk, ADMIN) as admin:
        response = admin.post(
            "/api/channels",
            json={
                "name": "Support mailbox",
                "type": "email",
                "config": email_config(dovecot, maildir, smtp_server, poll_seconds=3600),
            },
        )
        response.raise_for_status()
        channel = dict(response.json())
    yield channel
    with api_client(seeded.desk, ADMIN) as admin:
        admin.delete(f"/api/channels/{channel['id']}", params={"force": "true"}).raise_for_status()


def wait_for_conversation(seeded: Seeded, subject: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    with api_client(seeded.desk, ADMIN) as admin:
        while time.monotonic() < deadline:
            items = admin.get("/api/conversations", params={"search": subject}).json()["items"]
            found = [c for c in items if c["subject"] == subject]
            if found:
                return dict(found[0])
            time.sleep(0.1)
    raise AssertionError(f"no conversation {subject!r}")


def test_hostile_html_email_is_inert_and_shows_its_parts(
    open_page: Any, seeded: Seeded, mail_channel: dict[str, Any], maildir: Maildir
) -> None:
    message = EmailMessage()
    message["From"] = "Mallory Hacker <mallory@evil.example>"
    message["To"] = "support@acme.example"
    message["Subject"] = "Late order <script>alert(1)</script>"
    message.set_content(HOSTILE, subtype="html")
    message.add_attachment(PNG, maintype="image", subtype="png", filename="photo.png")
    message.add_attachment(
        b"<script>alert('file')</script>", maintype="text", subtype="html", filename="page.html"
    )
    maildir.deliver(message.as_bytes())
    conversation = wait_for_conversation(seeded, "Late order <script>alert(1)</script>")
    opened = open_page(hash=f"#/inbox/all/c/{conversation['id']}")
    page = opened.page
    incoming = page.locator(".msg.incoming").last
    expect(incoming).to_contain_text("Hello team,")
    expect(incoming).to_contain_text("Order [1042](javascript:alert('link')) is late.")
    # Nothing from the email became markup: no script, image, frame, style or handler.
    bubble = incoming.locator(".msg-body")
    for tag in ("script", "img", "iframe", "style", "a[href^='javascript']", "[onclick]"):
        assert bubble.locator(tag).count() == 0, tag
    assert page.evaluate("window.__pwned") is None
    line = incoming.locator(".email-line")
    expect(line).to_contain_text("Late order <script>alert(1)</script>")
    expect(line).to_contain_text("mallory@evil.example")
    original = line.get_by_role("link", name="View original")
    assert original.get_attribute("href").endswith("/original")
    preview = incoming.locator(".attachment-preview img")
    expect(preview).to_have_attribute("alt", "photo.png")
    page.wait_for_function(
        "() => { const i = document.querySelector('.attachment-preview img');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    chips = incoming.locator(".file-chip")
    expect(chips).to_have_count(2)
    expect(chips.nth(1)).to_contain_text("page.html")
    with page.expect_download() as download:
        chips.nth(1).click()
    assert download.value.suggested_filename == "page.html"
    shot(page, "email-hostile-html")
    audit = Audit()
    audit.check(page, "email thread with attachments")
    audit.assert_clean()
    assert page.evaluate("window.__pwned") is None


def test_composer_attaches_by_button_and_drop_and_sends(
    open_page: Any,
    seeded: Seeded,
    mail_channel: dict[str, Any],
    maildir: Maildir,
    smtp_server: SmtpRecorder,
) -> None:
    message = EmailMessage()
    message["From"] = "Grace Hopper <grace@example.com>"
    message["Subject"] = "Need the invoice"
    message.set_content("Could you send the invoice?")
    maildir.deliver(message.as_bytes())
    conversation = wait_for_conversation(seeded, "Need the invoice")
    page = open_page(hash=f"#/inbox/all/c/{conversation['id']}").page
    composer = page.get_by_role("form", name="Composer")
    expect(composer.get_by_role("button", name="Attach")).to_be_visible()
    composer.locator("input[type=file]").set_input_files(
        [{"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 invoice"}]
    )
    page.evaluate(
        """() => {
          const data = new DataTransfer();
          data.items.add(new File(["dropped notes"], "notes.txt", {type: "text/plain"}));
          const form = document.querySelector("form.composer");
          const init = {dataTransfer: data, bubbles: true, cancelable: true};
          form.dispatchEvent(new DragEvent("dragover", init));
          form.dispatchEvent(new DragEvent("drop", init));
        }"""
    )
    uploads = composer.locator(".upload")
    expect(uploads).to_have_count(2)
    expect(composer.locator(".upload[data-state=done]")).to_have_count(2)
    shot(page, "email-composer-attachments")
    audit = Audit()
    audit.check(page, "composer with uploads")
    audit.assert_clean()
    page.get_by_label("Reply", exact=True).fill("Here is the invoice.")
    page.get_by_role("button", name="Send", exact=True).click()
    sent = page.locator(".msg.outgoing").last
    expect(sent.locator(".file-chip")).to_have_count(2)
    expect(uploads).to_have_count(0)
    deadline = time.monotonic() + 30
    while not smtp_server.received and time.monotonic() < deadline:
        time.sleep(0.1)
    email = parse(smtp_server.received[-1].data)
    names = sorted(str(p.get_filename()) for p in email.iter_attachments())
    assert names == ["invoice.pdf", "notes.txt"]
    assert email["Subject"] == f"Re: Need the invoice [#{conversation['id']}]"
    expect(sent.locator(".delivery")).to_have_text("Sent")


def test_settings_shows_health_and_tests_the_connection(
    open_page: Any, seeded: Seeded, mail_channel: dict[str, Any]
) -> None:
    page = open_page(hash="#/settings/channels").page
    card = page.get_by_role("article", name="Support mailbox")
    expect(card.locator(".health")).to_contain_text("Connected", timeout=20_000)
    card.get_by_role("button", name="Test connection").click()
    result = card.locator(".check-result")
    expect(result).to_contain_text("IMAP works")
    expect(result).to_contain_text("SMTP works")
    card.get_by_role("button", name="Edit settings").click()
    form = card.get_by_role("form", name="Support mailbox settings")
    expect(form.get_by_label("IMAP password")).to_have_value("")
    form.get_by_label("Folder").fill("Missing")
    form.get_by_role("button", name="Save settings").click()
    expect(card.locator(".health")).to_contain_text("Missing", timeout=20_000)
    shot(page, "email-settings-health")
    audit = Audit()
    audit.check(page, "email channel settings")
    audit.assert_clean()
    card = page.get_by_role("article", name="Support mailbox")
    card.get_by_role("button", name="Test connection").click()
    expect(card.locator(".check-result")).to_contain_text("Missing")
    expect(card.locator(".check-result")).to_contain_text("SMTP works")  # password kept
    card.get_by_role("button", name="Edit settings").click()
    form = card.get_by_role("form", name="Support mailbox settings")
    form.get_by_label("Folder").fill("INBOX")
    form.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("article", name="Support mailbox").locator(".health")).to_contain_text(
        "Connected", timeout=20_000
    )
