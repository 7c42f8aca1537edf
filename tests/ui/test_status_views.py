"""The status model in the inbox: "Open" lists only open conversations (snoozing clears the
queue), each shows how long it has waited on us, and "Waiting longest" sorts by that wait."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from .conftest import ADMIN, Seeded, api_client, shot


def test_open_view_waiting_time_and_waiting_longest(open_page: Any, seeded: Seeded) -> None:
    with api_client(seeded.desk, ADMIN) as admin:
        channels = admin.get("/api/channels").json()["items"]
        shop = next(c for c in channels if c["name"] == "Shop API")
        made = admin.post(
            shop["config"]["inbound_url"],
            json={"contact": {"name": "Ada Lovelace", "email": "ada.l@example.com"},
                  "body": "The engine stopped again.", "thread_id": "engine"},
        ).json()  # fmt: skip
        waiting = made["conversation_id"]
        counts = admin.get("/api/conversations/counts").json()
    page = open_page(hash="#/inbox/open").page
    row = page.locator(f".conv-row[data-id='{waiting}']")
    expect(page.locator(".list-title")).to_have_text("Open")
    expect(page.locator(".view-link[data-view='open'] .view-count")).to_have_text(
        str(counts["open_only"])
    )
    expect(row.locator(".waiting")).to_have_text("waiting 1 min")

    row.click()
    page.locator(".thread-scroll").focus()
    page.keyboard.press("s")
    page.get_by_role("menuitem", name="Tomorrow, 9:00").click()
    expect(page.locator(".status-btn")).to_contain_text("Snoozed")
    page.locator(".thread-scroll").focus()
    page.keyboard.press("Escape")
    expect(row).to_have_count(0)  # snoozing clears it from Open once the agent moves on
    page.get_by_label("Sort").select_option("waiting_longest")
    first = page.locator(".conv-row").first
    expect(first.locator(".waiting")).to_be_visible()
    shot(page, "open-view-waiting-longest")
    page.locator(".view-link[data-view='snoozed']").click()
    expect(page.locator(f".conv-row[data-id='{waiting}']")).to_be_visible()
