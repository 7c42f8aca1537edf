"""Saved views in the browser: saved from the list's filters, listed in the left pane with a
live count, renamed, reordered from the keyboard, deleted; a private view stays its owner's."""

from __future__ import annotations

import uuid
from typing import Any

from playwright.sync_api import expect

from .a11y import Audit
from .conftest import ADMIN, AGENT, Seeded, api_client, shot


def start(admin: Any, seeded: Seeded, tag: str, subject: str) -> int:
    response = admin.post(
        "/api/conversations",
        json={
            "channel_id": seeded.channel_id,
            "contact": {"name": "Viv Views", "email": f"viv.{tag}@example.com"},
            "subject": subject,
            "message": "Please look at this.",
            "priority": "urgent",
            "tags": [tag],
        },
    )
    response.raise_for_status()
    return int(response.json()["id"])


def saved_link(page: Any, name: str) -> Any:
    return page.locator(".saved-views .view-link", has_text=name)


def test_save_a_view_count_it_live_rename_reorder_and_delete(
    open_page: Any, seeded: Seeded
) -> None:
    tag = f"views-{uuid.uuid4().hex[:8]}"  # the seeded Desk is shared: data of our own
    with api_client(seeded.desk, ADMIN) as admin:
        first = start(admin, seeded, tag, "Invoice missing")
        opened = open_page(hash=f"#/inbox/tag:{tag}?priority=urgent")
        page = opened.page
        expect(page.locator(f".conv-row[data-id='{first}']")).to_be_visible()

        # Save the list's filters (the tag view and the priority filter) as a private view.
        page.get_by_role("button", name="Save view").click()
        dialog = page.get_by_role("dialog", name="Save this view")
        expect(dialog).to_contain_text(f"#{tag}")
        expect(dialog).to_contain_text("Urgent")
        dialog.get_by_label("Name").fill("Urgent invoices")
        shot(page, "views-save-dialog")
        audit = Audit()
        audit.check(page, "save view dialog")
        dialog.get_by_role("button", name="Save").click()
        expect(dialog).to_be_hidden()
        link = saved_link(page, "Urgent invoices")
        expect(link).to_have_attribute("aria-current", "page")
        expect(page.locator(".list-title")).to_have_text("Urgent invoices")
        expect(link.locator(".view-count")).to_have_text("1")
        view_id = int(str(link.get_attribute("data-view")).removeprefix("view:"))
        assert page.evaluate("decodeURIComponent(location.hash)") == f"#/inbox/view:{view_id}"
        stored = admin.get(f"/api/views/{view_id}").json()
        assert stored["filters"] == {"tag": tag, "priority": "urgent"}
        assert stored["shared"] is False

        # A new conversation that fits, made elsewhere: the count and the list follow live.
        second = start(admin, seeded, tag, "Second invoice missing")
        expect(link.locator(".view-count")).to_have_text("2")
        expect(page.locator(f".conv-row[data-id='{second}']")).to_be_visible()
        shot(page, "views-pane")
        audit.check(page, "saved views pane")

        # Rename from the view's menu.
        page.get_by_role("button", name="Actions for the view Urgent invoices").click()
        page.get_by_role("menuitem", name="Rename…").click()
        rename = page.get_by_role("dialog", name="Rename the view “Urgent invoices”")
        rename.get_by_label("Name").fill("Invoices on fire")
        rename.get_by_role("button", name="Save").click()
        expect(saved_link(page, "Invoices on fire")).to_be_visible()
        expect(page.locator(".list-title")).to_have_text("Invoices on fire")
        assert admin.get(f"/api/views/{view_id}").json()["name"] == "Invoices on fire"

        # A second view (made through the API) arrives live; move it up from the keyboard.
        other = admin.post(
            "/api/views", json={"name": f"Quiet {tag}", "filters": {"status": "pending"}}
        ).json()
        expect(saved_link(page, f"Quiet {tag}")).to_be_visible()
        names = page.locator(".saved-views .view-label")
        before = names.all_text_contents()
        assert before.index(f"Quiet {tag}") == before.index("Invoices on fire") + 1
        menu = page.get_by_role("button", name=f"Actions for the view Quiet {tag}")
        menu.focus()
        page.keyboard.press("Enter")
        page.get_by_role("menuitem", name="Move up").focus()
        page.keyboard.press("Enter")
        expect(names).to_contain_text([f"Quiet {tag}", "Invoices on fire"])
        after = names.all_text_contents()
        assert after.index(f"Quiet {tag}") == after.index("Invoices on fire") - 1
        expect(menu).to_be_focused()  # the keyboard keeps its place
        order = [v["id"] for v in admin.get("/api/views", params={"per_page": 100}).json()["items"]]
        assert order.index(other["id"]) == order.index(view_id) - 1

        # Delete, after confirming: the view goes, and the inbox leaves it.
        page.get_by_role("button", name="Actions for the view Invoices on fire").click()
        page.get_by_role("menuitem", name="Delete…").click()
        confirm = page.get_by_role("dialog", name="Delete the view “Invoices on fire”?")
        shot(page, "views-delete-confirm")
        confirm.get_by_role("button", name="Delete view").click()
        expect(saved_link(page, "Invoices on fire")).to_have_count(0)
        expect(page.locator(".list-title")).to_have_text("Open")
        assert admin.get(f"/api/views/{view_id}").status_code == 404
        admin.delete(f"/api/views/{other['id']}").raise_for_status()
        expect(saved_link(page, f"Quiet {tag}")).to_have_count(0)
    audit.assert_clean()


def test_shared_and_private_views_for_a_teammate_and_a_narrow_window(
    open_page: Any, seeded: Seeded
) -> None:
    tag = f"views-{uuid.uuid4().hex[:8]}"
    with api_client(seeded.desk, ADMIN) as admin:
        start(admin, seeded, tag, "Shared queue item")
        shared = admin.post(
            "/api/views", json={"name": f"Team {tag}", "filters": {"tag": tag}, "shared": True}
        ).json()
        private = admin.post(
            "/api/views", json={"name": f"Ada's {tag}", "filters": {"tag": tag}}
        ).json()
        try:
            page = open_page(who=AGENT, hash="#/inbox/open").page
            link = saved_link(page, f"Team {tag}")
            expect(link.locator(".view-count")).to_have_text("1")
            expect(saved_link(page, f"Ada's {tag}")).to_have_count(0)  # private: Ada's alone
            # Sam may reorder or look, not rename or delete Ada's shared view.
            page.get_by_role("button", name=f"Actions for the view Team {tag}").click()
            expect(page.get_by_role("menuitem", name="Rename…")).to_have_count(0)
            expect(page.get_by_role("menuitem", name="Delete…")).to_have_count(0)
            page.keyboard.press("Escape")
            link.click()
            expect(page.locator(".list-title")).to_have_text(f"Team {tag}")
            expect(page.locator(".conv-row")).to_have_count(1)
            # Another agent's private view by its address: it does not exist for Sam.
            page.goto(f"/#/inbox/view:{private['id']}")
            expect(page.locator(".list-title")).to_have_text("Open")

            # Narrow, the pane shows initials only; the list's own menu still manages the view.
            narrow = open_page(hash=f"#/inbox/view:{shared['id']}", width=1024, height=700).page
            expect(narrow.locator(".list-title")).to_have_text(f"Team {tag}")
            expect(narrow.locator(".saved-views .view-initial").first).to_be_visible()
            shot(narrow, "views-narrow")
            narrow.get_by_role("button", name="View actions").click()
            narrow.get_by_role("menuitem", name="Rename…").click()
            dialog = narrow.get_by_role("dialog", name=f"Rename the view “Team {tag}”")
            dialog.get_by_label("Name").fill(f"Team queue {tag}")
            dialog.get_by_role("button", name="Save").click()
            expect(narrow.locator(".list-title")).to_have_text(f"Team queue {tag}")
            # Sam's window follows the rename live.
            expect(saved_link(page, f"Team queue {tag}")).to_be_visible()
            shot(narrow, "views-narrow-renamed")
        finally:
            admin.delete(f"/api/views/{shared['id']}")
            admin.delete(f"/api/views/{private['id']}")
