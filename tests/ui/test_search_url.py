"""Filters and search that stay: in the URL (reload, back/forward, a copied link), every status
searched with a chip to narrow to the view, #123, message snippets, "Did you mean"."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from .conftest import ADMIN, Seeded, api_client, shot


def test_search_and_filters_live_in_the_url(open_page: Any, seeded: Seeded) -> None:
    with api_client(seeded.desk, ADMIN) as admin:
        made = admin.post(
            "/api/conversations",
            json={
                "channel_id": seeded.channel_id,
                "contact": {"name": "Quentin Quartz", "email": "quentin@search.example"},
                "subject": "Paperwork",
                "message": "Hello.\nThe quarterly invoice never arrived at our office.\nBest",
            },
        ).json()
        admin.post(
            f"/api/conversations/{made['id']}/status", json={"status": "resolved"}
        ).raise_for_status()
    page = open_page(hash="#/inbox/open").page
    search = page.get_by_label("Search conversations")
    search.fill("quarterly")
    search.press("Enter")
    # Resolved, yet found: a search covers every status; the matching line is shown.
    row = page.locator(f'.conv-row[data-id="{made["id"]}"]')
    expect(row).to_be_visible()
    expect(row.locator(".conv-snippet")).to_have_text(
        "The quarterly invoice never arrived at our office."
    )
    expect(page).to_have_url(re.compile(r"#/inbox/open\?q=quarterly$"))
    shot(page, "search-everywhere")
    # The chip narrows it to the view (Open): the resolved one leaves.
    page.get_by_role("button", name=re.compile("^Only in")).click()
    expect(page).to_have_url(re.compile(r"\?q=quarterly&in=view$"))
    expect(row).to_have_count(0)
    page.get_by_role("button", name=re.compile("^Only in")).click()
    expect(row).to_be_visible()
    page.get_by_label("Priority filter").select_option("urgent")
    expect(page).to_have_url(re.compile(r"q=quarterly&priority=urgent"))
    expect(row).to_have_count(0)
    # Back undoes the filter, reload keeps the search, a copied link opens the same list.
    page.go_back()
    expect(page.get_by_label("Priority filter")).to_have_value("")
    expect(row).to_be_visible()
    page.reload()
    expect(page.get_by_label("Search conversations")).to_have_value("quarterly")
    expect(page.locator(f'.conv-row[data-id="{made["id"]}"]')).to_be_visible(timeout=15_000)
    link = page.url
    other = open_page(hash=link.split("/", 3)[3].lstrip("/")).page
    expect(other.get_by_label("Search conversations")).to_have_value("quarterly", timeout=15_000)
    expect(other.locator(f'.conv-row[data-id="{made["id"]}"]')).to_be_visible()
    # Opening a row keeps the search in the URL.
    other.locator(f'.conv-row[data-id="{made["id"]}"]').click()
    expect(other).to_have_url(re.compile(rf"/c/{made['id']}\?q=quarterly$"))
    other.close()
    # "#123" finds that conversation first; a typo offers the word Desk knows.
    search = page.get_by_label("Search conversations")
    search.fill(f"#{seeded.grace_conversation}")
    search.press("Enter")
    expect(page.locator(".conv-row").first).to_have_attribute(
        "data-id", str(seeded.grace_conversation)
    )
    search.fill("quarterlly")
    search.press("Enter")
    suggestion = page.locator(".did-you-mean").get_by_role("button", name="quarterly")
    expect(suggestion).to_be_visible()
    shot(page, "search-did-you-mean")
    suggestion.click()
    expect(page.get_by_label("Search conversations")).to_have_value("quarterly")
    expect(page.locator(f'.conv-row[data-id="{made["id"]}"]')).to_be_visible()
