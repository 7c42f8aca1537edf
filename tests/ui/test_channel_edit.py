"""Settings → Channels → Edit settings: every setting of a channel, secrets left blank kept, a
refused save shown in place; and a channel an admin adds, renames or deletes reaches another
agent's inbox without a reload."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import ADMIN, AGENT, Seeded, api_client, shot

MAILBOX = {
    "imap_host": "127.0.0.1",
    "imap_port": 9,
    "imap_user": "support",
    "imap_password": "imap-secret",
    "imap_tls": "none",
    "smtp_host": "127.0.0.1",
    "smtp_port": 9,
    "smtp_user": "support",
    "smtp_password": "smtp-secret",
    "smtp_tls": "none",
    "from_address": "support@example.com",
    "poll_seconds": 3600,
}


@pytest.fixture
def mailbox(seeded: Seeded) -> Iterator[dict[str, Any]]:
    """An email channel of this test's own, and afterwards whatever channels it added, gone."""
    with api_client(seeded.desk, ADMIN) as admin:
        before = {c["id"] for c in admin.get("/api/channels").json()["items"]}
        made = admin.post(
            "/api/channels", json={"name": "Orders mailbox", "type": "email", "config": MAILBOX}
        )
        made.raise_for_status()
    yield dict(made.json())
    with api_client(seeded.desk, ADMIN) as admin:
        for channel in admin.get("/api/channels").json()["items"]:
            if channel["id"] not in before:
                admin.delete(f"/api/channels/{channel['id']}", params={"force": "true"})


def channel(seeded: Seeded, channel_id: int) -> dict[str, Any]:
    with api_client(seeded.desk, ADMIN) as admin:
        items = admin.get("/api/channels").json()["items"]
    return dict(next(c for c in items if c["id"] == channel_id))


def test_an_admin_edits_a_mailbox_and_another_agent_sees_channels_change_live(
    open_page: Any, seeded: Seeded, mailbox: dict[str, Any]
) -> None:
    sam = open_page(who=AGENT, hash="#/inbox").page
    views = sam.get_by_role("navigation", name="Inbox views")
    expect(views.get_by_role("link", name="Orders mailbox")).to_be_visible()
    sam.evaluate("window.stillTheSamePage = true")  # gone if anything reloads the page

    opened = open_page(hash="#/settings/channels")
    opened.problems.allowed.append("400 (Bad Request)")  # the refused save below, on purpose
    page = opened.page
    card = page.get_by_role("article", name="Orders mailbox")
    card.get_by_role("button", name="Edit settings").click()
    form = card.get_by_role("form", name="Orders mailbox settings")
    expect(form.get_by_label("Channel name")).to_have_value("Orders mailbox")
    expect(form.get_by_label("IMAP host")).to_have_value("127.0.0.1")
    expect(form.get_by_label("IMAP security")).to_have_value("none")
    for secret in ("IMAP password", "SMTP password"):
        expect(form.get_by_label(secret)).to_have_value("")  # write-only: never shown
        expect(form.get_by_label(secret)).to_have_attribute("placeholder", "•••••••• (unchanged)")
    expect(form.get_by_text("Leave blank to keep the saved password.")).to_have_count(2)
    shot(page, "channel-edit-email-1440")

    # A refused save says why beside the field and changes nothing.
    form.get_by_label("Channel name").fill("Billing mailbox")
    form.get_by_label("IMAP port").fill("0")
    form.get_by_role("button", name="Save settings").click()
    port_error = form.locator(".field", has=page.get_by_label("IMAP port")).get_by_role("alert")
    expect(port_error).to_contain_text("imap_port")
    unchanged = channel(seeded, mailbox["id"])
    assert (unchanged["name"], unchanged["config"]) == (mailbox["name"], mailbox["config"])
    expect(views.get_by_role("link", name="Billing mailbox")).to_have_count(0)

    form.get_by_label("IMAP port").fill("1143")
    form.get_by_label("Folder").fill("Orders")
    form.get_by_label("SMTP security").select_option("starttls")
    form.get_by_label("From name").fill("Acme Billing")
    form.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("article", name="Billing mailbox")).to_be_visible()
    saved = channel(seeded, mailbox["id"])
    assert saved["name"] == "Billing mailbox"
    config = saved["config"]
    edited = [config[k] for k in ("imap_port", "imap_folder", "smtp_tls", "from_name")]
    assert edited == [1143, "Orders", "starttls", "Acme Billing"]
    assert config["imap_password_set"] and config["smtp_password_set"]  # blank kept them

    # Sam's inbox follows, without a reload: the rename, a new channel, a deletion.
    expect(views.get_by_role("link", name="Billing mailbox")).to_be_visible()
    expect(views.get_by_role("link", name="Orders mailbox")).to_have_count(0)
    add = page.get_by_role("form", name="Add a channel")
    add.get_by_label("Type").select_option("phone")
    add.get_by_label("Name").fill("Night hotline")
    add.get_by_role("button", name="Add channel").click()
    expect(views.get_by_role("link", name="Night hotline")).to_be_visible()
    shot(sam, "channel-live-agent-1440")
    hotline = page.get_by_role("article", name="Night hotline")
    hotline.get_by_role("button", name="Delete").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete channel").click()
    expect(views.get_by_role("link", name="Night hotline")).to_have_count(0)
    assert sam.evaluate("window.stillTheSamePage") is True


def test_every_channel_type_has_its_settings_form_at_both_sizes(
    open_page: Any, seeded: Seeded, mailbox: dict[str, Any]
) -> None:
    page = open_page(hash="#/settings/channels", width=1024, height=700).page
    card = page.get_by_role("article", name="Shop API")
    card.get_by_role("button", name="Edit settings").click()
    form = card.get_by_role("form", name="Shop API settings")
    expect(form.get_by_label("Channel name")).to_have_value("Shop API")
    expect(form.get_by_label("Webhook URL for replies")).to_have_value("")
    phone = page.get_by_role("article", name="Phone", exact=True)
    phone.get_by_role("button", name="Edit settings").click()
    phone_form = phone.get_by_role("form", name="Phone settings")
    expect(phone_form.get_by_label("Channel name")).to_have_value("Phone")
    mail = page.get_by_role("article", name="Orders mailbox")
    mail.get_by_role("button", name="Edit settings").click()
    mail.get_by_role("form", name="Orders mailbox settings").scroll_into_view_if_needed()
    shot(page, "channel-edit-1024")
    # Another admin's change does not wipe an open form; closing it shows the news.
    with api_client(seeded.desk, ADMIN) as admin:
        admin.patch(f"/api/channels/{mailbox['id']}", json={"name": "Returns mailbox"})
    expect(form.get_by_label("Channel name")).to_have_value("Shop API")
    card.get_by_role("button", name="Edit settings").click()
    phone.get_by_role("button", name="Edit settings").click()
    mail.get_by_role("button", name="Edit settings").click()
    with api_client(seeded.desk, ADMIN) as admin:
        admin.patch(f"/api/channels/{mailbox['id']}", json={"active": False})
    expect(page.get_by_role("article", name="Returns mailbox")).to_be_visible()
