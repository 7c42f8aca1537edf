"""Admin settings: channels with what's needed to wire them, automations, agents, workspace."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from .conftest import ADMIN, Seeded, api_client, shot


def add_channel(open_page: Any, type: str, name: str, **fields: str) -> Any:
    """Fill the admin's Add-a-channel form (extra fields by label) and return the page."""
    page = open_page(hash="#/settings/channels").page
    form = page.get_by_role("form", name="Add a channel")
    form.get_by_label("Type").select_option(type)
    form.get_by_label("Name").fill(name)
    for label, value in fields.items():
        form.get_by_label(label).fill(value)
    form.get_by_role("button", name="Add channel").click()
    return page


def test_add_an_api_channel_and_see_its_inbound_url(open_page: Any, seeded: Seeded) -> None:
    page = add_channel(
        open_page, "api", "CRM bridge", **{"Webhook URL for replies": "http://127.0.0.1:9/replies"}
    )
    card = page.get_by_role("article", name="CRM bridge")
    expect(card).to_contain_text(re.compile(r"http://127\.0\.0\.1:\d+/hooks/\S+/messages"))
    expect(card.get_by_role("button", name=re.compile("Copy Signing secret"))).to_be_visible()
    # The new channel is offered in the inbox's views at once.
    page.get_by_role("link", name="Inbox", exact=True).click()
    views = page.get_by_role("navigation", name="Inbox views")
    expect(views.get_by_role("link", name="CRM bridge")).to_be_visible()


def test_build_toggle_and_delete_an_automation(open_page: Any, seeded: Seeded) -> None:
    page = open_page(hash="#/settings/automations").page
    form = page.get_by_role("form", name="New automation")
    form.get_by_label("Name").fill("Refund triage")
    form.get_by_label("When").select_option("message_received")
    form.get_by_role("button", name="Add condition").click()
    form.get_by_label("Condition field").select_option("message_body")
    form.get_by_label("Condition operator").select_option("contains")
    form.get_by_label("Condition value").fill("refund")
    form.get_by_label("Action", exact=True).select_option("add_tag")
    form.get_by_label("Action value").fill("billing")
    form.get_by_role("button", name="Create automation").click()
    card = page.get_by_role("article", name="Refund triage")
    expect(card).to_contain_text("if Message contains refund: Add tag billing")
    shot(page, "settings-automations-filled")
    card.get_by_label("Refund triage active").uncheck()
    page.reload()
    expect(
        page.get_by_role("article", name="Refund triage").get_by_label("Refund triage active")
    ).not_to_be_checked()
    page.get_by_role("article", name="Refund triage").get_by_role("button", name="Delete").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete automation").click()
    expect(page.get_by_role("article", name="Refund triage")).to_have_count(0)


def test_manage_agents_and_rename_the_workspace(open_page: Any, seeded: Seeded) -> None:
    opened = open_page(hash="#/settings/agents")
    opened.problems.allowed.append("400 (Bad Request)")
    page = opened.page
    form = page.get_by_role("form", name="Add an agent")
    form.get_by_label("Name").fill("Kim Short")
    form.get_by_label("Email").fill("kim@example.com")
    form.get_by_label("Temporary password").fill("short")
    form.get_by_role("button", name="Add agent").click()
    expect(form.get_by_role("alert").filter(has_text=re.compile("."))).to_be_visible()
    form.get_by_label("Temporary password").fill("long enough now")
    form.get_by_role("button", name="Add agent").click()
    card = page.get_by_role("article", name="Kim Short")
    card.get_by_label("Role of Kim Short").select_option("admin")
    expect(page.get_by_text("Kim Short is now an admin")).to_be_visible()

    page.get_by_role("link", name="Workspace").click()
    page.get_by_label("Workspace name").fill("Zenith Support")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Workspace settings saved")).to_be_visible()
    expect(page.locator(".rail-workspace")).to_have_attribute("title", "Zenith Support")


def test_a_web_chat_channel_offers_its_embed_snippet(open_page: Any, seeded: Seeded) -> None:
    page = add_channel(
        open_page, "web_chat", "Website chat", **{"Allowed websites": "https://shop.example"}
    )
    card = page.get_by_role("article", name="Website chat")
    expect(card.get_by_role("button", name=re.compile("Copy Embed snippet"))).to_be_visible()
    expect(card.locator(".copy-value").first).to_contain_text("<script")
    expect(card.get_by_role("button", name=re.compile("Copy Identity secret"))).to_be_visible()


def test_analytics_range_picker(open_page: Any, seeded: Seeded) -> None:
    page = open_page(hash="#/analytics/30").page
    expect(page.locator(".kpi").first).to_be_visible()
    page.get_by_role("button", name="7 days").click()
    expect(page).to_have_url(re.compile(r"#/analytics/7$"))
    expect(page.get_by_role("button", name="7 days")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".bar-group")).to_have_count(7)
    page.get_by_role("button", name="1 year").click()
    expect(page.locator(".bar-group")).to_have_count(365)


def test_ai_provider_settings_keep_the_key_write_only(open_page: Any, seeded: Seeded) -> None:
    page = open_page(hash="#/settings/ai").page
    form = page.get_by_role("form", name="AI settings")
    form.get_by_label("Provider").select_option("openai_compatible")
    form.get_by_label("Base URL").fill("http://127.0.0.1:9/v1")
    form.get_by_label("Model").fill("tiny-model")
    form.get_by_label("API key").fill("sk-secret")
    form.get_by_role("button", name="Save").click()
    expect(page.get_by_text("AI settings saved")).to_be_visible()
    page.reload()
    form = page.get_by_role("form", name="AI settings")
    expect(form.get_by_label("Model")).to_have_value("tiny-model")
    expect(form.get_by_label("API key")).to_have_value("")
    expect(form.get_by_text("A key is saved.")).to_be_visible()
    # Back to the built-in provider, so other tests suggest offline and at once.
    form.get_by_label("Provider").select_option("builtin")
    form.get_by_role("button", name="Save").click()
    expect(page.get_by_text("AI settings saved")).to_be_visible()
    with api_client(seeded.desk, ADMIN) as admin:
        ai = admin.get("/api/settings/workspace").json()["ai"]
    assert ai["provider"] == "builtin"
    assert ai["api_key_set"] is True
