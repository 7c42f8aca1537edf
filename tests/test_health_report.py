"""/api/health follows the machine at once: a channel's failure shows on the next request and
leaves it when the channel works again (the report keeps nothing across a change)."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

from desk.services.desk import Desk
from desk.store import channel_health as health_store
from tests.inbox_helpers import make_channel


def problems(client: TestClient[Litestar]) -> list[dict[str, Any]]:
    response = client.get("/api/health")
    assert response.status_code == 200
    return list(response.json()["problems"])


def test_a_channel_failure_shows_at_once_and_leaves_when_it_works(
    admin: TestClient[Litestar],
) -> None:
    desk: Desk = admin.app.state.desk
    channel = make_channel(admin, "api", name="CRM hook")
    assert problems(admin) == []
    with desk.db.write() as conn:
        health_store.note_failure(
            conn, channel["id"], "send", "connection refused", "2026-01-01T00:00:00Z"
        )
    found = problems(admin)
    assert [p["code"] for p in found] == ["channel_down"]
    assert "CRM hook" in found[0]["message"] and "connection refused" in found[0]["message"]
    # Signed out, the same problem without the channel's name.
    admin.post("/api/auth/logout")
    public = problems(admin)
    assert [p["code"] for p in public] == ["channel_down"]
    assert "CRM hook" not in public[0]["message"]
    with desk.db.write() as conn:
        health_store.note_success(conn, channel["id"], "send", "2026-01-01T00:01:00Z")
    assert problems(admin) == []
