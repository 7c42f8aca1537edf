"""The agent UI in German: the screens carry no English (every string from the catalogue),
and nothing overflows or is cut with German's long words (screenshots in test-artifacts/)."""

from __future__ import annotations

import re
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
    "/api/automations",
]


def workspace_data(seeded: Seeded) -> set[str]:
    with api_client(seeded.desk, ADMIN) as client:
        found: set[str] = set()
        for path in DATA_PATHS:
            found |= data_strings(client.get(path).json())
        for page in (1, 2):
            listed = client.get(f"/api/conversations?status=all&per_page=100&page={page}").json()
            found |= data_strings(listed)
        for conversation in (seeded.grace_conversation, seeded.xss_conversation):
            found |= data_strings(client.get(f"/api/conversations/{conversation}/messages").json())
        found |= data_strings(client.get("/api/contacts?per_page=100").json())
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


def test_server_errors_are_german_by_their_code(open_page: Any, seeded: Seeded) -> None:
    # The API answers in English ("Wrong email or password.", "code": "wrong_login"); the
    # German agent reads the catalogue's message for the code.
    opened = open_page(who=None, locale="de-DE")
    opened.problems.allowed.append("401 (Unauthorized)")
    page = opened.page
    expect(page.get_by_role("heading", name="Anmelden")).to_be_visible()
    page.get_by_label("E-Mail").fill(ADMIN["email"])
    page.get_by_label("Passwort").fill("not the password")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("alert").filter(has_text=re.compile("."))).to_have_text(
        "E-Mail-Adresse oder Passwort ist falsch."
    )


def test_activity_lines_are_german(open_page: Any, seeded: Seeded) -> None:
    with api_client(seeded.desk, ADMIN) as admin:
        made = admin.post(
            "/api/conversations",
            json={
                "channel_id": seeded.channel_id,
                "contact": {"name": "Aktivitäts Test"},
                "message": "Wer kümmert sich darum?",
            },
        )
        made.raise_for_status()
        url = f"/api/conversations/{made.json()['id']}"
        admin.post(f"{url}/tags", json={"tag": "rechnung"}).raise_for_status()
        admin.post(f"{url}/priority", json={"priority": "urgent"}).raise_for_status()
        admin.post(f"{url}/status", json={"status": "resolved"}).raise_for_status()
    page = open_page(locale="de-DE", hash=f"#/inbox/all/c/{made.json()['id']}").page
    lines = page.locator(".msg.activity > span")
    expect(lines).to_have_text(
        [
            f"{ADMIN['name']} hat das Schlagwort rechnung hinzugefügt",
            f"{ADMIN['name']} hat die Priorität auf Dringend gesetzt",
            f"{ADMIN['name']} hat dies erledigt",
        ]
    )


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


def test_the_inbox_and_a_conversation_are_german(open_page: Any, seeded: Seeded) -> None:
    finder = EnglishFinder(workspace_data(seeded))
    page = open_page(locale="de-DE", hash=f"#/inbox/open/c/{seeded.grace_conversation}").page
    expect(page.locator(".msg.note").first).to_be_visible(timeout=20000)  # other tests add notes
    expect(page.locator(".contact-panel .details").first).to_be_visible()
    finder.check(page, "inbox with a conversation")
    shot(page, "de-inbox-1440x900")
    page.get_by_role("button", name="Status: Offen. Status ändern").click()
    expect(page.get_by_role("menu")).to_be_visible()
    finder.check_within(page, ".menu", "status menu")
    page.get_by_role("menuitem", name="Datum wählen …").click()
    expect(page.get_by_role("dialog", name="Zurückstellen bis …")).to_be_visible()
    finder.check_within(page, "dialog[open]", "snooze dialog")
    page.keyboard.press("Escape")
    page.get_by_role("button", name=re.compile("^Zuständig")).click()
    finder.check_within(page, ".menu", "assignee menu")
    page.keyboard.press("Escape")
    page.get_by_role("tab", name="Notiz").click()
    page.get_by_role("button", name="Notiz hinzufügen").click()
    expect(page.get_by_role("alert").filter(has_text="Notiz")).to_be_visible()
    finder.check_within(page, ".composer", "composer")
    page.get_by_role("button", name="Neu", exact=True).click()
    expect(page.get_by_role("dialog", name="Unterhaltung erfassen")).to_be_visible()
    finder.check_within(page, "dialog[open]", "log a conversation")
    shot(page, "de-log-conversation-1440x900")
    page.keyboard.press("Escape")
    # A view nothing is in (the session's other tests resolve conversations, so not "Erledigt").
    page.goto("/#/inbox/tag%3Aohne-treffer")
    expect(page.get_by_text("Hier ist nichts. Gut gemacht.")).to_be_visible()
    page.set_viewport_size({"width": 1024, "height": 700})
    page.goto(f"/#/inbox/open/c/{seeded.xss_conversation}")
    expect(page.locator(".msg.incoming")).to_be_visible()
    finder.check(page, "inbox at 1024")
    shot(page, "de-inbox-1024x700")
    finder.assert_none()


def test_contacts_analytics_and_settings_are_german(open_page: Any, seeded: Seeded) -> None:
    finder = EnglishFinder(workspace_data(seeded))
    page = open_page(locale="de-DE", hash=f"#/contacts/{seeded.contact_id}").page
    expect(page.locator(".detail-inner .details").first).to_be_visible(timeout=20000)
    finder.check(page, "contacts")
    shot(page, "de-contacts-1440x900")
    page.get_by_role("button", name="Löschen").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    finder.check_within(page, "dialog[open]", "delete contact")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Bearbeiten").click()
    expect(page.get_by_role("form", name="Kontakt bearbeiten")).to_be_visible()
    finder.check(page, "edit contact")
    page.goto("/#/analytics/30")
    expect(page.locator(".analytics-body:not(.refreshing) .chart-wrap svg").first).to_be_visible()
    finder.check(page, "analytics")
    shot(page, "de-analytics-1440x900")
    for name, ready in [
        ("workspace", ".hours-row"),
        ("ai", "form"),
        ("password", "form"),
        ("channels", ".item-card"),
        ("automations", "form"),
        ("agents", ".item-card"),
    ]:
        page.goto(f"/#/settings/{name}")
        expect(page.locator(f".settings-body {ready}").first).to_be_visible()
        if name == "channels":
            page.get_by_label("Typ").select_option("email")
        if name == "automations":
            page.get_by_role("button", name="Bedingung hinzufügen").click()
        finder.check(page, f"settings {name}")
        shot(page, f"de-settings-{name}-1440x900")
    page.set_viewport_size({"width": 1024, "height": 700})
    page.goto("/#/settings/workspace")
    expect(page.locator(".hours-row").first).to_be_visible()
    shot(page, "de-settings-workspace-1024x700")
    finder.assert_none()
