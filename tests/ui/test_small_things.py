"""Issue 13, item 9, the small things seen: one row only ever shows the cursor's bar; the
views pane at 1024x700 is compact with menus, not a column of alike icons; a theme chosen in
Settings; a past snooze time refused inside its dialog; the sort select fits "Waiting longest"
in every language."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import ADMIN, AGENT, Seeded, api_client, shot


@pytest.fixture(scope="module")
def quiet_channel(seeded: Seeded) -> dict[str, Any]:
    """A channel of this module's own with five conversations: its view is deterministic."""
    with api_client(seeded.desk, ADMIN) as admin:
        channel = admin.post("/api/channels", json={"name": "Counter desk", "type": "phone"}).json()
        ids = [
            admin.post(
                "/api/conversations",
                json={
                    "channel_id": channel["id"],
                    "contact": {"name": f"Visitor {n}", "email": f"visitor{n}@example.com"},
                    "subject": f"Counter question {n}",
                    "message": "Are you open on Sunday?",
                },
            ).json()["id"]
            for n in range(5)
        ]
    return {"channel": channel, "ids": ids[::-1]}  # newest first, as the list shows them


def test_only_one_row_shows_the_cursor_bar(open_page: Any, quiet_channel: dict[str, Any]) -> None:
    view = f"channel:{quiet_channel['channel']['id']}"
    first, second, third, fourth, _ = quiet_channel["ids"]
    page = open_page(hash=f"#/inbox/{view}/c/{first}").page
    bars = page.locator(".conv-row.cursor")
    expect(page.locator(f".conv-row[data-id='{first}'].selected")).to_be_visible()
    page.locator(".thread-head").click()  # the keyboard is on the page, not in a field
    page.keyboard.press("j")
    expect(page.locator(f".conv-row[data-id='{second}'].cursor")).to_be_visible()
    # Another way to open a conversation (a link, a notification, back/forward): the bar
    # follows it, and is not left behind on the row it was on.
    page.evaluate(f"location.hash = '#/inbox/{view}/c/{fourth}'")
    expect(page.locator(f".conv-row[data-id='{fourth}'].selected")).to_be_visible()
    expect(bars).to_have_count(1)
    page.locator(".thread-head").click()
    page.keyboard.press("k")
    expect(page.locator(f".conv-row[data-id='{third}'].cursor")).to_be_visible()
    expect(bars).to_have_count(1)
    page.go_back()
    expect(page.locator(f".conv-row[data-id='{first}'].selected")).to_be_visible()
    expect(bars).to_have_count(1)
    expect(page.locator(".conv-row.selected")).to_have_count(1)
    # Nor does the row the keyboard was on keep its focus ring beside the open one.
    expect(page.locator(".conv-row:focus")).to_have_count(1)
    expect(page.locator(f".conv-row[data-id='{first}']")).to_be_focused()
    shot(page, "one-cursor-bar-1440")


def test_the_views_pane_at_1024_is_compact_with_menus_not_a_column_of_alike_icons(
    open_page: Any, quiet_channel: dict[str, Any]
) -> None:
    page = open_page(hash="#/inbox", width=1024, height=700).page
    pane = page.get_by_role("navigation", name="Inbox views")
    expect(pane.get_by_role("link", name="Failed to send")).to_be_visible()  # its own icon
    expect(pane.locator(".view-link[data-view^='tag:']")).to_have_count(0)
    expect(pane.locator(".view-link[data-view^='channel:']")).to_have_count(0)
    shot(page, "views-compact-1024")
    pane.get_by_role("button", name="Tags").click()
    menu = page.get_by_role("menu", name="Tags")
    expect(menu.get_by_role("menuitem", name="shipping")).to_be_visible()
    shot(page, "views-compact-tags-menu-1024")
    menu.get_by_role("menuitem", name="shipping").click()
    expect(page.locator(".list-title")).to_have_text("#shipping")
    pane.get_by_role("button", name="Channels").click()
    page.get_by_role("menu", name="Channels").get_by_role("menuitem", name="Counter desk").click()
    expect(page.locator(".list-title")).to_have_text("Counter desk")
    expect(pane.get_by_role("button", name="Channels")).to_have_class("view-link view-more current")

    # Names, when the agent asks for them; remembered.
    pane.get_by_role("button", name="Expand the views").click()
    expect(pane.get_by_role("link", name="Counter desk")).to_be_visible()
    expect(pane.get_by_role("link", name="shipping")).to_be_visible()
    shot(page, "views-expanded-1024")
    page.reload()
    expect(pane.get_by_role("link", name="Counter desk")).to_be_visible()
    page.evaluate("localStorage.removeItem('desk.views-collapsed')")

    wide = open_page(hash="#/inbox").page
    wide_pane = wide.get_by_role("navigation", name="Inbox views")
    expect(wide_pane.get_by_role("link", name="shipping")).to_be_visible()
    expect(wide_pane.get_by_role("button", name="Tags")).to_have_count(0)


FITS = """(select) => {
  const style = getComputedStyle(select);
  const probe = document.createElement("span");
  probe.style.font = style.font;
  probe.style.whiteSpace = "pre";
  probe.textContent = select.selectedOptions[0].textContent;
  document.body.append(probe);
  const text = probe.getBoundingClientRect().width;
  probe.remove();
  const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
  const room = select.clientWidth - padding - 16;  // 16: the arrow
  return {text, room};
}"""


@pytest.mark.parametrize("language", ["en", "de", "fr", "es"])
@pytest.mark.parametrize(("width", "height"), [(1440, 900), (1024, 700)])
def test_the_sort_select_fits_waiting_longest_in_every_language(
    open_page: Any, seeded: Seeded, language: str, width: int, height: int
) -> None:
    page = open_page(hash="#/settings", width=width, height=height).page
    page.context.request.post("/api/settings/language", data={"language": language})
    try:
        page.goto("/#/inbox?sort=waiting_longest")
        page.reload()  # the app starts again, in the agent's language
        sort = page.locator(".filters select[name='sort']")
        expect(sort).to_have_value("waiting_longest")
        for select in page.locator(".filters select").all():
            fit = select.evaluate(FITS)
            assert fit["text"] <= fit["room"], (language, select.get_attribute("name"), fit)
        if language == "de":
            shot(page, f"sort-fits-de-{width}")
    finally:
        page.context.request.post("/api/settings/language", data={"language": None})


def test_a_past_snooze_time_is_refused_inside_the_dialog(
    open_page: Any, seeded: Seeded, quiet_channel: dict[str, Any]
) -> None:
    conversation_id = quiet_channel["ids"][-1]
    page = open_page(hash=f"#/inbox/open/c/{conversation_id}", width=1024, height=700).page
    page.locator(".thread-scroll").focus()
    page.keyboard.press("s")
    page.get_by_role("menuitem", name="Pick a date…").click()
    dialog = page.get_by_role("dialog", name="Snooze until…")
    field = dialog.get_by_label("Reopen on")
    field.fill("2020-01-01T09:00")
    dialog.get_by_role("button", name="Snooze").click()
    expect(dialog.get_by_role("alert")).to_have_text(
        "That time has passed. Pick a time in the future."
    )
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(dialog).to_be_visible()  # still open: fix it right there
    shot(page, "snooze-past-refused-1024")
    with api_client(seeded.desk, ADMIN) as admin:
        assert admin.get(f"/api/conversations/{conversation_id}").json()["status"] == "open"

    field.fill("2099-06-01T09:00")
    expect(dialog.locator(".error-box")).to_have_text("")  # fixed: the error goes
    dialog.get_by_role("button", name="Snooze").click()
    expect(dialog).to_have_count(0)
    expect(page.locator(".status-btn")).to_contain_text("Snoozed")
    with api_client(seeded.desk, ADMIN) as admin:
        shown = admin.get(f"/api/conversations/{conversation_id}").json()
        assert shown["status"] == "snoozed" and shown["snoozed_until"].startswith("2099-06-01")
        admin.post(f"/api/conversations/{conversation_id}/status", json={"status": "open"})


FIRST_PAINT = """document.addEventListener("DOMContentLoaded", () => {
  window.firstTheme = document.documentElement.dataset.theme || null;
  window.firstBackground = getComputedStyle(document.body).backgroundColor;
});"""
DARK_BG, LIGHT_BG = "rgb(22, 23, 26)", "rgb(255, 255, 255)"


def background(page: Any) -> str:
    return str(page.evaluate("getComputedStyle(document.body).backgroundColor"))


def test_the_theme_is_chosen_in_settings_applied_at_once_and_at_load_without_a_flash(
    open_page: Any, seeded: Seeded
) -> None:
    page = open_page(who=AGENT, hash="#/settings/appearance", scheme="light").page
    try:
        group = page.get_by_role("group", name="Theme")
        expect(group.get_by_label("System")).to_be_checked()
        assert background(page) == LIGHT_BG
        group.get_by_label("Dark").check()
        expect(page.locator("html")).to_have_attribute("data-theme", "dark")
        assert background(page) == DARK_BG
        expect(page.locator(".toast").last).to_contain_text("Theme saved")
        shot(page, "theme-dark-1440")
        with api_client(seeded.desk, AGENT) as sam:
            assert sam.get("/api/auth/me").json()["agent"]["theme"] == "dark"

        # Loaded again, it is dark from the first paint (before the app asked who this is).
        page.context.add_init_script(FIRST_PAINT)
        page.goto("/#/inbox")
        page.reload()
        expect(page.get_by_role("navigation", name="Inbox views")).to_be_visible()
        assert page.evaluate("window.firstTheme") == "dark"
        assert page.evaluate("window.firstBackground") == DARK_BG
        page.set_viewport_size({"width": 1024, "height": 700})
        shot(page, "theme-dark-inbox-1024")

        # Another browser, whose system is dark: the agent's Light wins there too, once chosen.
        other = open_page(who=AGENT, hash="#/settings/appearance", scheme="dark").page
        expect(other.locator("html")).to_have_attribute(
            "data-theme", "dark"
        )  # theirs, from the server
        other.get_by_role("group", name="Theme").get_by_label("Light").check()
        expect(other.locator("html")).to_have_attribute("data-theme", "light")
        assert background(other) == LIGHT_BG
        other.get_by_role("group", name="Theme").get_by_label("System").check()
        expect(other.locator("html")).not_to_have_attribute("data-theme", "light")
        assert background(other) == DARK_BG  # the system's dark
        shot(other, "theme-system-dark-1440")
    finally:
        with api_client(seeded.desk, AGENT) as sam:
            sam.post("/api/settings/theme", json={"theme": None})
