"""Keyboard only: an agent signs in, opens a conversation, replies, assigns, tags, snoozes,
searches and opens settings without the mouse. Focus is always visible, comes back where it
was after every dialog and menu, and never gets stuck. Live regions say what changed."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from .conftest import ADMIN, AGENT, Seeded, api_client, shot

# "" when the focused element is on screen and drawn as focused (a ring, an outline, or the
# list's cursor bar); else what is wrong.
FOCUS_SHOWN = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return 'nothing has focus';
  const rect = el.getBoundingClientRect();
  if (!rect.width || !rect.height) return 'focus on a hidden element: ' + el.outerHTML.slice(0, 99);
  const ring = (node) => {
    const style = getComputedStyle(node);
    return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
      || style.boxShadow !== 'none';
  };
  if (ring(el) || (el.closest('.search-box') && ring(el.closest('.search-box')))) return '';
  return 'no visible focus on ' + el.outerHTML.slice(0, 100);
}"""
FOCUSED = """() => {
  const el = document.activeElement;
  return [el.getAttribute('aria-label') || el.textContent.trim().slice(0, 40), el.className];
}"""


def press(page: Any, *keys: str) -> None:
    """Press keys one by one; after each, the focus must be visible."""
    for key in keys:
        page.keyboard.press(key)
        assert page.evaluate(FOCUS_SHOWN) == "", f"after {key}"


def tab_to(page: Any, selector: str, back: bool = False, limit: int = 60) -> None:
    """Tab (or Shift+Tab) until the focused element matches `selector`, the focus visible at
    every stop on the way."""
    for _ in range(limit):
        press(page, "Shift+Tab" if back else "Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def focused_is(page: Any, selector: str) -> None:
    expect(page.locator(selector)).to_be_focused()
    assert page.evaluate(FOCUS_SHOWN) == ""


def test_keyboard_only_journey(open_page: Any, seeded: Seeded) -> None:
    with api_client(seeded.desk, ADMIN) as admin:
        admin.post(
            "/api/conversations",
            json={
                "channel_id": seeded.channel_id,
                "contact": {"name": "Kay Keyboard", "email": "kay@example.com"},
                "subject": "Typing only",
                "message": "I never use a mouse. Can you help?",
            },
        ).raise_for_status()
    page = open_page(who=None, hash="#/inbox").page

    # Sign in: the email field has focus; Tab to the password, Enter to send.
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    focused_is(page, "input[name=email]")
    page.keyboard.type(ADMIN["email"])
    press(page, "Tab")
    page.keyboard.type(ADMIN["password"])
    page.keyboard.press("Enter")
    rows = page.locator(".conv-row")
    expect(rows.first).to_be_visible()

    # Open the newest conversation: j puts the cursor (and focus) on it, Enter opens it.
    press(page, "j")
    focused_is(page, ".conv-row:has-text('Kay Keyboard')")
    press(page, "Enter")
    expect(page.locator(".thread-head h2")).to_have_text("Kay Keyboard")
    assert page.evaluate(FOCUS_SHOWN) == ""

    # Reply: r to the composer, Ctrl+Enter sends, the page says so; Escape leaves the field
    # for the thread.
    press(page, "r")
    focused_is(page, "textarea[name=body]")
    page.keyboard.type("Of course: everything in Desk works from the keyboard.")
    press(page, "Control+Enter")
    expect(page.locator(".msg.outgoing .msg-body")).to_have_text(re.compile("from the keyboard"))
    expect(page.locator("#announcer")).to_have_text("Reply sent")
    press(page, "Escape")
    focused_is(page, ".thread-scroll")

    # Assign to a teammate through the assignee menu: focus returns to the assignee button.
    tab_to(page, "[data-focus=assign]", back=True)
    press(page, "Enter")
    expect(page.get_by_role("menu", name="Assignee")).to_be_visible()
    for _ in range(10):
        if page.evaluate(FOCUSED)[0] == AGENT["name"]:
            break
        press(page, "ArrowDown")
    press(page, "Enter")
    assignee = page.get_by_role("button", name=re.compile(f"^Assignee: {AGENT['name']}"))
    expect(assignee).to_be_focused()
    expect(page.locator("#announcer")).to_have_text(f"Assigned to {AGENT['name']}")

    # Tag: t to the tag field, Enter adds, focus stays for the next one; Escape to the thread.
    press(page, "t")
    focused_is(page, "input[data-focus=tag]")
    page.keyboard.type("keyboard")
    press(page, "Enter")
    expect(page.locator(".tags .chip")).to_have_text(["keyboard"])
    focused_is(page, "input[data-focus=tag]")
    press(page, "Escape")
    focused_is(page, ".thread-scroll")

    # Snooze: s opens the presets; "Pick a date…" opens a dialog whose Escape returns focus to
    # the thread; then the first preset snoozes.
    press(page, "s")
    expect(page.get_by_role("menu", name="Snooze")).to_be_visible()
    press(page, "End", "Enter")
    dialog = page.get_by_role("dialog", name="Snooze until…")
    expect(dialog).to_be_visible()
    focused_is(page, "dialog input[name=snoozed_until]")
    shot(page, "keyboard-snooze-dialog")
    press(page, "Escape")
    expect(dialog).to_have_count(0)
    focused_is(page, ".thread-scroll")
    press(page, "s", "Enter")
    expect(page.get_by_role("button", name=re.compile("^Status: Snoozed"))).to_be_visible()
    expect(page.locator("#announcer")).to_have_text(re.compile("^Snoozed until"))
    focused_is(page, ".thread-scroll")

    # The shortcut help: Tab never reaches the page behind the open dialog (past its last
    # control it goes to the browser, as every modal dialog does); Escape returns focus.
    press(page, "?")
    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_dialog).to_be_visible()
    focused_is(page, "dialog button")
    for _ in range(4):
        page.keyboard.press("Tab")
        assert page.evaluate(
            "document.activeElement === document.body || !!document.activeElement.closest('dialog')"
        )
    press(page, "Escape")
    expect(help_dialog).to_have_count(0)
    focused_is(page, ".thread-scroll")

    # Search: / to the field, the list follows, ArrowDown goes to the first match.
    press(page, "/")
    focused_is(page, "input[name=search]")
    page.keyboard.type("Kay Keyboard")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("mark").first).to_be_visible()
    press(page, "ArrowDown")
    focused_is(page, ".conv-row:has-text('Kay Keyboard')")
    shot(page, "keyboard-search")

    # Settings: g s, then Tab to a settings page and Enter.
    press(page, "g", "s")
    expect(page.get_by_role("heading", name="Workspace", exact=True)).to_be_visible()
    assert page.evaluate(FOCUS_SHOWN) == ""
    tab_to(page, "a.view-link[href='#/settings/password']")
    press(page, "Enter")
    expect(page.get_by_role("heading", name="Your password")).to_be_visible()
    shot(page, "keyboard-settings")

    # No trap: Tab walks the whole page (past its end focus goes to the browser, the body
    # here) and comes round again to where it started.
    start = page.evaluate("document.activeElement.outerHTML")
    seen = set()
    for _ in range(80):
        page.keyboard.press("Tab")
        now = page.evaluate("document.activeElement.outerHTML")
        if not now.startswith("<body"):
            assert page.evaluate(FOCUS_SHOWN) == ""
        seen.add(now)
        if now == start:
            break
    else:
        raise AssertionError("Tab never came back round")
    assert len(seen) > 10


def test_a_new_message_in_the_open_conversation_is_in_the_live_log(
    open_page: Any, seeded: Seeded
) -> None:
    page = open_page(hash=f"#/inbox/open/c/{seeded.grace_conversation}").page
    expect(page.locator(".msg.note").first).to_be_visible()
    log = page.locator("[role=log]")
    expect(log).to_have_count(1)
    assert log.get_attribute("aria-busy") is None
    with api_client(seeded.desk, AGENT) as sam:
        sam.post(
            f"/api/conversations/{seeded.grace_conversation}/messages",
            json={"body": "Sam here: the courier will call Grace tomorrow.", "type": "note"},
        ).raise_for_status()
    # Polite by its role (a log): what arrives in it is read out.
    expect(log.locator(".msg").last).to_contain_text("the courier will call Grace")


def test_errors_are_announced(open_page: Any, seeded: Seeded) -> None:
    opened = open_page(hash=f"#/inbox/open/c/{seeded.grace_conversation}")
    opened.problems.allowed.append("400 (Bad Request)")
    page = opened.page
    box = page.get_by_label("Reply", exact=True)
    box.fill("x" * 20_001)
    box.press("Control+Enter")
    expect(page.get_by_role("alert").filter(has_text="Not sent:")).to_be_visible()
    box.fill("")


ARRIVAL = """() => getComputedStyle(document.querySelector('.conv-row.arrived'))
  .animationDuration"""


def test_reduced_motion_is_honoured(open_page: Any, seeded: Seeded) -> None:
    pages = {}
    for motion in ["reduce", "no-preference"]:
        page = open_page(hash="#/inbox/open").page
        page.emulate_media(reduced_motion=motion)
        expect(page.locator(".conv-row").first).to_be_visible()
        pages[motion] = page
    with api_client(seeded.desk, ADMIN) as admin:
        admin.post(
            "/api/conversations",
            json={
                "channel_id": seeded.channel_id,
                "contact": {"name": "Mo Tion"},
                "message": "Does the list slide?",
            },
        ).raise_for_status()
    for page in pages.values():
        expect(page.locator(".conv-row.arrived", has_text="Mo Tion")).to_be_visible()
    # The arrival highlight plays for those who want motion, and not for those who don't.
    assert pages["no-preference"].evaluate(ARRIVAL) == "1.6s"
    assert float(pages["reduce"].evaluate(ARRIVAL).rstrip("s")) < 0.001
