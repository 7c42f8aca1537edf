"""Send later: a reply scheduled from the composer shows in the thread with its time and a
Cancel; one whose time comes goes out by itself and the thread follows live."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import expect

from .conftest import ADMIN, Seeded, api_client, shot


def _conversation(seeded: Seeded, name: str, email: str) -> int:
    with api_client(seeded.desk, ADMIN) as admin:
        conversation = admin.post(
            "/api/conversations",
            json={
                "channel_id": seeded.channel_id,
                "contact": {"name": name, "email": email},
                "message": "Can you call me back tomorrow morning?",
            },
        ).json()
    return int(conversation["id"])


def _messages(seeded: Seeded, conversation_id: int) -> list[dict[str, Any]]:
    with api_client(seeded.desk, ADMIN) as admin:
        response = admin.get(f"/api/conversations/{conversation_id}/messages")
        return list(response.json()["items"])


def test_schedule_from_the_composer_then_cancel(open_page: Any, seeded: Seeded) -> None:
    conversation_id = _conversation(seeded, "Edsger Dijkstra", "edsger@example.com")
    page = open_page(hash=f"#/inbox/open/c/{conversation_id}").page
    page.get_by_label("Reply", exact=True).fill("Good morning Edsger, calling you at ten.")
    page.get_by_role("button", name="Send later").click()
    page.get_by_role("menuitem", name="Tomorrow, 9:00").click()

    waiting = page.get_by_role("list", name="Scheduled replies").get_by_role("listitem")
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text("Good morning Edsger")
    expect(waiting).to_contain_text("Scheduled for")
    expect(page.get_by_label("Reply", exact=True)).to_have_value("")
    stored = [m for m in _messages(seeded, conversation_id) if m["type"] == "outgoing"]
    assert [m["delivery"]["status"] for m in stored] == ["scheduled"]
    shot(page, "scheduled-send")

    waiting.get_by_role("button", name="Cancel").click()
    expect(waiting).to_have_count(0)
    assert [m for m in _messages(seeded, conversation_id) if m["type"] == "outgoing"] == []


def test_a_scheduled_reply_goes_out_and_the_thread_follows(open_page: Any, seeded: Seeded) -> None:
    conversation_id = _conversation(seeded, "Frances Allen", "frances@example.com")
    page = open_page(hash=f"#/inbox/open/c/{conversation_id}").page
    expect(page.get_by_role("log", name="Messages")).to_contain_text("call me back", timeout=15_000)
    soon = (datetime.now(UTC) + timedelta(seconds=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with api_client(seeded.desk, ADMIN) as admin:
        response = admin.post(
            f"/api/conversations/{conversation_id}/messages",
            json={"body": "It went out by itself.", "send_at": soon},
        )
        assert response.status_code == 201, response.text
    log = page.get_by_role("log", name="Messages")
    # The background loop sends it (it checks every few seconds); the thread follows live.
    expect(log.locator(".msg.outgoing")).to_contain_text("It went out by itself.", timeout=20_000)
    waiting = page.get_by_role("list", name="Scheduled replies").get_by_role("listitem")
    expect(waiting).to_have_count(0)
    expect(log.locator(".msg.outgoing .delivery")).to_have_text("Sent")
