"""Team workflow in the browser: canned replies (Settings, and `/` in the composer), merging
conversations and contacts, and two agents seeing each other (presence, the reply guard).

These tests change what they touch (a merge deletes a conversation), so they run against a
Desk of their own, not the shared `seeded` one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.servers import start_desk

from .a11y import Audit
from .conftest import ADMIN, Seeded, _seed, api_client, shot


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    desk = start_desk(Path(tmp_path_factory.mktemp("ui-team")))
    try:
        yield _seed(desk)
    finally:
        desk.stop()


def thread_hash(conversation_id: int) -> str:
    return f"#/inbox/open/c/{conversation_id}"


def test_a_canned_reply_is_made_in_settings_and_inserted_from_the_keyboard(
    open_page: Any, team: Seeded
) -> None:
    opened = open_page(hash="#/settings/canned", url=team.url)
    opened.problems.allowed.append("409 (Conflict)")  # the taken shortcut, refused on purpose
    page = opened.page
    form = page.get_by_role("form", name="New canned reply")
    form.get_by_label("Shortcut").fill("refund")
    form.get_by_label("Title").fill("Refund on its way")
    form.get_by_label("Text").fill("Hi {{contact.first_name}}, your refund is on its way.")
    form.get_by_role("button", name="Add canned reply").click()
    card = page.get_by_role("article", name="/refund")
    expect(card).to_contain_text("Refund on its way")
    form.get_by_label("Shortcut").fill("shipping")
    form.get_by_label("Title").fill("Shipping times")
    form.get_by_label("Text").fill("Parcels leave within 2 days, {{contact.name}}.")
    form.get_by_role("button", name="Add canned reply").click()
    expect(page.get_by_role("article", name="/shipping")).to_be_visible()
    # A taken shortcut is refused next to the field.
    form.get_by_label("Shortcut").fill("refund")
    form.get_by_label("Title").fill("Again")
    form.get_by_label("Text").fill("x")
    form.get_by_role("button", name="Add canned reply").click()
    expect(form).to_contain_text("already exists")
    shot(page, "team-canned-settings")
    audit = Audit()
    audit.check(page, "settings canned replies")

    page.goto("/" + thread_hash(team.grace_conversation))
    reply = page.get_by_role("textbox", name="Reply")
    reply.click()
    reply.type("Thanks for waiting! /ref")
    picker = page.get_by_role("listbox", name="Canned replies")
    expect(picker.get_by_role("option")).to_have_count(1)
    expect(picker.get_by_role("option").first).to_contain_text("/refund")
    shot(page, "team-canned-picker")
    audit.check(page, "canned reply picker")
    reply.press("Enter")
    expect(reply).to_have_value("Thanks for waiting! Hi Grace, your refund is on its way.")
    expect(picker).to_be_hidden()

    # From the button: the list of all, arrows and Enter.
    page.get_by_role("button", name="Canned").click()
    expect(picker.get_by_role("option")).to_have_count(2)
    reply.press("ArrowDown")
    reply.press("Enter")
    expect(reply).to_have_value(
        "Thanks for waiting! Hi Grace, your refund is on its way. "
        "Parcels leave within 2 days, Grace Hopper."
    )
    # Escape closes the list and leaves the text as typed.
    reply.type(" /zz")
    expect(picker).to_contain_text("No canned reply starts with /zz")
    reply.press("Escape")
    expect(picker).to_be_hidden()
    reply.press("Control+Enter")
    thread = page.get_by_role("log")
    expect(thread).to_contain_text("Parcels leave within 2 days, Grace Hopper. /zz")

    with api_client(team.desk, ADMIN) as admin:
        messages = admin.get(
            f"/api/conversations/{team.grace_conversation}/messages", params={"order": "desc"}
        ).json()["items"]
    assert messages[0]["body"].startswith("Thanks for waiting! Hi Grace, your refund")
    audit.assert_clean()


def test_merge_conversations_and_contacts_from_the_ui(
    browser: Any, open_page: Any, team: Seeded
) -> None:
    with api_client(team.desk, ADMIN) as admin:
        first = admin.post(
            "/api/conversations",
            json={
                "channel_id": team.channel_id,
                "contact": {"name": "Ada Lovelace", "email": "ada.l@example.com"},
                "subject": "Engine order",
                "message": "Where is my analytical engine?",
                "tags": ["orders"],
            },
        ).json()
        second = admin.post(
            "/api/conversations",
            json={
                "channel_id": team.channel_id,
                "contact_id": first["contact"]["id"],
                "subject": "Engine order, again",
                "message": "Any news about the engine?",
                "tags": ["urgent-ish"],
            },
        ).json()
        by_phone = admin.post(
            "/api/contacts", json={"name": "A. Lovelace", "phone": "+44 20 7946 0000"}
        ).json()
    # A teammate has the second conversation open: their screen follows the survivor.
    watcher = open_page(hash=thread_hash(second["id"]), url=team.url).page
    expect(watcher.get_by_role("heading", name="Ada Lovelace", level=2)).to_be_visible()

    page = open_page(hash=thread_hash(second["id"]), url=team.url).page
    page.get_by_role("button", name="Merge into…").click()
    dialog = page.get_by_role("dialog")
    option = dialog.get_by_role("button", name=f"#{first['id']} Engine order")
    expect(option).to_be_visible()
    dialog.get_by_role("searchbox").fill("nothing like this")
    expect(option).to_have_count(0)
    dialog.get_by_role("searchbox").fill(f"#{first['id']}")
    shot(page, "team-merge-pick")
    option.click()
    expect(dialog).to_contain_text(f"Merge #{second['id']} Engine order, again into #{first['id']}")
    expect(dialog).to_contain_text("1 message")
    expect(dialog).to_contain_text("tags urgent-ish")
    shot(page, "team-merge-confirm")
    audit = Audit()
    audit.check(page, "merge confirmation", "dialog[open]")
    dialog.get_by_role("button", name="Merge", exact=True).click()
    expect(page).to_have_url(f"{team.url}/{thread_hash(first['id'])}")
    thread = page.get_by_role("log")
    expect(thread).to_contain_text("Any news about the engine?")
    expect(thread).to_contain_text(f"merged conversation #{second['id']}")
    expect(watcher).to_have_url(f"{team.url}/{thread_hash(first['id'])}")
    expect(watcher.get_by_role("log")).to_contain_text("Any news about the engine?")
    shot(watcher, "team-merge-followed")

    # Contacts: the same person by email and by phone.
    page.goto(f"/#/contacts/{by_phone['id']}")
    page.get_by_role("button", name="Merge into…").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("searchbox").fill("lovelace")
    dialog.get_by_role("button", name="Ada Lovelace").click()
    expect(dialog).to_contain_text("Merge A. Lovelace into Ada Lovelace?")
    expect(dialog).to_contain_text("phone")
    shot(page, "team-merge-contact-confirm")
    audit.check(page, "contact merge confirmation", "dialog[open]")
    dialog.get_by_role("button", name="Merge contacts").click()
    expect(page).to_have_url(f"{team.url}/#/contacts/{first['contact']['id']}")
    expect(page.get_by_role("region", name="Contact details")).to_contain_text("+44 20 7946 0000")
    audit.assert_clean()
