"""The UI works under its own Content-Security-Policy (API.md: no inline script or style):
every main screen, the dialogs and the web chat widget's live preview, in Chromium, report no
policy violation — neither a `securitypolicyviolation` event (in the page or any frame, the
srcdoc preview included) nor a console message about the policy. A canary first proves the
policy is strict and enforced, and that a violation would be seen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import ADMIN, HINT, Seeded, api_client

# Runs in every frame before the frame's own scripts.
LISTEN = """document.addEventListener('securitypolicyviolation', (e) => {
  const text = `${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`
    + ` at ${e.sourceFile}:${e.lineNumber} in ${location.href}`;
  (window.cspSeen = window.cspSeen || []).push(text);
  window.cspViolation(text);
});"""


class Violations:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, text: str) -> None:
        self.items.append(text)

    def console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.items.append(f"console: {message.text}")


@pytest.fixture
def watched(browser: Any, seeded: Seeded) -> Iterator[Any]:
    """watched(who) -> (page, violations): a page whose every CSP violation is recorded."""
    contexts: list[Any] = []

    def opener(who: dict[str, str] | None) -> tuple[Any, Violations]:
        context = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=seeded.url)
        contexts.append(context)
        violations = Violations()
        context.expose_function("cspViolation", violations.add)
        context.add_init_script(LISTEN)
        if who is not None:
            response = context.request.post(
                "/api/auth/login", data={"email": who["email"], "password": who["password"]}
            )
            assert response.ok, response.text()
            context.add_init_script(HINT)
        page = context.new_page()
        page.on("console", violations.console)
        return page, violations

    yield opener
    for context in contexts:
        context.close()


def assert_strict(policy: str) -> None:
    directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
    for name in ("script-src", "style-src"):
        assert name in directives, policy
        assert "'unsafe-inline'" not in directives[name], policy
        assert "'unsafe-eval'" not in directives[name], policy
    assert directives["frame-ancestors"] == ["'none'"], policy


def test_the_policy_is_strict_enforced_and_a_violation_would_be_seen(watched: Any) -> None:
    page, violations = watched(None)
    response = page.goto("/")
    assert_strict(response.headers["content-security-policy"])
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    # h() sets a style, given as an object or as text, through the CSSOM: allowed.
    margins = page.evaluate("""async () => {
      const { h } = await import('/js/lib/dom.js');
      const els = [h('div', { style: { marginTop: '3px' } }),
        h('div', { style: 'margin-top: 5px' })];
      document.body.append(...els);
      return els.map((el) => getComputedStyle(el).marginTop);
    }""")
    assert margins == ["3px", "5px"]
    assert violations.items == []
    page.evaluate("""() => {
      const div = document.createElement('div');
      div.setAttribute('style', 'color: red');
      document.body.append(div);
      const script = document.createElement('script');
      script.textContent = 'window.inlineRan = true';
      document.body.append(script);
    }""")
    page.wait_for_function("() => (window.cspSeen || []).length >= 2")
    assert page.evaluate("window.inlineRan === undefined")
    seen = " ".join(violations.items)
    assert "style-src" in seen and "script-src" in seen, violations.items


def test_every_screen_works_under_the_policy(watched: Any, seeded: Seeded) -> None:
    with api_client(seeded.desk, ADMIN) as admin:
        admin.post(
            "/api/channels",
            json={
                "name": "CSP web chat",
                "type": "web_chat",
                "config": {"allowed_origins": ["https://shop.example"], "color": "#8a3b12"},
            },
        ).raise_for_status()

    page, violations = watched(None)
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Email").fill(ADMIN["email"])
    page.get_by_label("Password").fill(ADMIN["password"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".conv-row").first).to_be_visible()
    assert violations.items == [], "sign-in"

    page, violations = watched(ADMIN)
    screens = [
        ("#/inbox/open", ".conv-row"),
        (f"#/inbox/open/c/{seeded.grace_conversation}", ".msg.note"),
        (f"#/contacts/{seeded.contact_id}", ".detail-inner .details"),
        ("#/contacts/new", "form[aria-label='New contact']"),
        ("#/analytics/30", ".analytics-body:not(.refreshing) .chart-wrap svg"),
    ] + [
        (f"#/settings/{name}", "main h2, .settings-body form, .settings-body .item-card")
        for name in (
            "workspace",
            "ai",
            "canned",
            "language",
            "password",
            "channels",
            "automations",
            "agents",
            "data",
        )
    ]
    for hash_, ready in screens:
        page.goto("/" + hash_)
        expect(page.locator(ready).first).to_be_visible()
        assert violations.items == [], hash_

    # The list's bulk bar and one of its menus (placed by a style set from script).
    page.goto("/#/inbox/open")
    page.get_by_role("checkbox", name="Select all on this page").check()
    bar = page.get_by_role("group", name="Selected conversations")
    bar.get_by_role("button", name="Snooze").click()
    expect(page.get_by_role("menu")).to_be_visible()
    page.keyboard.press("Escape")
    bar.get_by_role("button", name="Clear selection (Esc)").click()
    expect(bar).to_be_hidden()
    assert violations.items == [], "bulk bar"

    # The conversation's composer grows with its text (a style set from script).
    page.goto(f"/#/inbox/open/c/{seeded.grace_conversation}")
    page.get_by_role("textbox", name="Reply").fill("line\n" * 12)
    # A confirmation dialog, then the keyboard shortcuts.
    page.goto(f"/#/contacts/{seeded.contact_id}")
    page.get_by_role("button", name="Delete").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()
    page.locator("body").press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    page.keyboard.press("Escape")
    assert violations.items == [], "dialogs"

    # The web chat widget's live preview (a srcdoc frame, which inherits the policy).
    page.goto("/#/settings/channels")
    card = page.get_by_role("article", name="CSP web chat")
    card.get_by_role("button", name="Edit settings").click()
    preview = page.frame_locator("iframe.widget-preview")
    expect(preview.locator("desk-chat").get_by_role("dialog")).to_be_visible()
    # Its own stylesheet applies (a constructed one: an inline <style> would be refused).
    expect(preview.locator("desk-chat .head")).to_have_css("background-color", "rgb(138, 59, 18)")
    preview.locator("desk-chat textarea").fill("A question\nover\nlines")
    preview.locator("desk-chat textarea").press("Enter")
    expect(preview.locator("desk-chat .msgs .me")).to_have_count(1)
    assert violations.items == [], "widget preview"
