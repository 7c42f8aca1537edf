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


def test_a_failed_reply_is_dismissed_and_the_conversation_leaves_the_failed_view(
    open_page: Any, seeded: Seeded
) -> None:
    with api_client(seeded.desk, ADMIN) as admin:
        channel = admin.post(
            "/api/channels", json={"name": "Dead hook", "type": "api", "config": {}}
        ).json()
        made = [
            admin.post(
                "/api/conversations",
                json={
                    "channel_id": channel["id"],
                    "contact": {"name": name, "email": f"{name.lower()}@example.com"},
                    "subject": f"Order question from {name}",
                    "message": "Where is my parcel?",
                },
            ).json()
            for name in ("Barbara", "Frances")
        ]
        for conversation in made:  # no webhook_url: each reply fails at once
            admin.post(
                f"/api/conversations/{conversation['id']}/messages",
                json={"body": "It left our warehouse today."},
            ).raise_for_status()
    first, second = (c["id"] for c in made)
    page = open_page(hash=f"#/inbox/failed/c/{first}", width=1024, height=700).page
    thread_failure = page.locator(".delivery.failed")
    expect(thread_failure).to_contain_text("Failed", timeout=20_000)
    failed_link = page.locator(".view-link[data-view='failed']")
    expect(failed_link.locator(".view-count")).not_to_have_text("0")
    before = int(failed_link.locator(".view-count").inner_text())
    shot(page, "failed-dismiss-before-1024")

    thread_failure.get_by_role("button", name="Dismiss").click()
    expect(thread_failure).to_contain_text("Not delivered (dismissed)")
    expect(thread_failure.get_by_role("button", name="Retry")).to_be_visible()  # still possible
    expect(page.locator(".head-failed")).to_have_count(0)
    expect(page.locator(".msg.activity").last).to_contain_text(
        "Ada Admin dismissed a reply that could not be delivered."
    )
    expect(failed_link.locator(".view-count")).to_have_text(str(before - 1))
    shot(page, "failed-dismiss-after-1024")

    # Moving on, the dismissed conversation is no longer in the view; the other one still is.
    page.locator(f".conv-row[data-id='{second}']").click()
    expect(page.locator(f".conv-row[data-id='{first}']")).to_have_count(0)
    expect(page.locator(f".conv-row[data-id='{second}'] .chip.failed")).to_be_visible()
    page.set_viewport_size({"width": 1440, "height": 900})
    shot(page, "failed-dismiss-1440")
