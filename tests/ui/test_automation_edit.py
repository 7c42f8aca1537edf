"""Everything configurable can be edited: an automation's Edit loads it into the builder, and
Save changes it in place (PATCH), keeping what was not touched."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from .conftest import ADMIN, Seeded, api_client, shot


def test_edit_an_automation(open_page: Any, seeded: Seeded) -> None:
    with api_client(seeded.desk, ADMIN) as admin:
        rule = admin.post(
            "/api/automations",
            json={
                "name": "Shipping triage",
                "event": "message_received",
                "conditions": [
                    {"field": "message_body", "operator": "contains", "value": "parcel"}
                ],
                "actions": [{"type": "add_tag", "value": "shipping"}],
            },
        ).json()
    page = open_page(hash="#/settings/automations").page
    card = page.get_by_role("article", name="Shipping triage")
    card.get_by_role("button", name="Edit").click()
    form = page.get_by_role("form", name="Edit automation")
    expect(form.get_by_label("Name")).to_have_value("Shipping triage")
    expect(form.get_by_label("Condition value")).to_have_value("parcel")
    expect(form.get_by_label("Action value")).to_have_value("shipping")
    form.get_by_label("Name").fill("Parcel triage")
    form.get_by_label("Condition value").fill("parcel, courier")
    form.get_by_label("Action value").fill("delivery")
    shot(page, "settings-automation-edit")
    form.get_by_role("button", name="Save changes").click()
    edited = page.get_by_role("article", name="Parcel triage")
    expect(edited).to_contain_text("if Message contains parcel, courier: Add tag delivery")
    expect(page.get_by_role("article", name="Shipping triage")).to_have_count(0)
    expect(page.get_by_role("form", name="New automation")).to_be_visible()
    with api_client(seeded.desk, ADMIN) as admin:
        items = admin.get("/api/automations", params={"per_page": 100}).json()["items"]
        saved = next(a for a in items if a["id"] == rule["id"])
        assert saved["active"] is True and saved["name"] == "Parcel triage"
        admin.delete(f"/api/automations/{rule['id']}")
