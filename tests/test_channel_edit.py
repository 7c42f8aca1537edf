"""Editing a channel (PATCH /api/channels/{id}): every setting of each type, secrets kept when
left out, a refused change changing nothing, and `channels.changed` telling every agent."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from desk.services.desk import Desk
from desk.services.events import Event
from desk.store import channels as channels_store
from tests.conftest import assert_error
from tests.test_channels import EMAIL_CONFIG, create

Client = TestClient[Litestar]


def stored_config(client: Client, channel_id: int) -> dict[str, Any]:
    """The config as stored, secrets included (what no client can read)."""
    desk: Desk = client.app.state.desk
    with desk.db.read() as conn:
        record = channels_store.get_channel(conn, channel_id)
    assert record is not None
    return dict(record.config)


@pytest.fixture
def heard(admin: Client) -> list[Event]:
    events: list[Event] = []
    desk: Desk = admin.app.state.desk
    desk.events.add_listener(lambda e: events.append(e) if e.kind == "channels.changed" else None)
    return events


def test_an_email_channel_is_edited_whole_and_blank_secrets_keep_their_value(
    admin: Client,
) -> None:
    made = create(admin, name="Support mailbox", type="email", config=EMAIL_CONFIG)
    changes = {
        "imap_host": "mail.example.org",
        "imap_port": 143,
        "imap_user": "helpdesk",
        "imap_tls": "starttls",
        "imap_folder": "Support",
        "smtp_host": "out.example.org",
        "smtp_port": 465,
        "smtp_user": "helpdesk",
        "smtp_tls": "ssl",
        "from_address": "help@example.org",
        "from_name": "Example Help",
        "poll_seconds": 120,
    }
    response = admin.patch(
        f"/api/channels/{made['id']}", json={"name": "Help mailbox", "config": changes}
    )
    assert response.status_code == 200, response.text
    shown = response.json()
    assert shown["name"] == "Help mailbox"
    assert {k: shown["config"][k] for k in changes} == changes
    assert shown["config"]["imap_password_set"] and shown["config"]["smtp_password_set"]
    stored = stored_config(admin, made["id"])
    assert stored["imap_password"] == "imap-secret" and stored["smtp_password"] == "smtp-secret"
    # A new secret replaces the old one; the other is still kept.
    admin.patch(f"/api/channels/{made['id']}", json={"config": {"smtp_password": "new"}})
    stored = stored_config(admin, made["id"])
    assert stored["smtp_password"] == "new" and stored["imap_password"] == "imap-secret"
    assert "new" not in str(admin.get("/api/channels").json()["items"][0]["config"].values())


@pytest.mark.parametrize(
    ("config", "field"),
    [
        ({"imap_port": 0}, "config.imap_port"),
        ({"smtp_tls": "maybe"}, "config.smtp_tls"),
        ({"from_address": "not an address"}, "config.from_address"),
        ({"imap_host": None}, "config.imap_host"),
        ({"poll_seconds": "often"}, "config.poll_seconds"),
        ({"webhook_url": "http://x"}, "config.webhook_url"),
    ],
)
def test_a_refused_email_edit_changes_nothing(
    admin: Client, heard: list[Event], config: dict[str, Any], field: str
) -> None:
    made = create(admin, name="Support mailbox", type="email", config=EMAIL_CONFIG)
    before = stored_config(admin, made["id"])
    heard.clear()
    body = {"name": "Renamed", "config": {"imap_password": "changed", **config}}
    assert_error(admin.patch(f"/api/channels/{made['id']}", json=body), 400, field=field)
    assert admin.get("/api/channels").json()["items"] == [made]
    assert stored_config(admin, made["id"]) == before
    assert heard == []  # nobody was told of a change that did not happen


def test_web_chat_and_api_settings_are_edited(admin: Client) -> None:
    chat = create(admin, name="Website", type="web_chat")
    response = admin.patch(
        f"/api/channels/{chat['id']}",
        json={
            "name": "Shop chat",
            "config": {
                "allowed_origins": ["https://shop.example"],
                "greeting": "Hello there",
                "greetings": {"de": "Hallo"},
                "color": "#112233",
            },
        },
    )
    assert response.status_code == 200, response.text
    config = response.json()["config"]
    assert response.json()["name"] == "Shop chat"
    assert config["allowed_origins"] == ["https://shop.example"]
    assert (config["greeting"], config["greetings"], config["color"]) == (
        "Hello there",
        {"de": "Hallo"},
        "#112233",
    )
    assert config["public_token"] == chat["config"]["public_token"]  # the snippet still works
    refused = admin.patch(f"/api/channels/{chat['id']}", json={"config": {"color": "blue"}})
    assert_error(refused, 400, field="config.color")
    listed = {c["id"]: c for c in admin.get("/api/channels").json()["items"]}
    assert listed[chat["id"]] == response.json()  # the refused colour changed nothing

    hook = create(admin, name="CRM", type="api")
    edited = admin.patch(
        f"/api/channels/{hook['id']}", json={"config": {"webhook_url": "https://crm.example/h"}}
    )
    assert edited.json()["config"]["webhook_url"] == "https://crm.example/h"
    assert edited.json()["config"]["signing_secret"] == hook["config"]["signing_secret"]


def test_every_agent_hears_of_channels_added_renamed_switched_and_deleted(
    admin: Client, heard: list[Event]
) -> None:
    made = create(admin, name="Phone", type="phone")
    ref = {"id": made["id"], "name": "Phone", "type": "phone", "active": True}
    admin.patch(f"/api/channels/{made['id']}", json={"name": "Hotline"})
    admin.patch(f"/api/channels/{made['id']}", json={"active": False})
    admin.patch(f"/api/channels/{made['id']}", json={"name": "Hotline"})  # no change: no event
    admin.delete(f"/api/channels/{made['id']}")
    assert [msgspec.to_builtins(e.data) for e in heard] == [
        {"channels": [ref]},
        {"channels": [{**ref, "name": "Hotline"}]},
        {"channels": [{**ref, "name": "Hotline", "active": False}]},
        {"channels": []},
    ]
    assert all(e.private for e in heard)  # for agents' streams, never a visitor's


def test_a_config_change_alone_is_not_announced(admin: Client, heard: list[Event]) -> None:
    made = create(admin, name="CRM", type="api")
    heard.clear()
    admin.patch(f"/api/channels/{made['id']}", json={"config": {"webhook_url": "http://10.0.0.5/"}})
    assert heard == []  # agents see names and states only; the config is for admins
