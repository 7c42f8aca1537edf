"""The first day with Desk, end to end in a real browser against a real `desk serve`.

First-run setup → add a phone channel → invite an agent → log a conversation → reply (seen
live by the agent in a second browser) → note → tag → assign → resolve → find it by search →
analytics counts it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.servers import RunningDesk, start_desk

from .conftest import ADMIN, AGENT, Problems, shot


@pytest.fixture
def fresh_desk(tmp_path: Path) -> Iterator[RunningDesk]:
    desk = start_desk(tmp_path / "data")
    try:
        yield desk
    finally:
        desk.stop()


def new_page(browser: Any, desk: RunningDesk, problems: Problems) -> Any:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=desk.url)
    page = context.new_page()
    problems.watch(page)
    return page


def first_run(page: Any) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Set up Desk")).to_be_visible()
    shot(page, "wizard-1-workspace")
    page.get_by_label("Workspace name").fill("Acme Support")
    page.get_by_label("Your name").fill(ADMIN["name"])
    page.get_by_label("Your email").fill(ADMIN["email"])
    page.get_by_label("Password").fill(ADMIN["password"])
    page.get_by_role("button", name="Create workspace").click()

    expect(page.get_by_role("heading", name="Add a channel")).to_be_visible()
    page.get_by_label("Channel type").select_option("phone")
    page.get_by_label("Channel name").fill("Phone")
    shot(page, "wizard-2-channel")
    page.get_by_role("button", name="Add channel").click()

    expect(page.get_by_role("heading", name="Invite your team")).to_be_visible()
    page.get_by_label("Name").fill(AGENT["name"])
    page.get_by_label("Email").fill(AGENT["email"])
    page.get_by_label("Temporary password").fill(AGENT["password"])
    page.get_by_role("button", name="Add teammate").click()
    expect(page.get_by_text("Sam Agent (sam@example.com) added as agent")).to_be_visible()
    shot(page, "wizard-3-team")
    page.get_by_role("button", name="Go to the inbox").click()


def sign_in(page: Any, who: dict[str, str]) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Email").fill(who["email"])
    page.get_by_label("Password").fill(who["password"])
    page.get_by_role("button", name="Sign in").click()


def test_first_day_journey(browser: Any, fresh_desk: RunningDesk) -> None:
    problems = Problems()
    admin = new_page(browser, fresh_desk, problems)
    first_run(admin)

    # The empty inbox explains how conversations arrive, with the button to log one.
    expect(admin.get_by_role("heading", name="No conversations yet")).to_be_visible()
    shot(admin, "inbox-empty")
    admin.get_by_role("button", name="Log a conversation").click()
    dialog = admin.get_by_role("dialog", name="Log a conversation")
    dialog.get_by_label("Contact name").fill("Grace Hopper")
    dialog.get_by_label("Email").fill("grace@example.com")
    dialog.get_by_label("Subject").fill("Refund for order 1042")
    dialog.get_by_label("Message").fill("My order 1042 arrived broken.")
    dialog.get_by_role("button", name="Log conversation").click()
    expect(admin).to_have_url(re.compile(r"#/inbox/open/c/\d+$"))
    conversation = admin.url.rsplit("/", 1)[1]
    expect(admin.locator(".msg.incoming")).to_have_text(re.compile("My order 1042 arrived broken."))

    # A teammate, signed in elsewhere, has the same conversation open.
    sam = new_page(browser, fresh_desk, problems)
    sign_in(sam, AGENT)
    expect(sam.locator(".conv-row")).to_have_count(1)
    sam.goto(f"/#/inbox/open/c/{conversation}")
    expect(sam.locator(".msg.incoming")).to_be_visible()

    # Reply with Ctrl+Enter: it shows at once here, and arrives live for Sam.
    reply = "Sorry, Grace! A refund is on its way."
    admin.get_by_label("Reply", exact=True).fill(reply)
    admin.get_by_label("Reply", exact=True).press("Control+Enter")
    expect(admin.locator(".msg.outgoing .msg-body")).to_have_text(reply)
    expect(sam.locator(".msg.outgoing .msg-body")).to_have_text(reply)

    # A private note, from the keyboard (n), visibly private.
    admin.locator(".thread-scroll").focus()
    admin.keyboard.press("n")
    note = admin.get_by_label("Private note")
    expect(note).to_be_focused()
    note.fill("Courier confirmed the damage.")
    admin.get_by_role("button", name="Add note").click()
    expect(admin.locator(".msg.note")).to_contain_text("Courier confirmed the damage.")
    expect(admin.locator(".msg.note")).to_contain_text("Only your team sees this")
    expect(sam.locator(".msg.note")).to_contain_text("Courier confirmed the damage.")

    # Tag, assign to Sam (whose Mine count follows live), then resolve.
    admin.get_by_label("Add a tag").fill("refund")
    admin.get_by_label("Add a tag").press("Enter")
    expect(admin.locator(".tags .chip")).to_have_text(["refund"])
    admin.get_by_role("button", name=re.compile("^Assignee")).click()
    admin.get_by_role("menuitem", name="Sam Agent").click()
    expect(admin.get_by_role("button", name=re.compile("^Assignee: Sam Agent"))).to_be_visible()
    expect(admin.locator(".msg.activity").filter(has_text="Sam Agent")).to_be_visible()
    expect(sam.locator("a.view-link[data-view='mine'] .view-count")).to_have_text("1")
    expect(sam.locator(".thread-head")).to_contain_text("Sam Agent")
    shot(admin, "journey-thread")
    admin.get_by_role("button", name="Resolve", exact=True).click()
    expect(admin.get_by_role("button", name=re.compile("^Status: Resolved"))).to_be_visible()
    expect(sam.get_by_role("button", name=re.compile("^Status: Resolved"))).to_be_visible()

    # Find it again by search, in Resolved, with the match highlighted.
    admin.get_by_role("navigation", name="Inbox views").get_by_role("link", name="Resolved").click()
    admin.keyboard.press("/")
    expect(admin.get_by_label("Search conversations")).to_be_focused()
    admin.keyboard.type("refund 104")  # words are ANDed, the last one a prefix
    row = admin.locator(f".conv-row[data-id='{conversation}']")
    expect(admin.locator(".conv-row")).to_have_count(1)
    expect(row.locator(".conv-subject mark")).to_have_text(["Refund", "104"])
    admin.get_by_label("Search conversations").fill("nothing-like-this")
    expect(admin.get_by_text("No conversations match “nothing-like-this”.")).to_be_visible()
    admin.get_by_label("Search conversations").fill("broken")
    expect(row).to_be_visible()
    shot(admin, "journey-search")

    # Analytics counts it: one new, one resolved, tagged refund.
    admin.get_by_role("link", name="Analytics").click()
    new_tile = admin.locator(".kpi").filter(has_text="New conversations")
    expect(new_tile.locator(".kpi-value")).to_have_text("1")
    expect(admin.locator(".kpi").filter(has_text="Resolved").locator(".kpi-value")).to_have_text(
        "1"
    )
    by_tag = admin.locator(".panel").filter(has=admin.get_by_role("heading", name="By tag"))
    expect(by_tag).to_contain_text("refund")
    shot(admin, "journey-analytics")
    assert problems.unexpected() == []
