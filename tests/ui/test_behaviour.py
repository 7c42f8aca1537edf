"""How the inbox behaves: keyboard, failed sends, expired sessions, suggestions, contacts."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from .conftest import ADMIN, Seeded, api_client, shot

COUNTS_LOADED_TWICE = """() => performance.getEntriesByType('resource')
  .filter((entry) => entry.name.includes('/api/conversations/counts')).length >= 2"""


def test_keyboard_moves_opens_assigns_and_resolves(open_page: Any, seeded: Seeded) -> None:
    page = open_page(hash="#/inbox/open").page
    rows = page.locator(".conv-row")
    expect(rows.first).to_be_visible()
    page.keyboard.press("j")
    page.keyboard.press("j")
    second = rows.nth(1)
    expect(second).to_have_class(re.compile("cursor"))
    conversation = second.get_attribute("data-id")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"#/inbox/open/c/{conversation}$"))
    expect(page.locator(".thread-head h2")).to_be_visible()
    page.keyboard.press("a")
    expect(page.get_by_role("button", name=re.compile("^Assignee: Ada Admin"))).to_be_visible()
    page.keyboard.press("e")
    expect(page.get_by_role("button", name=re.compile("^Status: Resolved"))).to_be_visible()
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"#/inbox/open$"))
    # Shortcuts never fire while typing.
    page.keyboard.press("/")
    page.keyboard.type("jk")
    expect(page.get_by_label("Search conversations")).to_have_value("jk")
    expect(page).to_have_url(re.compile(r"#/inbox/open(\?q=jk)?$"))  # the search, no conversation


def test_a_failed_send_keeps_the_text(open_page: Any, seeded: Seeded) -> None:
    opened = open_page(hash=f"#/inbox/open/c/{seeded.grace_conversation}")
    opened.problems.allowed.append("400 (Bad Request)")
    page = opened.page
    box = page.get_by_label("Reply", exact=True)
    too_long = "x" * 20_001
    box.fill(too_long)
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".composer-error")).to_contain_text("Not sent:")
    expect(box).to_have_value(too_long)


def test_an_expired_session_signs_in_and_returns(open_page: Any, seeded: Seeded) -> None:
    opened = open_page(hash=f"#/inbox/open/c/{seeded.grace_conversation}")
    opened.problems.allowed.append("401 (Unauthorized)")
    page = opened.page
    expect(page.locator(".msg.note")).to_be_visible()
    # Let the refresh that opening a conversation schedules (counts, 400 ms later) go out first:
    # on a slow machine it could otherwise meet the cleared cookies before the click does.
    page.wait_for_function(COUNTS_LOADED_TWICE)
    page.context.clear_cookies()
    page.get_by_role("link", name="Contacts", exact=True).click()
    expect(page.get_by_text("Your session ended")).to_be_visible()
    shot(page, "session-expired")
    page.get_by_label("Email").fill(ADMIN["email"])
    page.get_by_label("Password").fill(ADMIN["password"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".contacts-list")).to_be_visible()
    expect(page).to_have_url(re.compile(r"#/contacts$"))


def test_suggest_fills_an_editable_draft_with_its_source(open_page: Any, seeded: Seeded) -> None:
    page = open_page(hash=f"#/inbox/open/c/{seeded.xss_conversation}").page
    box = page.get_by_label("Reply", exact=True)
    box.fill("My own start")
    page.get_by_role("button", name="Suggest").click()
    expect(box).not_to_have_value("My own start")
    page.locator(".suggest-source").get_by_role("button", name="Undo").click()
    expect(box).to_have_value("My own start")
    box.fill("")
    page.get_by_role("button", name="Suggest").click()
    expect(box).not_to_have_value("")
    expect(page.locator(".suggest-source")).to_contain_text(re.compile("From|Template|Drafted"))
    box.press("End")
    box.type(" Thanks!")
    expect(box).to_have_value(re.compile("Thanks!$"))


def test_contacts_create_edit_and_delete_with_erasure_named(open_page: Any, seeded: Seeded) -> None:
    with api_client(seeded.desk, ADMIN) as admin:
        admin.post(
            "/api/conversations",
            json={
                "channel_id": seeded.channel_id,
                "contact": {"name": "Erin Erasable", "email": "erin@example.com"},
                "message": "Please forget me.",
            },
        ).raise_for_status()
    opened = open_page(hash="#/contacts")
    opened.problems.allowed.append("409 (Conflict)")
    page = opened.page
    page.get_by_role("button", name="New contact").click()
    form = page.get_by_role("form", name="New contact")
    form.get_by_label("Name").fill("Hedy Lamarr")
    form.get_by_label("Email").fill("grace@example.com")  # taken: the API says so by the field
    form.get_by_role("button", name="Create contact").click()
    expect(form.locator(".error-text, .error-box").filter(has_text=re.compile("."))).to_be_visible()
    form.get_by_label("Email").fill("hedy@example.com")
    form.get_by_role("button", name="Add attribute").click()
    form.get_by_label("Attribute name").fill("plan")
    form.get_by_label("Attribute value").fill("enterprise")
    form.get_by_role("button", name="Create contact").click()
    detail = page.locator(".contact-detail")
    expect(detail.get_by_role("heading", name="Hedy Lamarr")).to_be_visible()
    expect(detail).to_contain_text("enterprise")
    detail.get_by_role("button", name="Edit").click()
    edit = page.get_by_role("form", name="Edit contact")
    edit.get_by_label("Company").fill("MGM")
    edit.get_by_role("button", name="Remove attribute plan").click()
    edit.get_by_role("button", name="Save").click()
    expect(detail.get_by_role("heading", name="Hedy Lamarr")).to_be_visible()
    expect(detail).to_contain_text("MGM")
    expect(detail).not_to_contain_text("enterprise")

    page.get_by_label("Search contacts").fill("erin")
    page.locator(".contact-row", has_text="Erin Erasable").click()
    page.get_by_role("button", name="Delete").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("1 conversation")
    shot(page, "contact-delete-confirm")
    dialog.get_by_role("button", name=re.compile("^Delete contact")).click()
    expect(page.locator(".contact-row", has_text="Erin Erasable")).to_have_count(0)


def test_the_list_pages_on_scroll_without_duplicates(open_page: Any, seeded: Seeded) -> None:
    page = open_page(hash="#/inbox/open").page
    rows = page.locator(".conv-row")
    expect(rows.first).to_be_visible()
    page.locator(".list-scroll").evaluate("el => el.scrollTo(0, el.scrollHeight)")
    expect(page.locator(".conv-row", has_text="Customer 0")).to_be_visible()
    ids = rows.evaluate_all("rows => rows.map(r => r.dataset.id)")
    assert len(ids) > 50
    assert len(ids) == len(set(ids))


def test_tag_view_snooze_and_sign_out(open_page: Any, seeded: Seeded) -> None:
    page = open_page(hash="#/inbox/open").page
    views = page.get_by_role("navigation", name="Inbox views")
    views.get_by_role("link", name=re.compile("^billing")).click()
    expect(page.locator(".list-title")).to_have_text("#billing")
    expect(page.locator(".conv-row")).to_have_count(1)
    page.locator(".conv-row").first.click()
    expect(page.locator(".thread-head h2")).to_have_text("Grace Hopper")
    page.locator(".thread-scroll").focus()
    page.keyboard.press("s")
    page.get_by_role("menuitem", name="Tomorrow, 9:00").click()
    expect(page.get_by_role("button", name=re.compile("^Status: Snoozed"))).to_be_visible()
    expect(page.locator(".msg.activity").last).to_contain_text(re.compile("snooz", re.I))
    page.get_by_role("button", name=re.compile("^Status: Snoozed")).click()
    page.get_by_role("menuitem", name="Open", exact=True).click()
    expect(page.get_by_role("button", name=re.compile("^Status: Open"))).to_be_visible()

    page.get_by_role("button", name=re.compile("^Signed in as")).click()
    page.get_by_role("menuitem", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_a_wrong_current_password_is_said_by_the_form(open_page: Any, seeded: Seeded) -> None:
    opened = open_page(hash="#/settings/password")
    opened.problems.allowed.append("400 (Bad Request)")
    page = opened.page
    page.get_by_label("Current password").fill("not my password")
    page.get_by_label("New password", exact=True).fill("a brand new one")
    page.get_by_label("New password again").fill("a brand new one")
    page.get_by_role("button", name="Change password").click()
    form = page.get_by_role("form", name="Change your password")
    expect(form.get_by_role("alert").filter(has_text=re.compile("."))).to_be_visible()
