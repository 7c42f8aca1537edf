"""Drafts: each agent's unsent reply and note per conversation, kept by the server."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar

from desk.models.drafts import MAX_DRAFT
from tests.conftest import FakeClock, assert_error, new_client
from tests.inbox_helpers import Client, make_channel
from tests.inbox_helpers import start as start_conversation


@pytest.fixture
def conversation(admin: Client) -> dict[str, Any]:
    phone = make_channel(admin, "phone")
    return start_conversation(admin, phone["id"], message="Hello, my order never arrived")


def draft_url(conversation_id: int) -> str:
    return f"/api/conversations/{conversation_id}/draft"


def test_a_draft_is_kept_per_agent_and_per_side(
    admin: Client, agent: Client, conversation: dict[str, Any], clock: FakeClock
) -> None:
    url = draft_url(conversation["id"])
    empty = admin.get(url).json()
    assert empty == {
        "conversation_id": conversation["id"],
        "reply": "",
        "note": "",
        "updated_at": None,
    }
    saved = admin.put(url, json={"reply": "Hi Grace, half a thought"})
    assert saved.status_code == 200, saved.text
    assert saved.json()["reply"] == "Hi Grace, half a thought"
    assert saved.json()["updated_at"].startswith("2026-11-29T12:00")
    # The note side is added without touching the reply.
    admin.put(url, json={"note": "ask the courier"}).raise_for_status()
    both = admin.get(url).json()
    assert (both["reply"], both["note"]) == ("Hi Grace, half a thought", "ask the courier")
    # Another agent has their own (empty) draft of the same conversation.
    assert agent.get(url).json()["reply"] == ""
    agent.put(url, json={"reply": "Sam's words"}).raise_for_status()
    assert admin.get(url).json()["reply"] == "Hi Grace, half a thought"
    listed = admin.get("/api/drafts").json()
    assert (listed["total"], [d["conversation_id"] for d in listed["items"]]) == (
        1,
        [conversation["id"]],
    )


def test_a_draft_survives_a_new_session(
    app: Litestar, admin: Client, conversation: dict[str, Any]
) -> None:
    admin.put(draft_url(conversation["id"]), json={"reply": "keep me  \n"}).raise_for_status()
    other = new_client(app)  # another browser, or the window after a restart
    other.post(
        "/api/auth/login", json={"email": "ada@example.com", "password": "correct horse"}
    ).raise_for_status()
    assert other.get(draft_url(conversation["id"])).json()["reply"] == "keep me  \n"


def test_sending_clears_the_side_sent(admin: Client, conversation: dict[str, Any]) -> None:
    url = draft_url(conversation["id"])
    admin.put(url, json={"reply": "Sorry about that", "note": "check stock"}).raise_for_status()
    sent = admin.post(
        f"/api/conversations/{conversation['id']}/messages",
        json={"body": "Sorry about that", "type": "outgoing"},
    )
    assert sent.status_code == 201
    assert admin.get(url).json()["reply"] == "" and admin.get(url).json()["note"] == "check stock"
    admin.post(
        f"/api/conversations/{conversation['id']}/messages",
        json={"body": "checked", "type": "note"},
    ).raise_for_status()
    assert admin.get(url).json()["updated_at"] is None  # nothing left: no draft at all
    assert admin.get("/api/drafts").json()["total"] == 0


def test_emptying_or_deleting_removes_the_draft(
    admin: Client, conversation: dict[str, Any]
) -> None:
    url = draft_url(conversation["id"])
    admin.put(url, json={"reply": "x"}).raise_for_status()
    assert admin.put(url, json={"reply": ""}).json()["updated_at"] is None
    admin.put(url, json={"note": "y"}).raise_for_status()
    assert admin.delete(url).json() == {"deleted": True, "id": conversation["id"]}
    assert admin.get("/api/drafts").json()["total"] == 0
    assert admin.delete(url).status_code == 200  # no draft: the end state is the same


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reply": 5}, "reply"),
        ({"note": "x" * (MAX_DRAFT + 1)}, "note"),
        ({"reply": "x", "subject": "no"}, "subject"),
    ],
)
def test_a_bad_draft_is_400_and_changes_nothing(
    admin: Client, conversation: dict[str, Any], body: dict[str, Any], field: str
) -> None:
    url = draft_url(conversation["id"])
    admin.put(url, json={"reply": "before"}).raise_for_status()
    assert_error(admin.put(url, json=body), 400, field)
    assert admin.get(url).json()["reply"] == "before"


def test_unknown_conversation_is_404_and_erasure_takes_the_draft(
    admin: Client, conversation: dict[str, Any]
) -> None:
    assert_error(admin.get(draft_url(999)), 404)
    assert_error(admin.put(draft_url(999), json={"reply": "x"}), 404)
    assert_error(admin.delete(draft_url(999)), 404)
    admin.put(draft_url(conversation["id"]), json={"reply": "x"}).raise_for_status()
    admin.delete(f"/api/contacts/{conversation['contact']['id']}").raise_for_status()
    assert admin.get("/api/drafts").json()["total"] == 0


def test_drafts_list_pages_newest_first(
    admin: Client, conversation: dict[str, Any], clock: FakeClock
) -> None:
    phone = conversation["channel_id"]
    second = start_conversation(admin, phone, message="another")
    admin.put(draft_url(conversation["id"]), json={"reply": "first"}).raise_for_status()
    clock.advance(minutes=1)
    admin.put(draft_url(second["id"]), json={"note": "second"}).raise_for_status()
    page = admin.get("/api/drafts", params={"per_page": 1}).json()
    assert (page["total"], page["items"][0]["conversation_id"]) == (2, second["id"])
    assert admin.get("/api/drafts", params={"page": 3, "per_page": 1}).json()["items"] == []
    assert_error(admin.get("/api/drafts", params={"per_page": 101}), 400)
