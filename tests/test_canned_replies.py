"""Canned replies: the team's shared answers, their rules, who may delete, and rendering."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import assert_error
from tests.inbox_helpers import Client, start

REFUND = {
    "shortcut": "refund",
    "title": "Refund on its way",
    "body": "Hi {{contact.first_name}}, your refund for #{{conversation.id}} is on its way."
    " {{agent.name}}",
}


def create(client: Client, **fields: Any) -> dict[str, Any]:
    response = client.post("/api/canned-replies", json={**REFUND, **fields})
    assert response.status_code == 201, response.text
    return dict(response.json())


def all_replies(client: Client, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/api/canned-replies", params=params)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def test_an_agent_creates_one_and_everyone_sees_it(admin: Client, agent: Client) -> None:
    reply = create(agent, shortcut=" /Refund ")
    assert reply["shortcut"] == "refund"
    assert reply["created_by"]["name"] == "Sam Agent" and reply["created_by"]["id"] > 0
    assert reply["updated_at"].endswith("Z")
    page = admin.get("/api/canned-replies").json()
    assert page["total"] == 1 and page["items"] == [reply]


def test_search_by_shortcut_title_or_a_word_of_the_title(admin: Client) -> None:
    create(admin)
    create(admin, shortcut="shipping-delay", title="Parcel delayed", body="Sorry!")
    create(admin, shortcut="hello", title="Greeting", body="Hello {{contact.name}}")
    assert [r["shortcut"] for r in all_replies(admin, search="/ref")] == ["refund"]
    assert [r["shortcut"] for r in all_replies(admin, search="par")] == ["shipping-delay"]
    assert [r["shortcut"] for r in all_replies(admin, search="DELAY")] == ["shipping-delay"]
    assert [r["shortcut"] for r in all_replies(admin)] == ["hello", "refund", "shipping-delay"]
    assert all_replies(admin, search="%") == []  # LIKE wildcards are plain characters
    assert all_replies(admin, search="_") == []


def test_anyone_edits(admin: Client, agent: Client) -> None:
    reply = create(admin)
    response = agent.patch(f"/api/canned-replies/{reply['id']}", json={"title": "Refunds"})
    assert response.status_code == 200, response.text
    assert response.json()["title"] == "Refunds" and response.json()["body"] == reply["body"]
    assert response.json()["created_by"] == reply["created_by"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"shortcut": ""}, "shortcut"),
        ({"shortcut": "has space"}, "shortcut"),
        ({"shortcut": "x" * 33}, "shortcut"),
        ({"shortcut": "ümlaut"}, "shortcut"),
        ({"title": "  "}, "title"),
        ({"title": "t" * 101}, "title"),
        ({"body": " "}, "body"),
        ({"body": "b" * 20_001}, "body"),
        ({"body": "Hi {{contact.password}}"}, "body"),
        ({"shortcut": 5}, "shortcut"),
    ],
)
def test_bad_fields_are_refused_and_nothing_is_written(
    admin: Client, fields: dict[str, Any], field: str
) -> None:
    assert_error(admin.post("/api/canned-replies", json={**REFUND, **fields}), 400, field)
    assert all_replies(admin) == []
    reply = create(admin)
    assert_error(admin.patch(f"/api/canned-replies/{reply['id']}", json=fields), 400, field)
    assert all_replies(admin) == [reply]


def test_missing_and_unknown_fields(admin: Client) -> None:
    assert_error(admin.post("/api/canned-replies", json={"shortcut": "x"}), 400, "title")
    assert_error(admin.post("/api/canned-replies", json={**REFUND, "zz": 1}), 400, "zz")
    assert all_replies(admin) == []


def test_a_taken_shortcut_is_a_409(admin: Client, agent: Client) -> None:
    reply = create(admin)
    assert_error(agent.post("/api/canned-replies", json={**REFUND, "title": "Other"}), 409)
    other = create(agent, shortcut="other")
    assert_error(
        admin.patch(f"/api/canned-replies/{other['id']}", json={"shortcut": "REFUND"}), 409
    )
    assert all_replies(admin) == [other, reply]


def test_only_the_author_or_an_admin_deletes(app: Any, admin: Client, agent: Client) -> None:
    mine = create(agent, shortcut="mine")
    admins = create(admin, shortcut="admins")
    assert_error(agent.delete(f"/api/canned-replies/{admins['id']}"), 403)
    assert [r["id"] for r in all_replies(agent)] == [admins["id"], mine["id"]]
    assert agent.delete(f"/api/canned-replies/{mine['id']}").json() == {
        "deleted": True,
        "id": mine["id"],
    }
    assert admin.delete(f"/api/canned-replies/{admins['id']}").status_code == 200
    assert all_replies(admin) == []


def test_an_admin_deletes_an_agents_reply(admin: Client, agent: Client) -> None:
    theirs = create(agent)
    assert admin.delete(f"/api/canned-replies/{theirs['id']}").status_code == 200
    assert all_replies(agent) == []


def test_unknown_ids_are_404(admin: Client, phone: dict[str, Any]) -> None:
    conversation = start(admin, phone["id"])
    for method, path, body in [
        ("PATCH", "/api/canned-replies/999", {"title": "x"}),
        ("DELETE", "/api/canned-replies/999", None),
        ("GET", f"/api/canned-replies/999/render?conversation_id={conversation['id']}", None),
    ]:
        assert_error(admin.request(method, path, json=body), 404)


def test_a_deleted_authors_replies_keep_their_name(admin: Client, agent: Client) -> None:
    reply = create(agent)
    sam = reply["created_by"]["id"]
    assert admin.delete(f"/api/agents/{sam}").status_code == 200
    assert all_replies(admin)[0]["created_by"] == {"id": None, "name": "Sam Agent"}


def test_render_fills_the_contact_the_conversation_and_me(
    admin: Client, agent: Client, phone: dict[str, Any]
) -> None:
    reply = create(admin)
    conversation = start(admin, phone["id"])
    response = agent.get(
        f"/api/canned-replies/{reply['id']}/render", params={"conversation_id": conversation["id"]}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "body": f"Hi Grace, your refund for #{conversation['id']} is on its way. Sam Agent"
    }
    nameless = start(admin, phone["id"], contact={"email": "anon@example.com"})
    hello = create(admin, shortcut="hello", body="Hello {{contact.name}}!")
    response = admin.get(
        f"/api/canned-replies/{hello['id']}/render", params={"conversation_id": nameless["id"]}
    )
    assert response.json() == {"body": "Hello there!"}


def test_render_refuses_a_bad_or_unknown_conversation(admin: Client) -> None:
    reply = create(admin)
    path = f"/api/canned-replies/{reply['id']}/render"
    assert_error(admin.get(path), 400)
    assert_error(admin.get(path, params={"conversation_id": "x"}), 400, "conversation_id")
    assert_error(admin.get(path, params={"conversation_id": 0}), 400, "conversation_id")
    assert_error(admin.get(path, params={"conversation_id": 999}), 404, "conversation_id")


def test_paging(admin: Client) -> None:
    for n in range(3):
        create(admin, shortcut=f"r{n}")
    page = admin.get("/api/canned-replies", params={"per_page": 2, "page": 2}).json()
    assert page["total"] == 3 and [r["shortcut"] for r in page["items"]] == ["r2"]
    assert_error(admin.get("/api/canned-replies", params={"per_page": 101}), 400)
