"""The health banner, for real: a `desk serve` whose data dir is on a small tmpfs that the test
fills. Two agents are signed in; the one sending sees `Not sent` with the text kept in the
composer, both see the red "Disk full." banner (the other through the live event), and it
goes once a write works again. Also: the banner on every screen, and its look (screenshots)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.servers import start_desk
from tests.small_disk import fill, small_disk

from .conftest import ADMIN, AGENT, HINT, Problems, _seed, api_client, shot


def _signed_in_page(browser: Any, url: str, who: dict[str, str], hash: str) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=url)
    login = {"email": who["email"], "password": who["password"]}
    context.request.post("/api/auth/login", data=login)
    context.add_init_script(HINT)
    page = context.new_page()
    page.goto(hash)
    return context, page


def _fill_until_refused(client: httpx.Client, conversation_id: int) -> None:
    """After the filler, SQLite may still write into WAL space it holds: write until 507."""
    for n in range(3000):
        response = client.post(
            f"/api/conversations/{conversation_id}/messages",
            json={"body": f"filler {n} " + "z" * 3000, "type": "note"},
        )
        if response.status_code == 507:
            return
        assert response.status_code == 201, response.text
    raise AssertionError("the disk never filled")


def test_a_full_disk_shows_a_banner_to_every_agent_and_keeps_the_draft(
    browser: Any, tmp_path: Path
) -> None:
    with small_disk(tmp_path / "disk", 24) as disk:
        desk = start_desk(disk / "data")
        contexts = []
        try:
            seeded = _seed(desk)
            conversation = seeded.grace_conversation
            admin_context, admin_page = _signed_in_page(
                browser, desk.url, ADMIN, f"/#/inbox/open/c/{conversation}"
            )
            agent_context, agent_page = _signed_in_page(browser, desk.url, AGENT, "/#/contacts")
            contexts += [admin_context, agent_context]
            problems = Problems()
            problems.watch(admin_page)
            problems.watch(agent_page)
            # 24 MB is below max(500 MB, 2x the database): low space, an amber line.
            for page in (admin_page, agent_page):
                low = page.locator('.health-banner[data-code="disk_low"]')
                expect(low).to_be_visible()
                expect(low).to_contain_text("Disk space low.")
            shot(admin_page, "health-banner-disk-low")

            reply = admin_page.get_by_label("Reply")
            reply.fill("Your refund is on its way, Grace.")
            filler = fill(disk)
            with api_client(desk, ADMIN) as admin:
                _fill_until_refused(admin, conversation)
            admin_page.get_by_role("button", name="Send", exact=True).click()
            not_sent = admin_page.locator(".composer-error")
            expect(not_sent).to_contain_text("Not sent: The disk holding Desk's data")
            expect(reply).to_have_value("Your refund is on its way, Grace.")

            for page in (admin_page, agent_page):  # the agent on another screen, by the event
                full = page.locator('.health-banner[data-code="disk_full"]')
                expect(full).to_be_visible()
                expect(full).to_contain_text("Disk full.")
                expect(full).to_contain_text(str(disk / "data"))
                expect(page.locator('.health-banner[data-code="disk_low"]')).to_have_count(0)
            # Reads go on: the agent can still open conversations.
            agent_page.goto(f"/#/inbox/open/c/{conversation}")
            expect(agent_page.get_by_text("My order 1042 arrived broken.")).to_be_visible()
            shot(admin_page, "health-banner-disk-full")

            filler.unlink()
            admin_page.get_by_role("button", name="Send", exact=True).click()
            expect(admin_page.get_by_text("Your refund is on its way, Grace.").last).to_be_visible()
            expect(reply).to_have_value("")
            for page in (admin_page, agent_page):
                expect(page.locator('.health-banner[data-code="disk_full"]')).to_have_count(0)
                expect(page.locator('.health-banner[data-code="disk_low"]')).to_be_visible()
            assert [p for p in problems.unexpected() if "507" not in p] == []
        finally:
            for context in contexts:
                context.close()
            desk.stop()


def test_the_banner_sits_above_every_screen(browser: Any, tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", 16) as disk:
        desk = start_desk(disk / "data")
        try:
            _seed(desk)
            context, page = _signed_in_page(browser, desk.url, ADMIN, "/#/inbox/open")
            for screen in ("inbox", "contacts", "analytics", "settings"):
                page.goto(f"/#/{screen}")
                banner = page.locator(".health-banner")
                expect(banner).to_be_visible()
                main = page.locator("#main").bounding_box()
                box = banner.bounding_box()
                assert box is not None and main is not None
                assert box["y"] + box["height"] <= main["y"] + 1, screen  # above, not over it
            page.emulate_media(color_scheme="dark")
            shot(page, "health-banner-dark")
            context.close()
        finally:
            desk.stop()
