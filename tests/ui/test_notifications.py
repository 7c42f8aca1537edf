"""Mentions and notifications across two agents: Ada types `@Sa` in a note, picks Sam Agent
from the list and adds the note; Sam's bell counts it at once, the browser notification is
shown (permission granted), and the Mentions tab leads to the conversation."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from .conftest import ADMIN, AGENT, Seeded, api_client, shot

# Records the browser notifications the page creates (the headless browser shows none).
RECORD = """
window.__shown = [];
class FakeNotification {
  static permission = "granted";
  static requestPermission() { return Promise.resolve("granted"); }
  constructor(title, options) { window.__shown.push({ title, body: options && options.body }); }
  close() {}
}
window.Notification = FakeNotification;
"""


def test_a_mention_reaches_the_other_agent(open_page: Any, seeded: Seeded) -> None:
    with api_client(seeded.desk, ADMIN) as admin:
        conversation = admin.post(
            "/api/conversations",
            json={
                "channel_id": seeded.channel_id,
                "contact": {"name": "Alan Kay", "email": "alan@example.com"},
                "message": "The invoice total looks wrong.",
            },
        ).json()
    sam_opened = open_page(who=AGENT, hash="#/inbox")
    sam = sam_opened.page
    sam.context.add_init_script(RECORD)
    sam.reload()
    bell = sam.get_by_role("button", name="Notifications", exact=False)
    expect(bell).to_be_visible()

    ada = open_page(hash=f"#/inbox/open/c/{conversation['id']}").page
    ada.get_by_role("tab", name="Note").click()
    note = ada.get_by_label("Private note")
    note.press_sequentially("Can you check this @Sa")
    picker = ada.get_by_role("listbox", name="Teammates")
    expect(picker.get_by_role("option")).to_have_count(1)
    expect(picker).to_contain_text("Sam Agent")
    shot(ada, "mention-picker")
    note.press("Enter")
    expect(note).to_have_value("Can you check this @Sam Agent ")
    ada.get_by_role("button", name="Add note").click()
    expect(ada.get_by_role("log", name="Messages")).to_contain_text("@Sam Agent")

    expect(bell.locator(".bell-count")).to_have_text("1")
    sam.wait_for_function("window.__shown.length === 1")
    shown = sam.evaluate("window.__shown[0]")
    assert shown["title"] == "Ada Admin mentioned you"
    assert "@Sam Agent" in shown["body"]

    bell.click()
    panel = sam.get_by_role("dialog", name="Notifications")
    panel.get_by_role("tab", name="Mentions").click()
    item = panel.get_by_role("listitem").filter(has_text="Ada Admin mentioned you")
    expect(item).to_have_count(1)
    shot(sam, "notifications-panel")
    item.click()
    expect(sam).to_have_url(f"{seeded.url}/#/inbox/open/c/{conversation['id']}")
    expect(sam.get_by_role("log", name="Messages")).to_contain_text("@Sam Agent", timeout=15_000)
    expect(bell.locator(".bell-count")).to_be_hidden()  # opening it read it
