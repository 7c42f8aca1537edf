"""/api/agents and /api/settings/workspace as API.md describes them."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import ADMIN, AGENT, login, new_client


def test_admin_creates_lists_and_deletes_agents(admin: TestClient[Litestar]) -> None:
    created = admin.post("/api/agents", json={**AGENT, "role": "agent"})
    assert created.status_code == 201
    body = created.json()
    assert body["email"] == AGENT["email"] and body["role"] == "agent"
    assert "password" not in body and "password_hash" not in body
    listing = admin.get("/api/agents").json()
    assert listing["total"] == 2 and listing["page"] == 1 and listing["per_page"] == 25
    assert [a["name"] for a in listing["items"]] == [ADMIN["name"], AGENT["name"]]
    assert admin.get("/api/agents?page=2&per_page=1").json()["items"][0]["name"] == AGENT["name"]
    assert admin.get("/api/agents?page=9").json()["items"] == []
    assert admin.delete(f"/api/agents/{body['id']}").json() == {"deleted": True, "id": body["id"]}
    assert admin.get("/api/agents").json()["total"] == 1


def test_role_changes_and_the_last_admin_rule(
    admin: TestClient[Litestar], agent: TestClient[Litestar]
) -> None:
    sam = agent.get("/api/auth/me").json()["agent"]
    promoted = admin.post(f"/api/agents/{sam['id']}/role", json={"role": "admin"})
    assert promoted.status_code == 200 and promoted.json()["role"] == "admin"
    # Now two admins: Ada may be demoted, and then Sam is the last one.
    ada = admin.get("/api/auth/me").json()["agent"]
    assert agent.post(f"/api/agents/{ada['id']}/role", json={"role": "agent"}).status_code == 200
    last = agent.post(f"/api/agents/{sam['id']}/role", json={"role": "agent"})
    assert last.status_code == 409 and "last admin" in last.json()["error"]
    assert agent.delete(f"/api/agents/{sam['id']}").status_code == 409  # yourself


def test_deleting_the_last_admin_is_refused(app: Litestar, admin: TestClient[Litestar]) -> None:
    # An admin can only reach the last admin other than themselves if roles changed under them.
    second = admin.post("/api/agents", json={**AGENT, "role": "admin"}).json()
    sam = new_client(app)
    login(sam, AGENT["email"], AGENT["password"])
    ada_id = admin.get("/api/auth/me").json()["agent"]["id"]
    assert sam.post(f"/api/agents/{ada_id}/role", json={"role": "agent"}).status_code == 200
    assert admin.delete(f"/api/agents/{second['id']}").status_code == 403  # Ada is an agent now
    assert sam.delete(f"/api/agents/{ada_id}").status_code == 200


def test_workspace_settings_read_by_all_changed_by_admins(
    admin: TestClient[Litestar], agent: TestClient[Litestar]
) -> None:
    seen = agent.get("/api/settings/workspace").json()
    assert seen["name"] == "Acme Support" and seen["timezone"] == "UTC"
    assert seen["business_hours"]["mon"] == [["09:00", "17:00"]]
    assert seen["business_hours"]["sun"] == []
    assert {m["email"] for m in seen["team"]} == {ADMIN["email"], AGENT["email"]}
    assert seen["ai"] == {
        "provider": "builtin",
        "base_url": None,
        "model": None,
        "api_key_set": False,
    }
    assert agent.post("/api/settings/workspace", json={"name": "Mine"}).status_code == 403
    changed = admin.post(
        "/api/settings/workspace",
        json={
            "name": "Acme Help",
            "timezone": "Europe/Berlin",
            "business_hours": {"mon": [["08:00", "12:00"], ["13:00", "18:00"]]},
            "auto_reply": {"enabled": True, "body": "Back soon"},
            "ai": {
                "provider": "openai_compatible",
                "base_url": "http://127.0.0.1:11434",
                "model": "llama3",
                "api_key": "sk-secret",
            },
        },
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["name"] == "Acme Help" and body["timezone"] == "Europe/Berlin"
    assert body["business_hours"]["mon"] == [["08:00", "12:00"], ["13:00", "18:00"]]
    assert body["business_hours"]["tue"] == []
    assert body["auto_reply"] == {"enabled": True, "body": "Back soon"}
    assert body["ai"]["api_key_set"] is True and "sk-secret" not in changed.text
    partial = admin.post("/api/settings/workspace", json={"name": "Acme"}).json()
    assert partial["timezone"] == "Europe/Berlin" and partial["ai"]["api_key_set"] is True
    cleared = admin.post("/api/settings/workspace", json={"ai": {"api_key": None}}).json()
    assert cleared["ai"]["api_key_set"] is False


def test_deleted_agent_cannot_sign_in(app: Litestar, admin: TestClient[Litestar]) -> None:
    created = admin.post("/api/agents", json={**AGENT}).json()
    admin.delete(f"/api/agents/{created['id']}")
    other = new_client(app)
    response = other.post(
        "/api/auth/login", json={"email": AGENT["email"], "password": AGENT["password"]}
    )
    assert response.status_code == 401


def test_a_page_far_past_the_end_is_empty(admin: TestClient[Litestar]) -> None:
    response = admin.get("/api/agents", params={"page": 10**20})
    assert response.status_code == 200 and response.json()["items"] == []
