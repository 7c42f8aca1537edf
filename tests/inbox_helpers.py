"""Building inbox state through the public API, for the conversation/message/search tests."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

from desk.services.desk import Desk
from desk.services.events import Event

Client = TestClient[Litestar]


def make_channel(admin: Client, type: str = "phone", name: str | None = None) -> dict[str, Any]:
    config: dict[str, Any] = {"webhook_url": None} if type == "api" else {}
    response = admin.post(
        "/api/channels", json={"name": name or f"{type} channel", "type": type, "config": config}
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def start(client: Client, channel_id: int, **fields: Any) -> dict[str, Any]:
    """POST /api/conversations with a default inline contact; answers the new conversation."""
    body: dict[str, Any] = {"channel_id": channel_id, **fields}
    if "contact_id" not in fields and "contact" not in fields:
        body["contact"] = {"name": "Grace Hopper", "email": "grace@example.com"}
    response = client.post("/api/conversations", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def hook(
    client: Client,
    channel: dict[str, Any],
    body: str,
    email: str = "grace@example.com",
    name: str = "Grace Hopper",
    thread_id: str | None = None,
) -> dict[str, Any]:
    """A contact writes through an `api` channel's inbound hook (no session needed)."""
    payload: dict[str, Any] = {"contact": {"name": name, "email": email}, "body": body}
    if thread_id is not None:
        payload["thread_id"] = thread_id
    response = client.post(channel["config"]["inbound_url"], json=payload)
    assert response.status_code == 201, response.text
    return dict(response.json())


def get(client: Client, conversation_id: int) -> dict[str, Any]:
    response = client.get(f"/api/conversations/{conversation_id}")
    assert response.status_code == 200, response.text
    return dict(response.json())


def listing(client: Client, **params: Any) -> dict[str, Any]:
    response = client.get("/api/conversations", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def ids(client: Client, **params: Any) -> list[int]:
    return [item["id"] for item in listing(client, **params)["items"]]


def messages(client: Client, conversation_id: int, **params: Any) -> list[dict[str, Any]]:
    response = client.get(f"/api/conversations/{conversation_id}/messages", params=params)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def desk_of(client: Client) -> Desk:
    desk: Desk = client.app.state.desk
    return desk


def record_events(client: Client) -> list[Event]:
    """Every event the app publishes from now on (listeners run in the publishing thread)."""
    heard: list[Event] = []
    desk_of(client).events.add_listener(heard.append)
    return heard


def agent_id(admin: Client, email: str = "sam@example.com") -> int:
    team = admin.get("/api/settings/workspace").json()["team"]
    return next(member["id"] for member in team if member["email"] == email)
