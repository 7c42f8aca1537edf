"""Playwright fixtures: Debian's Chromium (never a downloaded one) driving a real desk."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright import sync_api  # a test dependency: never skipped silently

from tests.chromium import ARGS, CHROMIUM
from tests.servers import RunningDesk, start_desk

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ADMIN = {"name": "Ada Admin", "email": "ada@example.com", "password": "correct horse"}
AGENT = {"name": "Sam Agent", "email": "sam@example.com", "password": "battery staple"}
XSS = "<img src=x onerror=alert(1)>"
PAGED = 60  # more than one page of the list (50)
# What the app remembers after signing in, for contexts signed in over HTTP (once per tab, so
# that signing out in the test is remembered across reloads as it would be).
HINT = (
    "if (!sessionStorage.getItem('hinted')) {"
    " sessionStorage.setItem('hinted', '1'); localStorage.setItem('desk.signed-in', '1'); }"
)

# The suite shares two cores with everything else on the machine: a page may take longer than
# Playwright's 5 s default to show what a test waits for, without anything being wrong.
sync_api.expect.set_options(timeout=15_000)

# Playwright must never fetch a browser of its own.
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        # .ci/run installs it: in CI a missing browser fails, never skips.
        if os.environ.get("CI"):
            pytest.fail("no /usr/bin/chromium")
        pytest.skip("no /usr/bin/chromium (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield chromium
        chromium.close()


@dataclass
class Seeded:
    desk: RunningDesk
    channel_id: int
    xss_conversation: int
    grace_conversation: int
    contact_id: int
    extra: dict[str, int] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.desk.url


@contextmanager
def api_client(desk: RunningDesk, who: dict[str, str]) -> Iterator[httpx.Client]:
    with desk.client() as client:
        login = {"email": who["email"], "password": who["password"]}
        client.post("/api/auth/login", json=login).raise_for_status()
        yield client


def _seed(desk: RunningDesk) -> Seeded:
    with desk.client() as admin:  # setup signs the new admin in
        setup = {"workspace_name": "Acme Support", **ADMIN}
        admin.post("/api/setup", json=setup).raise_for_status()
        admin.post("/api/agents", json={**AGENT, "role": "agent"}).raise_for_status()
        channel = admin.post(
            "/api/channels", json={"name": "Phone", "type": "phone", "config": {}, "active": True}
        ).json()
        admin.post(
            "/api/channels",
            json={
                "name": "Shop API",
                "type": "api",
                "config": {"webhook_url": None},
                "active": True,
            },
        ).raise_for_status()
        xss = admin.post(
            "/api/conversations",
            json={
                "channel_id": channel["id"],
                "contact": {"name": XSS, "email": "mallory@example.com"},
                "subject": XSS,
                "message": f"Look: {XSS} javascript:alert(2) https://example.com/track?id=1&x=2.",
                "tags": ["security"],
            },
        ).json()
        grace = admin.post(
            "/api/conversations",
            json={
                "channel_id": channel["id"],
                "contact": {
                    "name": "Grace Hopper",
                    "email": "grace@example.com",
                    "phone": "+1 555 0100",
                },
                "subject": "Refund for order 1042",
                "message": "My order 1042 arrived broken. Can I get a refund?",
                "priority": "high",
                "tags": ["billing"],
            },
        ).json()
        admin.post(
            f"/api/conversations/{grace['id']}/messages",
            json={"body": "Sorry to hear that, Grace. A refund is on its way.", "type": "outgoing"},
        ).raise_for_status()
        admin.post(
            f"/api/conversations/{grace['id']}/messages",
            json={"body": "Courier confirmed the damage.", "type": "note"},
        ).raise_for_status()
        admin.patch(
            f"/api/contacts/{grace['contact']['id']}",
            json={"company": "Navy", "custom_attributes": {"plan": "pro", "seats": 12}},
        ).raise_for_status()
        for n in range(PAGED):
            admin.post(
                "/api/conversations",
                json={
                    "channel_id": channel["id"],
                    "contact": {"name": f"Customer {n}", "email": f"customer{n}@example.com"},
                    "subject": f"Question {n} about shipping",
                    "message": f"Where is parcel {n}?",
                    "priority": ["normal", "high", "urgent", "low"][n % 4],
                    "tags": ["shipping"] if n % 2 else ["shipping", "vip"],
                },
            ).raise_for_status()
    return Seeded(desk, channel["id"], xss["id"], grace["id"], grace["contact"]["id"])


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """One server with a workspace, an admin, an agent, channels and some conversations."""
    desk = start_desk(tmp_path_factory.mktemp("ui-seeded"))
    try:
        yield _seed(desk)
    finally:
        desk.stop()


class Problems:
    """Console errors, uncaught exceptions and alert() calls seen by a page."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.allowed: list[str] = []

    def watch(self, page: Any) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.items.append(f"uncaught: {error}"))
        page.on("dialog", self._dialog)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            location = message.location.get("url", "") if message.location else ""
            self.items.append(f"console: {message.text} {location}")

    def _dialog(self, dialog: Any) -> None:
        self.items.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def unexpected(self) -> list[str]:
        return [p for p in self.items if not any(a in p for a in self.allowed)]


@dataclass
class Opened:
    page: Any
    problems: Problems


@pytest.fixture
def open_page(browser: Any, seeded: Seeded) -> Iterator[Callable[..., Opened]]:
    """open_page(who=ADMIN, hash="#/inbox", width=1440, height=900, scheme="light",
    locale="en-US" (the browser's language))."""
    contexts: list[Any] = []
    watched: list[Problems] = []

    def opener(
        who: dict[str, str] | None = ADMIN,
        hash: str = "#/inbox",
        width: int = 1440,
        height: int = 900,
        scheme: str = "light",
        url: str | None = None,
        locale: str = "en-US",
    ) -> Opened:
        context = browser.new_context(
            viewport={"width": width, "height": height},
            color_scheme=scheme,
            locale=locale,
            base_url=url or seeded.url,
        )
        contexts.append(context)
        if who is not None:
            response = context.request.post(
                "/api/auth/login", data={"email": who["email"], "password": who["password"]}
            )
            assert response.ok, response.text()
            context.add_init_script(HINT)
        page = context.new_page()
        problems = Problems()
        problems.watch(page)
        watched.append(problems)
        page.goto("/" + hash)
        return Opened(page, problems)

    yield opener
    for context in contexts:
        context.close()
    for problems in watched:
        assert problems.unexpected() == [], "\n".join(problems.unexpected())


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
