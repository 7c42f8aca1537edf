"""The agent UI in German: the screens carry no English (every string from the catalogue),
and nothing overflows or is cut with German's long words (screenshots in test-artifacts/)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import ADMIN, Seeded, api_client, shot
from .german import EnglishFinder, data_strings

pytestmark = pytest.mark.ui

DATA_PATHS = [
    "/api/auth/me",
    "/api/settings/workspace",
    "/api/channels",
    "/api/agents",
    "/api/tags",
]


def workspace_data(seeded: Seeded) -> set[str]:
    with api_client(seeded.desk, ADMIN) as client:
        found: set[str] = set()
        for path in DATA_PATHS:
            found |= data_strings(client.get(path).json())
        return found


def test_sign_in_is_german(open_page: Any, seeded: Seeded) -> None:
    finder = EnglishFinder(workspace_data(seeded))
    page = open_page(who=None, locale="de-DE", width=1024, height=700).page
    expect(page.get_by_role("heading", name="Anmelden")).to_be_visible()
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("alert").filter(has_text="E-Mail")).to_be_visible()
    finder.check(page, "sign in")
    shot(page, "de-sign-in-1024x700")
    finder.assert_none()


def test_the_frame_and_shortcuts_are_german(open_page: Any, seeded: Seeded) -> None:
    finder = EnglishFinder(workspace_data(seeded))
    page = open_page(locale="de-DE", hash="#/settings/password").page
    expect(page.get_by_role("navigation", name="Bereiche")).to_be_visible()
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Tastenkürzel")
    expect(dialog).to_be_visible()
    finder.check_within(page, "dialog[open]", "shortcuts")
    shot(page, "de-shortcuts-1440x900")
    dialog.get_by_role("button", name="Schließen").click()
    page.get_by_role("button", name="Angemeldet als Ada Admin").click()
    expect(page.get_by_role("menuitem", name="Abmelden")).to_be_visible()
    finder.check_within(page, ".rail, .menu", "rail and account menu")
    finder.assert_none()
