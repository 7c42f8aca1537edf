"""Live updates: a new conversation slides in; a lost stream says so and recovers by itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.servers import start_desk

from .conftest import ADMIN, HINT, Problems, _seed, api_client, shot


def test_reconnects_after_the_server_restarts(browser: Any, tmp_path: Path) -> None:
    data = tmp_path / "data"
    desk = start_desk(data)
    try:
        seeded = _seed(desk)
        port = str(urlsplit(desk.url).port)
        context = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=desk.url)
        context.request.post(
            "/api/auth/login", data={"email": ADMIN["email"], "password": ADMIN["password"]}
        )
        context.add_init_script(HINT)
        page = context.new_page()
        problems = Problems()
        problems.watch(page)
        page.goto("/#/inbox/open")
        expect(page.locator(".conv-row").first).to_be_visible()
        reconnecting = page.get_by_role("status").filter(has_text="Reconnecting…")

        desk.stop()
        expect(reconnecting).to_be_visible()
        shot(page, "reconnecting")
        desk = start_desk(data, "--port", port)
        expect(reconnecting).to_have_count(0, timeout=30_000)

        with api_client(desk, ADMIN) as admin:
            admin.post(
                "/api/conversations",
                json={
                    "channel_id": seeded.channel_id,
                    "contact": {"name": "Katherine Johnson", "email": "kj@example.com"},
                    "subject": "Arrived after the restart",
                    "message": "Hello again",
                },
            ).raise_for_status()
        row = page.locator(".conv-row").first
        expect(row).to_contain_text("Katherine Johnson")
        expect(row).to_contain_text("Arrived after the restart")
        # While the server was down the browser logged refused connections; nothing else.
        unexpected = [p for p in problems.items if "ERR_CONNECTION_REFUSED" not in p]
        assert unexpected == []
        context.close()
    finally:
        desk.stop()
