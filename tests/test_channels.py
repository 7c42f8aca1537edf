"""/api/channels (admin): config per type, write-only secrets, wiring fields, delete rules."""

from __future__ import annotations

from typing import Any, get_args

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from desk.models.channels import ChannelType
from desk.services.channels.registry import ADAPTERS
from tests.conftest import assert_error

Client = TestClient[Litestar]

EMAIL_CONFIG = {
    "imap_host": "imap.example.com",
    "imap_port": 993,
    "imap_user": "support",
    "imap_password": "imap-secret",
    "smtp_host": "smtp.example.com",
    "smtp_port": 587,
    "smtp_password": "smtp-secret",
    "from_address": "support@example.com",
}


def create(client: Client, **body: Any) -> dict[str, Any]:
    response = client.post("/api/channels", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_phone_channel(admin: Client) -> None:
    made = create(admin, name="Front desk", type="phone")
    assert made["type"] == "phone" and made["active"] is True
    assert made["config"] == {}
    assert made["created_at"].endswith("Z")


def test_api_channel_gets_hook_url_and_signing_secret(admin: Client) -> None:
    made = create(admin, name="CRM", type="api", config={"webhook_url": "http://127.0.0.1:9/hook"})
    config = made["config"]
    assert config["webhook_url"] == "http://127.0.0.1:9/hook"
    token = config["inbound_url"].removeprefix("/hooks/").removesuffix("/messages")
    assert config["inbound_url"] == f"/hooks/{token}/messages"
    assert len(token) >= 22  # >= 128 bits, URL-safe
    assert len(config["signing_secret"]) >= 32
    other = create(admin, name="ERP", type="api")
    assert other["config"]["webhook_url"] is None
    assert other["config"]["inbound_url"] != config["inbound_url"]
    assert other["config"]["signing_secret"] != config["signing_secret"]


def test_web_chat_channel_gets_public_token_and_snippet(admin: Client) -> None:
    made = create(
        admin,
        name="Website",
        type="web_chat",
        config={"allowed_origins": ["https://Shop.example/"], "color": "#112233"},
    )
    config = made["config"]
    assert config["allowed_origins"] == ["https://shop.example"]
    assert config["color"] == "#112233" and config["greeting"]
    token = config["public_token"]
    assert len(token) >= 22
    # Which script the snippet loads is the web-chat widget's business; what the snippet
    # must carry is the channel's public token.
    assert config["embed_snippet"].startswith("<script src=")
    assert f'data-desk-token="{token}"' in config["embed_snippet"]


def test_email_channel_hides_secrets_and_fills_defaults(admin: Client) -> None:
    made = create(admin, name="Support mailbox", type="email", config=EMAIL_CONFIG)
    config = made["config"]
    assert "imap_password" not in config and "smtp_password" not in config
    assert config["imap_password_set"] is True and config["smtp_password_set"] is True
    assert "imap-secret" not in str(made) and "smtp-secret" not in str(made)
    assert config["imap_tls"] == "ssl" and config["smtp_tls"] == "starttls"
    assert config["imap_folder"] == "INBOX" and config["poll_seconds"] == 60
    listed = admin.get("/api/channels").json()
    assert "imap-secret" not in str(listed)


def test_patch_keeps_omitted_secrets_and_can_clear_them(admin: Client) -> None:
    made = create(admin, name="Support mailbox", type="email", config=EMAIL_CONFIG)
    url = f"/api/channels/{made['id']}"
    response = admin.patch(url, json={"config": {"smtp_port": 465, "smtp_tls": "ssl"}})
    assert response.status_code == 200, response.text
    config = response.json()["config"]
    assert config["smtp_port"] == 465 and config["imap_host"] == "imap.example.com"
    assert config["imap_password_set"] is True and config["smtp_password_set"] is True
    # A GET-edit-PATCH round trip sends the read-only fields back: accepted and ignored.
    echoed = admin.patch(url, json={"config": {**config, "from_name": "Acme"}})
    assert echoed.status_code == 200, echoed.text
    assert echoed.json()["config"]["imap_password_set"] is True
    cleared = admin.patch(url, json={"config": {"imap_password": None}})
    assert cleared.json()["config"]["imap_password_set"] is False
    assert cleared.json()["config"]["smtp_password_set"] is True


def test_patch_name_and_active_only(admin: Client) -> None:
    made = create(admin, name="CRM", type="api", config={"webhook_url": "https://crm.example/h"})
    response = admin.patch(f"/api/channels/{made['id']}", json={"active": False})
    assert response.status_code == 200
    assert response.json()["active"] is False
    assert response.json()["config"] == made["config"]
    renamed = admin.patch(f"/api/channels/{made['id']}", json={"name": "  CRM 2 "}).json()
    assert renamed["name"] == "CRM 2" and renamed["active"] is False


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "type": "fax"}, "type"),
        ({"type": "phone"}, "name"),
        ({"name": " ", "type": "phone"}, "name"),
        ({"name": "x" * 101, "type": "phone"}, "name"),
        ({"name": "x", "type": "phone", "config": {"anything": 1}}, "config.anything"),
        ({"name": "x", "type": "phone", "config": []}, "config"),
        ({"name": "x", "type": "api", "config": {"webhook_url": "ftp://x"}}, "config.webhook_url"),
        (
            {"name": "x", "type": "api", "config": {"webhook_url": "not a url"}},
            "config.webhook_url",
        ),
        ({"name": "x", "type": "api", "config": {"webhook_url": 5}}, "config.webhook_url"),
        ({"name": "x", "type": "api", "config": {"url": "http://x"}}, "config.url"),
        ({"name": "x", "type": "web_chat", "config": {"color": "blue"}}, "config.color"),
        (
            {"name": "x", "type": "web_chat", "config": {"allowed_origins": "https://a.example"}},
            "config.allowed_origins",
        ),
        (
            {"name": "x", "type": "web_chat", "config": {"allowed_origins": ["https://a.ex/path"]}},
            "config.allowed_origins",
        ),
        ({"name": "x", "type": "web_chat", "config": {"greeting": "g" * 501}}, "config.greeting"),
        ({"name": "x", "type": "email", "config": {}}, "config.imap_host"),
        (
            {"name": "x", "type": "email", "config": {**EMAIL_CONFIG, "imap_port": "993"}},
            "config.imap_port",
        ),
        (
            {"name": "x", "type": "email", "config": {**EMAIL_CONFIG, "smtp_port": 70000}},
            "config.smtp_port",
        ),
        (
            {"name": "x", "type": "email", "config": {**EMAIL_CONFIG, "imap_tls": "tls"}},
            "config.imap_tls",
        ),
        (
            {"name": "x", "type": "email", "config": {**EMAIL_CONFIG, "from_address": "nobody"}},
            "config.from_address",
        ),
        (
            {"name": "x", "type": "email", "config": {**EMAIL_CONFIG, "poll_seconds": True}},
            "config.poll_seconds",
        ),
        ({"name": "x", "type": "phone", "colour": "red"}, "colour"),
        ({"name": "x", "type": "phone", "active": "yes"}, "active"),
    ],
)
def test_create_rejects_invalid_config_naming_the_field(
    admin: Client, body: dict[str, Any], field: str
) -> None:
    assert_error(admin.post("/api/channels", json=body), 400, field)
    assert admin.get("/api/channels").json()["total"] == 0


def test_email_channel_without_smtp_host_names_it(admin: Client) -> None:
    config = {k: v for k, v in EMAIL_CONFIG.items() if k != "smtp_host"}
    response = admin.post("/api/channels", json={"name": "m", "type": "email", "config": config})
    assert response.status_code == 400
    assert "config.smtp_host" in response.json()["error"]


@pytest.mark.parametrize(
    "body",
    [
        {"type": "api"},
        {"config": {"secret_key": "x"}},
        {"config": {"webhook_url": "gopher://x"}},
        {"name": ""},
        {"active": None},
    ],
)
def test_patch_rejects_invalid_changes(admin: Client, body: dict[str, Any]) -> None:
    made = create(admin, name="CRM", type="api")
    assert_error(admin.patch(f"/api/channels/{made['id']}", json=body), 400)
    assert admin.get("/api/channels").json()["items"] == [made]


def test_bad_bodies(admin: Client) -> None:
    headers = {"Content-Type": "application/json"}
    assert_error(admin.post("/api/channels", content=b"", headers=headers), 400)
    assert_error(admin.post("/api/channels", content=b"[1]", headers=headers), 400)
    huge = b'{"name": "' + b"x" * (1024 * 1024 + 10) + b'", "type": "phone"}'
    assert_error(admin.post("/api/channels", content=huge, headers=headers), 413)
    assert admin.get("/api/channels").json()["total"] == 0


def test_channels_are_for_admins_but_everyone_sees_refs_in_settings(
    admin: Client, agent: Client
) -> None:
    made = create(admin, name="CRM", type="api", config={"webhook_url": "http://10.0.0.5/h"})
    assert agent.get("/api/channels").status_code == 403
    assert agent.post("/api/channels", json={"name": "x", "type": "phone"}).status_code == 403
    assert agent.patch(f"/api/channels/{made['id']}", json={"name": "y"}).status_code == 403
    assert agent.delete(f"/api/channels/{made['id']}").status_code == 403
    refs = agent.get("/api/settings/workspace").json()["channels"]
    assert refs == [{"id": made["id"], "name": "CRM", "type": "api", "active": True}]


def test_unknown_channel_ids(admin: Client) -> None:
    assert admin.patch("/api/channels/404", json={"bogus": True}).status_code == 404
    assert admin.delete("/api/channels/404").status_code == 404


def test_list_is_a_page(admin: Client) -> None:
    for name in ("b", "a", "c"):
        create(admin, name=name, type="phone")
    page = admin.get("/api/channels", params={"per_page": 2}).json()
    assert [c["name"] for c in page["items"]] == ["a", "b"]
    assert (page["page"], page["per_page"], page["total"]) == (1, 2, 3)
    assert admin.get("/api/channels", params={"per_page": 0}).status_code == 400


def test_delete_refuses_while_in_use_unless_forced(admin: Client) -> None:
    made = create(admin, name="CRM", type="api")
    unused = create(admin, name="Spare", type="phone")
    hook = made["config"]["inbound_url"]
    body = {"contact": {"email": "grace@example.com"}, "body": "Hello"}
    received = admin.post(hook, json=body)
    assert received.status_code == 201
    conversation = received.json()
    refused = admin.delete(f"/api/channels/{made['id']}")
    assert "force" in assert_error(refused, 409)["error"]
    assert admin.get(f"/api/conversations/{conversation['conversation_id']}").status_code == 200
    assert admin.delete(f"/api/channels/{unused['id']}").json() == {
        "deleted": True,
        "id": unused["id"],
    }
    forced = admin.delete(f"/api/channels/{made['id']}", params={"force": "true"})
    assert forced.status_code == 200
    assert admin.get("/api/channels").json()["total"] == 0
    contact = admin.get("/api/contacts").json()["items"][0]
    assert contact["conversation_count"] == 0  # the conversation went with its channel
    assert admin.post(hook, json=body).status_code == 404


def test_signed_out_gets_401(client: Client) -> None:
    assert client.get("/api/channels").status_code == 401
    assert client.post("/api/channels", json={"name": "x", "type": "phone"}).status_code == 401
    assert client.patch("/api/channels/1", json={"name": "y"}).status_code == 401
    assert client.delete("/api/channels/1").status_code == 401


def test_delete_force_must_be_a_boolean(admin: Client) -> None:
    made = create(admin, name="Spare", type="phone")
    response = admin.delete(f"/api/channels/{made['id']}", params={"force": "maybe"})
    assert_error(response, 400, "force")
    assert admin.get("/api/channels").json()["items"] == [made]


def test_every_channel_type_has_one_adapter() -> None:
    """A type the API accepts but no adapter serves would fail at its first reply."""
    assert set(ADAPTERS) == set(get_args(ChannelType))
    assert all(adapter.type == name for name, adapter in ADAPTERS.items())
