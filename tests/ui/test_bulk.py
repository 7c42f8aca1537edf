"""Bulk actions in the conversation list: select rows (avatar click, shift-click, `x`, the
page's checkbox), act on them from the one bulk bar, and undo."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from .a11y import Audit
from .conftest import ADMIN, Seeded, api_client, shot


def made(seeded: Seeded, label: str, priorities: list[str]) -> list[int]:
    """New open conversations (the list's newest: at its top), oldest first."""
    with api_client(seeded.desk, ADMIN) as admin:
        return [
            admin.post(
                "/api/conversations",
                json={
                    "channel_id": seeded.channel_id,
                    "contact": {"name": f"{label} {n}", "email": f"{label.lower()}{n}@example.com"},
                    "subject": f"{label} question {n}",
                    "message": "Hello?",
                    "priority": priority,
                },
            ).json()["id"]
            for n, priority in enumerate(priorities)
        ]


def conversation(seeded: Seeded, conversation_id: int) -> dict[str, Any]:
    with api_client(seeded.desk, ADMIN) as admin:
        return dict(admin.get(f"/api/conversations/{conversation_id}").json())


def test_select_three_resolve_them_and_undo(open_page: Any, seeded: Seeded) -> None:
    first, second, third = made(seeded, "Bulk", ["normal", "high", "low"])
    page = open_page(hash="#/inbox/open").page
    rows = [page.locator(f".conv-row[data-id='{i}']") for i in (first, second, third)]
    bar = page.get_by_role("group", name="Selected conversations")
    count = page.locator(".list-head .bulk-count")
    expect(rows[2]).to_be_visible()
    expect(bar).to_be_hidden()

    rows[2].locator(".avatar").click()  # the newest, at the top: a click on its avatar
    expect(rows[2]).to_have_class(re.compile(r"\bchecked\b"))
    expect(bar).to_be_visible()
    expect(page.locator(".list .filters")).to_be_hidden()  # the bar replaces the filters
    expect(count).to_have_text("1 selected")
    expect(page.locator("#announcer")).to_have_text("1 selected")
    rows[1].locator(".conv-name").click(modifiers=["Shift"])  # a range: the two of them
    expect(count).to_have_text("2 selected")
    expect(page).not_to_have_url(re.compile(r"/c/"))  # the shift-click opened nothing
    rows[1].focus()
    page.keyboard.press("j")
    expect(rows[0]).to_be_focused()
    page.keyboard.press("x")
    expect(count).to_have_text("3 selected")
    expect(page.locator("#announcer")).to_have_text("3 selected")
    for row in rows:
        expect(row).to_have_class(re.compile(r"\bchecked\b"))
        expect(row).to_contain_text("Selected")  # for screen readers
    expect(page.locator(".conv-row.checked")).to_have_count(3)
    expect(page.locator(".bulk-bar")).to_have_count(1)
    expect(page.get_by_label("Select all on this page")).to_have_js_property("indeterminate", True)
    shot(page, "bulk-selected")

    bar.get_by_role("button", name="Resolve").click()
    for row in rows:
        expect(row).to_have_count(0)  # resolved: they leave the Open view
    expect(bar).to_be_hidden()
    expect(page.locator(".list .filters")).to_be_visible()
    toast = page.locator(".toast", has_text="3 conversations resolved.")
    expect(toast).to_be_visible()
    assert [conversation(seeded, i)["status"] for i in (first, second, third)] == ["resolved"] * 3
    with api_client(seeded.desk, ADMIN) as admin:
        counts = admin.get("/api/conversations/counts").json()
    open_count = page.locator(".view-link[data-view='open'] .view-count")
    expect(open_count).to_have_text(str(counts["open_only"]))  # the views' counts follow
    shot(page, "bulk-resolved")

    toast.get_by_role("button", name="Undo").click()
    for row in rows:
        expect(row).to_be_visible()  # back in Open
        expect(row).not_to_have_class(re.compile(r"\bchecked\b"))
    expect(page.locator("#announcer")).to_have_text("Undone")
    assert [conversation(seeded, i)["status"] for i in (first, second, third)] == ["open"] * 3
    page.reload()
    for row in rows:
        expect(row).to_be_visible()  # the server agrees
    shot(page, "bulk-undone")


def test_priority_from_the_keyboard_and_undo_to_each_own(open_page: Any, seeded: Seeded) -> None:
    first, second = made(seeded, "Priority", ["low", "high"])
    page = open_page(hash="#/inbox/open").page
    rows = [page.locator(f".conv-row[data-id='{i}']") for i in (first, second)]
    expect(rows[1]).to_be_visible()
    rows[1].focus()
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    bar = page.get_by_role("group", name="Selected conversations")
    count = page.locator(".list-head .bulk-count")
    expect(count).to_have_text("2 selected")
    bar.get_by_role("button", name="Priority").click()
    expect(page.get_by_role("menu", name="Priority")).to_be_visible()
    page.keyboard.press("ArrowDown")  # Urgent is first: the keyboard picks it
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    toast = page.locator(".toast", has_text="Priority of 2 conversations set to Urgent.")
    expect(toast).to_be_visible()
    for row in rows:
        expect(row.locator(".chip.urgent")).to_be_visible()
    expect(page.locator(".conv-row:focus")).to_have_count(1)  # the keyboard stays in the list
    assert [conversation(seeded, i)["priority"] for i in (first, second)] == ["urgent"] * 2
    toast.get_by_role("button", name="Undo").click()
    expect(page.locator("#announcer")).to_have_text("Undone")
    assert [conversation(seeded, i)["priority"] for i in (first, second)] == ["low", "high"]
    expect(rows[1].locator(".chip.high")).to_be_visible()

    # Escape clears a selection; the page's checkbox selects every row shown.
    rows[0].focus()
    page.keyboard.press("x")
    expect(bar).to_be_visible()
    page.keyboard.press("Escape")
    expect(bar).to_be_hidden()
    expect(page.locator("#announcer")).to_have_text("Selection cleared")
    page.get_by_label("Select all on this page").check()
    shown = page.locator(".conv-row").count()
    expect(count).to_have_text(f"{shown} selected")
    audit = Audit()
    audit.check(page, "bulk bar")
    bar.get_by_role("button", name="Tag").click()
    expect(page.get_by_role("dialog", name=re.compile(r"^Tag \d+ conversations$"))).to_be_visible()
    audit.check(page, "bulk tag dialog", "dialog")
    page.keyboard.press("Escape")
    bar.get_by_role("button", name=re.compile("^Clear selection")).click()
    expect(bar).to_be_hidden()
    audit.assert_clean()


def test_tag_and_assign_in_bulk(open_page: Any, seeded: Seeded) -> None:
    first, second = made(seeded, "Tagging", ["normal", "normal"])
    opened = open_page(hash="#/inbox/open")
    opened.problems.allowed.append("400 (Bad Request)")  # the malformed tag, refused on purpose
    page = opened.page
    rows = [page.locator(f".conv-row[data-id='{i}']") for i in (first, second)]
    for row in rows:
        row.locator(".avatar").click()
    bar = page.get_by_role("group", name="Selected conversations")
    bar.get_by_role("button", name="Tag").click()
    dialog = page.get_by_role("dialog", name="Tag 2 conversations")
    dialog.get_by_label("Tag").fill("no/slash")
    dialog.get_by_role("button", name="Add tag").click()
    expect(dialog.get_by_role("alert").first).to_contain_text("tag")  # refused inside the dialog
    dialog.get_by_label("Tag").fill(" Bulk-Tagged ")
    dialog.get_by_label("Tag").press("Enter")
    expect(dialog).to_be_hidden()
    tagged = page.locator(".toast", has_text="Tag bulk-tagged added to 2 conversations.")
    expect(tagged).to_be_visible()
    for row in rows:
        expect(row).to_contain_text("bulk-tagged")
    assert all("bulk-tagged" in conversation(seeded, i)["tags"] for i in (first, second))

    for row in rows:
        row.locator(".avatar").click()
    bar.get_by_role("button", name="Assign").click()
    page.get_by_role("menuitem", name="Sam Agent").click()
    toast = page.locator(".toast", has_text="2 conversations assigned to Sam Agent.")
    expect(toast).to_be_visible()
    expect(page.locator(".toast", has_text="bulk-tagged")).to_have_count(0)  # one Undo at a time
    shot(page, "bulk-assigned")
    names = [conversation(seeded, i)["assignee"]["name"] for i in (first, second)]
    assert names == ["Sam Agent"] * 2
    toast.get_by_role("button", name="Undo").click()
    expect(page.locator("#announcer")).to_have_text("Undone")
    assert [conversation(seeded, i)["assignee"] for i in (first, second)] == [None, None]


def test_snooze_in_bulk_with_the_thread_s_presets(open_page: Any, seeded: Seeded) -> None:
    first, second = made(seeded, "Snoozing", ["normal", "urgent"])
    page = open_page(hash="#/inbox/open").page
    rows = [page.locator(f".conv-row[data-id='{i}']") for i in (first, second)]
    rows[1].locator(".avatar").click()
    rows[0].locator(".conv-name").click(modifiers=["Shift"])
    bar = page.get_by_role("group", name="Selected conversations")
    bar.get_by_role("button", name="Snooze").click()
    menu = page.get_by_role("menu", name="Snooze")
    expect(menu.get_by_role("menuitem", name="Pick a date…")).to_be_visible()
    menu.get_by_role("menuitem", name="Tomorrow, 9:00").click()
    for row in rows:
        expect(row).to_have_count(0)  # snoozed: out of Open
    toast = page.locator(".toast", has_text=re.compile(r"^2 conversations snoozed until "))
    expect(toast).to_be_visible()
    snoozed = [conversation(seeded, i) for i in (first, second)]
    assert [c["status"] for c in snoozed] == ["snoozed"] * 2
    assert snoozed[0]["snoozed_until"] == snoozed[1]["snoozed_until"]
    toast.get_by_role("button", name="Undo").click()
    for row in rows:
        expect(row).to_be_visible()
    assert [conversation(seeded, i)["status"] for i in (first, second)] == ["open"] * 2
