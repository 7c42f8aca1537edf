"""Notifications: a new conversation, a reply in my conversation, a mention in a note; each
agent's settings; reading them; and they reach only their agent's stream."""

from __future__ import annotations

from typing import Any

import pytest

from desk.services.notifications import mentioned
from tests.conftest import assert_error
from tests.inbox_helpers import Client, agent_id, hook, record_events, start


def listing(client: Client, **params: Any) -> dict[str, Any]:
    response = client.get("/api/notifications", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_a_new_conversation_tells_everyone_once(
    admin: Client, agent: Client, api: dict[str, Any]
) -> None:
    heard = record_events(admin)
    conversation_id = hook(admin, api, "My parcel is lost")["conversation_id"]
    for client in (admin, agent):
        page = listing(client)
        assert page["unread"] == 1 and page["total"] == 1
        item = page["items"][0]
        assert item["kind"] == "new_conversation"
        assert item["conversation_id"] == conversation_id
        assert item["actor"] == "Grace Hopper" and item["preview"] == "My parcel is lost"
        assert item["read"] is False
    told = [e for e in heard if e.kind == "notification.created"]
    assert sorted(e.agent_id for e in told) == sorted([1, agent_id(admin)])
    assert all(e.private for e in told)
    # Logged by an agent: nobody is told.
    start(admin, api["id"], message="Called us", contact={"name": "Al", "email": "al@example.com"})
    assert listing(admin)["total"] == 1


def test_a_reply_in_my_conversation_tells_me_only(
    admin: Client, agent: Client, api: dict[str, Any]
) -> None:
    conversation_id = hook(admin, api, "Hello")["conversation_id"]
    sam = agent_id(admin)
    admin.post(f"/api/conversations/{conversation_id}/assign", json={"agent_id": sam})
    hook(admin, api, "Anyone there?")
    mine = listing(agent, kind="assigned_reply")
    assert [i["preview"] for i in mine["items"]] == ["Anyone there?"]
    assert listing(admin, kind="assigned_reply")["total"] == 0


def test_mentions_in_notes(admin: Client, agent: Client, phone: dict[str, Any]) -> None:
    conversation_id = start(admin, phone["id"], message="Hi")["id"]
    note = {"body": "@sam agent can you call her? cc @Ada Admin", "type": "note"}
    response = admin.post(f"/api/conversations/{conversation_id}/messages", json=note)
    assert response.status_code == 201, response.text
    got = listing(agent, kind="mention")["items"]
    assert [(i["actor"], i["message_id"]) for i in got] == [("Ada Admin", response.json()["id"])]
    assert listing(admin, kind="mention")["total"] == 0  # never told about yourself
    # A reply (not a note) mentions nobody.
    admin.post(f"/api/conversations/{conversation_id}/messages", json={"body": "@Sam Agent hi"})
    assert listing(agent, kind="mention")["total"] == 1


def test_mention_parsing() -> None:
    team = [(1, "Sam"), (2, "Sam Agent"), (3, "Ada")]
    assert mentioned("@Sam Agent please", team) == [2]
    assert mentioned("@sam, and @ADA.", team) == [1, 3]
    assert mentioned("mail sam@example.com or @Samuel", team) == []


def test_settings_turn_kinds_off(admin: Client, agent: Client, api: dict[str, Any]) -> None:
    assert agent.get("/api/notifications/settings").json() == {
        "new_conversations": True,
        "assigned_replies": True,
        "mentions": True,
        "desktop": True,
        "sound": False,
    }
    changed = agent.patch(
        "/api/notifications/settings", json={"new_conversations": False, "sound": True}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["new_conversations"] is False and changed.json()["sound"] is True
    hook(admin, api, "Hello")
    assert listing(agent)["total"] == 0
    assert listing(admin)["total"] == 1  # admin's own settings untouched


def test_mark_read(admin: Client, agent: Client, api: dict[str, Any]) -> None:
    first = hook(admin, api, "One", email="a@example.com")["conversation_id"]
    hook(admin, api, "Two", email="b@example.com")
    hook(admin, api, "Three", email="c@example.com")
    items = listing(admin)["items"]
    one = admin.post("/api/notifications/read", json={"ids": [items[0]["id"]]})
    assert one.status_code == 200 and one.json() == {"unread": 2}
    by_conversation = admin.post("/api/notifications/read", json={"conversation_id": first})
    assert by_conversation.json() == {"unread": 1}
    assert [i["preview"] for i in listing(admin, unread=True)["items"]] == ["Two"]
    assert admin.post("/api/notifications/read", json={"all": True}).json() == {"unread": 0}
    assert listing(agent)["unread"] == 3  # each agent reads their own


def test_refusals_change_nothing(admin: Client, agent: Client, api: dict[str, Any]) -> None:
    hook(admin, api, "Hello")
    admins = listing(admin)["items"][0]["id"]
    sams = listing(agent)["items"][0]["id"]
    # Another agent's notification is not found for me, and nothing is marked.
    assert_error(agent.post("/api/notifications/read", json={"ids": [admins]}), 404, "ids")
    assert_error(agent.post("/api/notifications/read", json={"ids": [sams, admins]}), 404, "ids")
    assert_error(agent.post("/api/notifications/read", json={"ids": [99999]}), 404, "ids")
    assert_error(agent.post("/api/notifications/read", json={}), 400, "ids")
    assert_error(agent.post("/api/notifications/read", json={"all": True, "ids": [sams]}), 400)
    assert_error(agent.post("/api/notifications/read", json={"ids": []}), 400)
    assert_error(agent.post("/api/notifications/read", json={"ids": ["x"]}), 400)
    assert listing(agent)["unread"] == 1 and listing(admin)["unread"] == 1
    before = agent.get("/api/notifications/settings").json()
    assert_error(agent.patch("/api/notifications/settings", json={"loud": True}), 400)
    assert_error(agent.patch("/api/notifications/settings", json={"sound": "yes"}), 400)
    assert agent.get("/api/notifications/settings").json() == before
    assert_error(agent.get("/api/notifications", params={"kind": "everything"}), 400)
    agent.cookies.clear()
    assert_error(agent.get("/api/notifications"), 401)


@pytest.mark.parametrize("params", [{"page": 0}, {"per_page": 101}])
def test_bad_paging(admin: Client, params: dict[str, Any]) -> None:
    assert_error(admin.get("/api/notifications", params=params), 400)
