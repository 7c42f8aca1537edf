"""The agent UI speaks the browser's language (desk/ui/js/lib/i18n.js and its catalogues)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import AGENT, Seeded, api_client

pytestmark = pytest.mark.ui


def run_i18n(page: Any, language: str, body: str) -> Any:
    """Runs `body` with lib/i18n.js in the page, as the screens do. The body goes in the
    function's source (Playwright compiles it), not through `new Function`: the CSP has no
    'unsafe-eval'."""
    source = f"""async (language) => {{
      const i18n = await import('/js/lib/i18n.js');
      await i18n.useLanguage(language);
      {body}
    }}"""
    return page.evaluate(source, language)


def test_the_ui_starts_in_the_browsers_language(open_page: Any) -> None:
    opened = open_page(locale="de-DE")
    expect(opened.page.locator("html")).to_have_attribute("lang", "de")
    opened = open_page(locale="pt-BR")  # a language Desk does not speak: English
    expect(opened.page.locator("html")).to_have_attribute("lang", "en")


def test_plurals_numbers_and_dates_follow_the_language_and_the_timezone(open_page: Any) -> None:
    page = open_page(locale="de-DE").page
    expect(page.locator("html")).to_have_attribute("lang", "de")
    got = run_i18n(
        page,
        "de",
        """i18n.setTimeZone('Asia/Tokyo');
            const late = new Date('2025-03-01T23:30:00Z');  // 2 March, 08:30 in Tokyo
            const when = {day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit'};
            return [i18n.t('count.conversations', {count: 1}),
              i18n.t('count.conversations', {count: 1234}), i18n.formatDate(late, when),
              i18n.dayKey(late), i18n.t('no.such.key'),
              i18n.t('error.httpOther', {status: 502})];""",
    )
    assert got == [
        "1 Unterhaltung",
        "1.234 Unterhaltungen",
        "2. März um 08:30",
        "2025-03-02",
        "no.such.key",
        "Anfrage fehlgeschlagen (502).",
    ]
    zero = "return [i18n.t('count.conversations', {count: 0}), i18n.language()]"
    french = run_i18n(page, "fr", zero)
    assert french == ["0 conversation", "fr"]  # French counts zero as one
    run_i18n(page, "en", "return null")


def test_an_agent_picks_their_language_in_settings(open_page: Any, seeded: Seeded) -> None:
    page = open_page(who=AGENT, hash="#/settings/language").page
    try:
        form = page.get_by_role("form", name="Your language")
        expect(form.get_by_label("Language")).to_have_value("")  # the browser's, until picked
        form.get_by_label("Language").select_option("fr")
        form.get_by_role("button", name="Save").click()
        # Drawn again in French at once, on the same page, the keyboard still on the choice.
        expect(page.get_by_role("heading", name="Votre langue")).to_be_visible()
        expect(page.get_by_role("link", name="Boîte de réception")).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(page.get_by_label("Langue", exact=True)).to_be_focused()
        # It is the agent's, not the browser's: another (English) browser shows French too.
        elsewhere = open_page(who=AGENT, hash="#/inbox").page
        expect(elsewhere.get_by_role("heading", name="Boîte de réception")).to_be_visible()
        with api_client(seeded.desk, AGENT) as client:
            assert client.get("/api/auth/me").json()["agent"]["language"] == "fr"
        page.get_by_label("Langue", exact=True).select_option("")
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_role("heading", name="Your language")).to_be_visible()
    finally:
        with api_client(seeded.desk, AGENT) as client:
            client.post("/api/settings/language", json={"language": None}).raise_for_status()
