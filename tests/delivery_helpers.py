"""Helpers of the delivery tests: an api channel whose webhook goes to a local receiver (or
nowhere), a customer's message through its hook, an agent's reply."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

from desk.services.desk import Desk

Client = TestClient[Litestar]


def desk_of(app: Litestar) -> Desk:
    desk: Desk = app.state.desk
    return desk


def api_channel(admin: Client, url: str | None = None) -> dict[str, Any]:
    """An api channel; without a webhook_url every reply fails at once (permanently)."""
    response = admin.post(
        "/api/channels", json={"name": "CRM", "type": "api", "config": {"webhook_url": url}}
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def incoming(
    client: Client, channel: dict[str, Any], email: str = "grace@example.com", **extra: Any
) -> int:
    """A customer's message through the channel's hook; its conversation's id."""
    body = {"contact": {"name": "Grace", "email": email}, "body": "Where is my order?"}
    response = client.post(channel["config"]["inbound_url"], json={**body, **extra})
    assert response.status_code == 201, response.text
    return int(response.json()["conversation_id"])


def reply(client: Client, conversation_id: int, body: str = "On its way!") -> dict[str, Any]:
    response = client.post(f"/api/conversations/{conversation_id}/messages", json={"body": body})
    assert response.status_code == 201, response.text
    return dict(response.json())
