"""Failed replies cannot hide: "Send and resolve" on a reply that fails keeps the conversation
open, marked, and the "Failed to send" view gathers it with a red live count. (A reply that
fails after the conversation was resolved reopens it: tests/test_failed_replies.py.)"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from .conftest import ADMIN, Seeded, api_client, shot


def test_send_and_resolve_of_a_failing_reply_lands_in_the_failed_view(
    open_page: Any, seeded: Seeded
) -> None:
    with api_client(seeded.desk, ADMIN) as admin:
        channel = admin.post(
            "/api/channels",
            json={"name": "Broken API", "type": "api", "config": {}, "active": True},
        ).json()
        conversation = admin.post(
            "/api/conversations",
            json={
                "channel_id": channel["id"],
                "contact": {"name": "Edsger Dijkstra", "email": "edsger@example.com"},
                "subject": "Invoice copy",
                "message": "Could you send me a copy of my invoice?",
            },
        ).json()
        failed_before = admin.get("/api/conversations/counts").json()["failed"]
    page = open_page(hash=f"#/inbox/open/c/{conversation['id']}").page
    page.get_by_label("Reply", exact=True).fill("Here it is, attached.")
    page.get_by_role("button", name="Send and resolve").click()
    expect(page.locator(".toast.error")).to_contain_text("not delivered")
    expect(page.locator(".status-btn")).to_contain_text("Open")  # not resolved
    expect(page.locator(".head-failed")).to_contain_text("A reply was not delivered.")

    row = page.locator(f".conv-row[data-id='{conversation['id']}']")
    failed_link = page.locator(".view-link[data-view='failed']")
    expect(failed_link.locator(".view-count")).to_have_text(str(failed_before + 1))
    expect(failed_link.locator(".view-count.alarm")).to_be_visible()

    failed_link.click()
    expect(page.locator(".list-title")).to_have_text("Failed to send")
    expect(row).to_be_visible()
    expect(row.locator(".chip.failed")).to_have_text("failed")
    row.click()
    expect(page.locator(".delivery.failed")).to_contain_text("Failed")
    expect(page.locator(".head-failed")).to_be_visible()
    shot(page, "failed-view")
