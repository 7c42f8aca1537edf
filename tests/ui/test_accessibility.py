"""Accessibility: zero serious or critical axe-core violations (WCAG 2.1 A/AA) on every screen
and dialog, in light and dark, at 1440x900 and 1024x700."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.servers import RunningDesk, start_desk

from .a11y import Audit
from .conftest import ADMIN, AGENT, Seeded, api_client

DIALOG = "dialog[open]"
# A note and a background failure with its retry, as the app shows them.
TOASTS = """async () => {
  const { toast } = await import('/js/components/toast.js');
  toast('Assigned to you', { timeout: 0 });
  toast("Couldn't refresh the inbox counts: Can't reach Desk.",
    { error: true, action: 'Retry', onAction: () => null, timeout: 0 });
}"""


@pytest.fixture
def fresh_desk(tmp_path: Path) -> Iterator[RunningDesk]:
    desk = start_desk(tmp_path / "data")
    try:
        yield desk
    finally:
        desk.stop()


def test_setup_wizard_sign_in_and_empty_inbox(browser: Any, fresh_desk: RunningDesk) -> None:
    audit = Audit()
    context = browser.new_context(base_url=fresh_desk.url)
    page = context.new_page()
    page.goto("/")
    expect(page.get_by_role("heading", name="Set up Desk")).to_be_visible()
    audit.check(page, "wizard workspace")
    page.get_by_label("Workspace name").fill("Acme Support")
    page.get_by_label("Your name").fill(ADMIN["name"])
    page.get_by_label("Your email").fill(ADMIN["email"])
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Create workspace").click()
    expect(page.get_by_role("alert").filter(has_text=re.compile("."))).to_be_visible()
    audit.check(page, "wizard error")
    page.get_by_label("Password").fill(ADMIN["password"])
    page.get_by_role("button", name="Create workspace").click()
    expect(page.get_by_role("heading", name="Add a channel")).to_be_visible()
    audit.check(page, "wizard channel")
    page.get_by_role("button", name="Skip").click()
    expect(page.get_by_role("heading", name="Invite your team")).to_be_visible()
    audit.check(page, "wizard team")
    page.get_by_role("button", name="Go to the inbox").click()
    expect(page.get_by_role("heading", name="No conversations yet")).to_be_visible()
    audit.check(page, "inbox empty")

    visitor = browser.new_context(base_url=fresh_desk.url).new_page()
    visitor.goto("/")
    expect(visitor.get_by_role("heading", name="Sign in")).to_be_visible()
    audit.check(visitor, "sign in")
    visitor.get_by_label("Email").fill(ADMIN["email"])
    visitor.get_by_label("Password").fill("not the password")
    visitor.get_by_role("button", name="Sign in").click()
    expect(visitor.get_by_role("alert").filter(has_text=re.compile("."))).to_be_visible()
    audit.check(visitor, "sign in error")
    context.close()
    visitor.context.close()
    audit.assert_clean()


def test_inbox_conversation_and_their_dialogs(open_page: Any, seeded: Seeded) -> None:
    audit = Audit()
    page = open_page(hash="#/inbox/open").page
    expect(page.locator(".conv-row").first).to_be_visible()
    audit.check(page, "inbox")
    page.goto(f"/#/inbox/open/c/{seeded.grace_conversation}")
    expect(page.locator(".msg.note")).to_be_visible()
    audit.check(page, "conversation")
    page.set_viewport_size({"width": 1024, "height": 700})  # wider, the panel is always there
    page.get_by_role("button", name="Show contact details").click()
    expect(page.locator(".contact-panel .details").first).to_be_visible()
    audit.check(page, "contact panel")
    page.keyboard.press("Escape")

    page.get_by_role("button", name=re.compile("^Status:")).click()
    expect(page.get_by_role("menu")).to_be_visible()
    audit.check(page, "status menu")
    page.keyboard.press("Escape")
    page.locator(".thread-scroll").focus()
    page.keyboard.press("s")
    expect(page.get_by_role("menu", name="Snooze")).to_be_visible()
    audit.check(page, "snooze menu")
    page.get_by_role("menuitem", name="Pick a date…").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    audit.check(page, "snooze date dialog", DIALOG)
    page.keyboard.press("Escape")
    page.get_by_role("button", name=re.compile("^Assignee:")).click()
    expect(page.get_by_role("menu", name="Assignee")).to_be_visible()
    audit.check(page, "assign menu")
    page.keyboard.press("Escape")
    page.get_by_label("Add a tag").fill("bi")
    audit.check(page, "tag field")
    page.get_by_label("Add a tag").fill("")

    page.get_by_role("button", name="New", exact=True).click()
    expect(page.get_by_role("dialog", name="Log a conversation")).to_be_visible()
    audit.check(page, "new conversation dialog", DIALOG)
    page.keyboard.press("Escape")
    page.locator(".thread-scroll").focus()
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    audit.check(page, "shortcut help", DIALOG)
    page.keyboard.press("Escape")
    page.get_by_role("button", name=re.compile("^Signed in as")).click()
    expect(page.get_by_role("menu")).to_be_visible()
    audit.check(page, "agent menu")
    page.keyboard.press("Escape")
    page.evaluate(TOASTS)
    expect(page.locator(".toast.error")).to_be_visible()
    audit.check(page, "toasts")
    audit.assert_clean()


def test_contacts_and_their_forms(open_page: Any, seeded: Seeded) -> None:
    audit = Audit()
    page = open_page(hash=f"#/contacts/{seeded.contact_id}").page
    expect(page.locator(".detail-inner .details").first).to_be_visible()
    audit.check(page, "contacts")
    page.get_by_role("button", name="Edit").click()
    expect(page.get_by_role("form", name="Edit contact")).to_be_visible()
    audit.check(page, "contact edit")
    page.goto("/#/contacts/new")
    expect(page.get_by_role("form", name="New contact")).to_be_visible()
    audit.check(page, "contact new")
    page.goto(f"/#/contacts/{seeded.contact_id}")
    # The contact's page, not the form being torn down (a click on it would be lost).
    expect(page.locator(".detail-inner .details").first).to_be_visible()
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    audit.check(page, "contact delete confirmation", DIALOG)
    page.get_by_role("dialog").get_by_role("button", name="Cancel").click()
    audit.assert_clean()


def test_analytics_and_every_settings_page(open_page: Any, seeded: Seeded) -> None:
    with api_client(seeded.desk, ADMIN) as admin:
        admin.post(
            "/api/automations",
            json={
                "name": "Audit triage",
                "event": "message_received",
                "active": False,  # the seeded desk is shared: it must not tag other tests' mail
                "conditions": [],
                "actions": [{"type": "add_tag", "value": "audit"}],
            },
        ).raise_for_status()
    audit = Audit()
    page = open_page(hash="#/analytics/30").page
    expect(page.locator(".analytics-body:not(.refreshing) .chart-wrap svg").first).to_be_visible()
    audit.check(page, "analytics")
    pages = {
        "workspace": ".hours-row",
        "ai": "form[aria-label='AI settings']",
        "password": "form[aria-label='Change your password']",
        "channels": ".item-card .copy-field",
        "automations": ".item-card",
        "agents": ".item-card",
    }
    for name, ready in pages.items():
        page.goto(f"/#/settings/{name}")
        expect(page.locator(ready).first).to_be_visible()
        audit.check(page, f"settings {name}")
    for name, card, confirm in [
        ("channels", "Shop API", "channel"),
        ("agents", AGENT["name"], "agent"),
        ("automations", "Audit triage", "automation"),
    ]:
        page.goto(f"/#/settings/{name}")
        article = page.get_by_role("article", name=card)
        article.get_by_role("button", name=re.compile("Delete|Remove")).click()
        expect(page.get_by_role("dialog")).to_be_visible()
        audit.check(page, f"{confirm} delete confirmation", DIALOG)
        page.get_by_role("dialog").get_by_role("button", name="Cancel").click()
    audit.assert_clean()


def test_settings_as_an_agent(open_page: Any, seeded: Seeded) -> None:
    audit = Audit()
    page = open_page(who=AGENT, hash="#/settings/workspace").page
    expect(page.get_by_text("Only admins can change these settings.")).to_be_visible()
    audit.check(page, "settings workspace (agent)")
    page.goto("/#/settings/channels")
    expect(page.get_by_role("alert").filter(has_text="admins only")).to_be_visible()
    audit.check(page, "settings admin page (agent)")
    audit.assert_clean()
