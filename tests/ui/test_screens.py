"""Every screen renders without console errors, in both themes and both window sizes."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import AGENT, XSS, Seeded, shot

SIZES = [(1440, 900), (1024, 700)]
# Every visible control has a name a screen reader can say.
UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea, button, a[href]')]
  .filter((el) => el.offsetParent !== null && el.type !== 'hidden')
  .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
    && !el.getAttribute('aria-labelledby') && !el.getAttribute('title')
    && !(el.tagName === 'BUTTON' || el.tagName === 'A' ? el.textContent.trim() : ''))
  .map((el) => el.outerHTML.slice(0, 120))"""


def screens(seeded: Seeded) -> list[tuple[str, str, str]]:
    """(name, hash, a selector that shows the screen has rendered its data)."""
    return [
        ("inbox", "#/inbox/open", ".conv-row"),
        ("thread", f"#/inbox/open/c/{seeded.grace_conversation}", ".msg.note"),
        ("contacts", f"#/contacts/{seeded.contact_id}", ".detail-inner .details"),
        ("contact-new", "#/contacts/new", "form[aria-label='New contact']"),
        ("analytics", "#/analytics/30", ".analytics-body:not(.refreshing) .chart-wrap svg"),
        ("settings-workspace", "#/settings/workspace", ".hours-row"),
        ("settings-ai", "#/settings/ai", "form[aria-label='AI settings']"),
        ("settings-password", "#/settings/password", "form[aria-label='Change your password']"),
        ("settings-channels", "#/settings/channels", ".item-card .copy-field"),
        ("settings-automations", "#/settings/automations", "form[aria-label='New automation']"),
        ("settings-agents", "#/settings/agents", ".item-card"),
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_screen_renders_cleanly(
    open_page: Any, seeded: Seeded, scheme: str, width: int, height: int
) -> None:
    opened = open_page(width=width, height=height, scheme=scheme)
    page = opened.page
    for name, hash_, ready in screens(seeded):
        page.goto("/" + hash_)
        expect(page.locator(ready).first).to_be_visible()
        # Nothing scrolls sideways; every control is labelled.
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        assert page.evaluate(UNLABELLED) == [], name
        shot(page, f"{name}-{scheme}-{width}x{height}")
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    shot(page, f"shortcuts-{scheme}-{width}x{height}")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_sign_in_and_first_run_screens(open_page: Any, scheme: str) -> None:
    opened = open_page(who=None, scheme=scheme, width=1024, height=700)
    expect(opened.page.get_by_role("heading", name="Sign in")).to_be_visible()
    shot(opened.page, f"sign-in-{scheme}-1024x700")


def test_message_markup_renders_as_text(open_page: Any, seeded: Seeded) -> None:
    opened = open_page(hash=f"#/inbox/open/c/{seeded.xss_conversation}")
    page = opened.page
    body = page.locator(".msg.incoming .msg-body").first
    expect(body).to_have_text(
        f"Look: {XSS} javascript:alert(2) https://example.com/track?id=1&x=2."
    )
    expect(page.locator(".thread-head h2")).to_have_text(XSS)
    row = page.locator(f".conv-row[data-id='{seeded.xss_conversation}'] .conv-name")
    expect(row).to_have_text(XSS)
    # Web addresses become links; anything else that looks like one stays text.
    link = page.locator(".msg-body a")
    expect(link).to_have_attribute("href", "https://example.com/track?id=1&x=2")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    page.goto("/#/contacts")
    expect(page.locator(".contact-row .conv-name", has_text=XSS)).to_be_visible()
    assert page.locator("#app img").count() == 0
    # The dialog watcher in open_page fails the test if alert() ever ran.


def test_an_agent_does_not_see_admin_pages(open_page: Any, seeded: Seeded) -> None:
    opened = open_page(who=AGENT, hash="#/settings/workspace")
    page = opened.page
    nav = page.get_by_role("navigation", name="Settings pages")
    expect(nav.get_by_role("link", name="Workspace")).to_be_visible()
    for admin_page in ["Channels", "Automations", "Agents"]:
        expect(nav.get_by_role("link", name=admin_page)).to_have_count(0)
    expect(page.get_by_text("Only admins can change these settings.")).to_be_visible()
    expect(page.get_by_role("button", name="Save")).to_be_disabled()
    page.goto("/#/settings/channels")
    expect(page.get_by_role("alert").filter(has_text="admins only")).to_be_visible()
    page.goto(f"/#/contacts/{seeded.contact_id}")
    expect(page.get_by_role("button", name="Edit")).to_be_visible()
    expect(page.get_by_role("button", name="Delete")).to_have_count(0)
