"""Drafts survive: switching conversations, a reload, another browser; "Draft" on the row; sent,
they are gone. Each agent has their own."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from .conftest import ADMIN, AGENT, Seeded, api_client, shot


def _conversation(seeded: Seeded, name: str) -> int:
    with api_client(seeded.desk, ADMIN) as admin:
        created = admin.post(
            "/api/conversations",
            json={
                "channel_id": seeded.channel_id,
                "contact": {"name": name, "email": f"{name.split()[0].lower()}@drafts.example"},
                "subject": f"{name} asks about drafts",
                "message": "Is my half-written answer safe?",
            },
        )
        created.raise_for_status()
        return int(created.json()["id"])


def test_a_draft_is_kept_across_switching_reload_and_browsers(
    open_page: Any, seeded: Seeded
) -> None:
    first = _conversation(seeded, "Dora Draft")
    second = _conversation(seeded, "Otto Other")
    page = open_page(hash=f"#/inbox/open/c/{first}").page
    reply = page.get_by_label("Reply", exact=True)
    reply.fill("Hi Dora, about your question: ")
    page.get_by_role("tab", name="Note").click()
    page.get_by_label("Private note", exact=True).fill("check the archive first")
    # Switch away at once (before the pause that saves): nothing is lost.
    page.locator(f'.conv-row[data-id="{second}"]').click()
    expect(page.locator(".thread-head h2")).to_have_text("Otto Other")
    expect(page.get_by_label("Reply", exact=True)).to_have_value("")
    row = page.locator(f'.conv-row[data-id="{first}"]')
    expect(row.locator(".chip.draft")).to_have_text("Draft")
    shot(page, "draft-row")
    page.locator(f'.conv-row[data-id="{first}"]').click()
    expect(page.get_by_label("Reply", exact=True)).to_have_value("Hi Dora, about your question: ")
    # A reload (the window restarting is a new page on a new port) brings back both sides.
    page.get_by_label("Reply", exact=True).press("End")
    page.keyboard.type("it is safe.")
    page.reload()
    reply = page.get_by_label("Reply", exact=True)
    expect(reply).to_have_value("Hi Dora, about your question: it is safe.", timeout=15_000)
    page.get_by_role("tab", name="Note").click()
    expect(page.get_by_label("Private note", exact=True)).to_have_value("check the archive first")
    # Another browser, same agent: the same draft. Another agent: none.
    other = open_page(hash=f"#/inbox/open/c/{first}").page
    expect(other.get_by_label("Reply", exact=True)).to_have_value(
        "Hi Dora, about your question: it is safe.", timeout=15_000
    )
    other.close()
    sam = open_page(who=AGENT, hash=f"#/inbox/open/c/{first}").page
    expect(sam.locator(".thread-head h2")).to_have_text("Dora Draft", timeout=15_000)
    expect(sam.get_by_label("Reply", exact=True)).to_have_value("")
    expect(sam.locator(f'.conv-row[data-id="{first}"] .chip.draft')).to_have_count(0)
    sam.close()
    # Sending the reply clears it; the note stays a draft until it is added.
    page.get_by_role("tab", name="Reply").click()
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".msg.outgoing").last).to_contain_text("it is safe.")
    expect(page.get_by_label("Reply", exact=True)).to_have_value("")
    expect(row.locator(".chip.draft")).to_have_count(1)
    page.get_by_role("tab", name="Note").click()
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".msg.note").last).to_contain_text("check the archive first")
    expect(row.locator(".chip.draft")).to_have_count(0)
    page.reload()
    expect(page.get_by_label("Reply", exact=True)).to_have_value("")
    expect(page.locator(f'.conv-row[data-id="{first}"]')).to_be_visible()
    expect(page.locator(f'.conv-row[data-id="{first}"] .chip.draft')).to_have_count(0)
    with api_client(seeded.desk, ADMIN) as admin:
        draft = admin.get(f"/api/conversations/{first}/draft").json()
    assert (draft["reply"], draft["note"]) == ("", "")
    assert re.search(r"/c/\d+$", page.url)
