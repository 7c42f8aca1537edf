"""Accessibility sweep: every screen and dialog added since the first audit (canned replies,
merge, scheduled send, the failed view, notifications, bulk selection, saved views, a
teammate's presence, the data page, channel editing, language), each with zero serious or
critical axe-core violations in light and dark at 1440x900 and 1024x700 (a11y.LOOKS).
Data-driven: a screen is one row of SCREENS; the page state it needs is made once through
the API (`made`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from .a11y import Audit
from .conftest import ADMIN, AGENT, HINT, Seeded, api_client

DIALOG = "dialog[open]"


@dataclass(frozen=True)
class Screen:
    name: str
    hash: str  # may name {conversation}, {failed}, {scheduled} (ids made for the sweep)
    ready: str  # a selector that shows once the screen is drawn
    act: Callable[[Any], None] | None = None  # then opens the dialog / menu / state audited
    within: str | None = None  # audit only this (an open modal dialog), else the page


def _merge(page: Any) -> None:
    page.locator(".merge-btn").click()
    expect(
        page.locator(f"{DIALOG} .merge-options input, {DIALOG} .merge-options button").first
    ).to_be_visible()


def _merge_confirm(page: Any) -> None:
    _merge(page)
    page.locator(f"{DIALOG} .merge-options input, {DIALOG} .merge-options button").first.click()
    page.locator(DIALOG).get_by_role(
        "button", name=re.compile("^(Next|Continue|Merge)")
    ).first.click()
    expect(page.locator(DIALOG)).to_contain_text(re.compile("merge", re.I))


def _send_later(page: Any) -> None:
    page.get_by_label("Reply", exact=True).fill("Later, please.")
    page.get_by_role("button", name="Send later").click()
    expect(page.get_by_role("menuitem", name="Tomorrow, 9:00")).to_be_visible()


def _notifications(page: Any) -> None:
    page.get_by_role("button", name="Notifications", exact=False).click()
    expect(page.get_by_role("dialog", name="Notifications")).to_be_visible()


def _select_rows(page: Any) -> None:
    page.get_by_role("checkbox", name="Select all on this page").check()
    expect(page.locator(".bulk-count")).to_have_text(re.compile(r"^\d+ selected$"))


def _bulk_tag(page: Any) -> None:
    _select_rows(page)
    page.get_by_role("button", name="Tag", exact=True).click()
    expect(page.locator(DIALOG)).to_be_visible()


def _save_view(page: Any) -> None:
    page.get_by_role("button", name="Save view").click()
    expect(page.locator(DIALOG)).to_be_visible()


def _view_menu(page: Any) -> None:
    page.get_by_role("button", name="Actions for the view Sweep view").first.click()
    expect(page.get_by_role("menu")).to_be_visible()


def _view_rename(page: Any) -> None:
    _view_menu(page)
    page.get_by_role("menuitem", name=re.compile("^Rename")).click()
    expect(page.locator(DIALOG)).to_be_visible()


def _teammate_viewing(page: Any) -> None:
    """Sam opens the same conversation in a browser of his own: Ada's page shows him."""
    context = page.context.browser.new_context(base_url=page.url.split("#")[0])
    login = context.request.post(
        "/api/auth/login", data={"email": AGENT["email"], "password": AGENT["password"]}
    )
    assert login.ok, login.text()
    page.context.on("close", lambda _: context.close())  # Sam leaves with Ada's window
    context.add_init_script(HINT)
    sam = context.new_page()
    sam.goto("/" + page.url.split("/", 3)[3])
    expect(page.locator(".presence-line.active")).to_contain_text("Sam is viewing")


def _import_dry_run(page: Any) -> None:
    csv = b"name,email\nAda Lovelace,ada.l@example.com\nNo Email,not-an-email\n"
    page.locator("input[type=file]").first.set_input_files(
        files=[{"name": "contacts.csv", "mimeType": "text/csv", "buffer": csv}]
    )
    page.get_by_role("button", name="Check file (dry run)").click()
    expect(page.get_by_text("Dry run: what the import would do")).to_be_visible()


def _snooze_past(page: Any) -> None:
    page.locator(".thread-scroll").focus()
    page.keyboard.press("s")
    page.get_by_role("menuitem", name="Pick a date…").click()
    field = page.locator(f"{DIALOG} input[name=snoozed_until]")
    field.fill("2020-01-01T09:00")
    page.locator(DIALOG).get_by_role("button", name="Snooze").click()
    expect(page.locator(f"{DIALOG} [role=alert]").filter(has_text=re.compile("."))).to_be_visible()


def _canned_edit(page: Any) -> None:
    page.get_by_role("button", name="Edit /sweep").click()
    expect(page.get_by_role("button", name="Save")).to_be_visible()


def _channel_edit(page: Any) -> None:
    page.get_by_role("button", name="Edit settings").first.click()
    expect(
        page.locator("form").filter(has=page.get_by_role("button", name="Save")).first
    ).to_be_visible()


SCREENS = [
    Screen("canned replies", "#/settings/canned", ".item-card"),
    Screen("canned reply edit", "#/settings/canned", ".item-card", _canned_edit),
    Screen("language", "#/settings/language", "main form, main select"),
    Screen("appearance", "#/settings/appearance", "main form, main fieldset"),
    Screen("data import and export", "#/settings/data", "input[type=file]"),
    Screen("contact import dry run", "#/settings/data", "input[type=file]", _import_dry_run),
    Screen("channel edit", "#/settings/channels", ".item-card", _channel_edit),
    Screen("merge dialog", "#/inbox/all/c/{conversation}", ".merge-btn", _merge, DIALOG),
    Screen(
        "snooze dialog refusing",
        "#/inbox/all/c/{conversation}",
        ".thread-head",
        _snooze_past,
        DIALOG,
    ),
    Screen("send later menu", "#/inbox/all/c/{conversation}", ".thread-head", _send_later),
    Screen("scheduled reply", "#/inbox/all/c/{scheduled}", ".scheduled-list [role=listitem]"),
    Screen("failed view", "#/inbox/failed", ".conv-row .chip.failed"),
    Screen("failed conversation", "#/inbox/failed/c/{failed}", ".delivery.failed"),
    Screen("notifications", "#/inbox", ".conv-row", _notifications),
    Screen("bulk selection", "#/inbox/open", ".conv-row", _select_rows),
    Screen("bulk tag dialog", "#/inbox/open", ".conv-row", _bulk_tag, DIALOG),
    Screen("save view dialog", "#/inbox/open", ".conv-row", _save_view, DIALOG),
    Screen("saved view", "#/inbox/view:{view}", ".conv-row"),
    Screen("saved view menu", "#/inbox/view:{view}", ".conv-row", _view_menu),
    Screen("saved view rename", "#/inbox/view:{view}", ".conv-row", _view_rename, DIALOG),
    Screen("teammate viewing", "#/inbox/all/c/{conversation}", ".thread-head", _teammate_viewing),
]


@pytest.fixture(scope="module")
def made(seeded: Seeded) -> dict[str, int]:
    """The page state the sweep looks at: a contact with two conversations (merge), a
    scheduled reply, a reply that failed, a canned reply, a mention of Ada."""
    contact = {"name": "Barbara Liskov", "email": "barbara@example.com"}
    later = datetime.now(UTC) + timedelta(days=2)
    with api_client(seeded.desk, ADMIN) as admin:

        def start(channel_id: int, text: str) -> int:
            response = admin.post(
                "/api/conversations",
                json={"channel_id": channel_id, "contact": contact, "message": text},
            )
            response.raise_for_status()
            return int(response.json()["id"])

        first = start(seeded.channel_id, "Where is my parcel?")
        conversation = start(seeded.channel_id, "Any news about the parcel?")
        scheduled = start(seeded.channel_id, "Call me tomorrow, please.")
        admin.post(
            f"/api/conversations/{scheduled}/messages",
            json={"body": "Calling you at ten.", "send_at": later.strftime("%Y-%m-%dT%H:%M:%SZ")},
        ).raise_for_status()
        broken = admin.post(
            "/api/channels", json={"name": "Sweep API", "type": "api", "config": {}}
        ).json()
        failed = start(broken["id"], "Please send the invoice.")
        admin.post(f"/api/conversations/{failed}/messages", json={"body": "Here it is."})
        admin.post(
            "/api/canned-replies",
            json={"shortcut": "sweep", "title": "Sweep", "body": "Thanks for waiting!"},
        ).raise_for_status()
        view = admin.post(
            "/api/views",
            json={"name": "Sweep view", "filters": {"status": "open"}, "shared": True},
        )
        view.raise_for_status()
    with api_client(seeded.desk, AGENT) as sam:
        sam.post(
            f"/api/conversations/{first}/messages",
            json={"body": f"@{ADMIN['name']} can you look at this?", "type": "note"},
        ).raise_for_status()
    return {
        "conversation": conversation,
        "scheduled": scheduled,
        "failed": failed,
        "view": view.json()["id"],
    }


@pytest.mark.parametrize("screen", SCREENS, ids=[s.name for s in SCREENS])
def test_no_serious_violations(
    open_page: Any, seeded: Seeded, made: dict[str, int], screen: Screen
) -> None:
    page = open_page(hash=screen.hash.format(**made)).page
    expect(page.locator(screen.ready).first).to_be_visible(timeout=30_000)
    if screen.act is not None:
        screen.act(page)
    audit = Audit()
    audit.check(page, screen.name, screen.within)
    audit.assert_clean()
