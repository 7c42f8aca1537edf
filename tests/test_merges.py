"""Merging conversations and contacts: what moves, what stays, every refusal (read back
unchanged), live events, threads that keep leading to the survivor, and merging under
concurrent replies."""

from __future__ import annotations

import threading
import time
from typing import Any

from desk.errors import NotFound
from desk.models.agents import Agent
from desk.services import merges, messages
from tests.conftest import assert_error
from tests.inbox_helpers import (
    Client,
    desk_of,
    get,
    hook,
    ids,
    record_events,
    start,
)
from tests.inbox_helpers import messages as messages_of


def merge(client: Client, source: int, into: int) -> Any:
    return client.post(f"/api/conversations/{source}/merge", json={"into": into})


def test_merging_moves_messages_tags_and_unread_into_the_survivor(
    admin: Client, agent: Client, api: dict[str, Any]
) -> None:
    first = hook(admin, api, "My order 1042 never came", thread_id="order-1042")
    second = hook(admin, api, "Still nothing about heliotrope order 1042", thread_id="other")
    into, source = first["conversation_id"], second["conversation_id"]
    assert admin.post(f"/api/conversations/{into}/tags", json={"tag": "billing"}).is_success
    assert admin.post(f"/api/conversations/{source}/tags", json={"tag": "shipping"}).is_success
    assert admin.post(f"/api/conversations/{into}/priority", json={"priority": "high"}).is_success
    assert admin.post(f"/api/conversations/{source}/status", json={"status": "pending"}).is_success
    before_into = messages_of(admin, into)
    before_source = messages_of(admin, source)
    heard = record_events(admin)

    response = merge(agent, source, into)
    assert response.status_code == 200, response.text
    survivor = response.json()
    assert survivor["id"] == into
    assert survivor["tags"] == ["billing", "shipping"]
    assert survivor["unread_count"] == 2  # one incoming message each, summed
    assert survivor["priority"] == "high" and survivor["status"] == "open"
    assert survivor["last_message"]["id"] == second["message_id"]

    after = messages_of(admin, into, per_page=100)
    kept = {m["id"]: m for m in after}
    for message in before_into + before_source:  # ids and times kept
        assert kept[message["id"]]["created_at"] == message["created_at"]
        assert kept[message["id"]]["conversation_id"] == into
    assert after[-1]["type"] == "activity"
    assert f"merged conversation #{source}" in after[-1]["body"]
    assert "Sam Agent" in after[-1]["body"]

    # The merged one is gone everywhere.
    assert_error(admin.get(f"/api/conversations/{source}"), 404)
    assert_error(admin.get(f"/api/conversations/{source}/messages"), 404)
    assert_error(admin.post(f"/api/conversations/{source}/status", json={"status": "open"}), 404)
    assert_error(admin.post(f"/api/conversations/{source}/messages", json={"body": "Hello?"}), 404)
    assert source not in ids(admin, status="all")
    assert ids(admin, search="heliotrope") == [into]  # its words now find the survivor
    assert ids(admin, tag="shipping") == [into]
    kinds = [(e.kind, e.data) for e in heard if e.kind == "conversation.merged"]
    assert kinds == [("conversation.merged", {"id": source, "into": into})]
    assert any(e.kind == "conversation.updated" and e.data.id == into for e in heard)

    # The merged conversation's thread id now leads to the survivor.
    again = hook(admin, api, "Any news?", thread_id="other")
    assert again["conversation_id"] == into
    # A new conversation never takes the merged id.
    fresh = hook(admin, api, "A new question", thread_id="new-thread")
    assert fresh["conversation_id"] > source


def test_merging_into_itself_is_a_400_and_changes_nothing(
    admin: Client, phone: dict[str, Any]
) -> None:
    conversation = start(admin, phone["id"], message="Hello")
    assert_error(merge(admin, conversation["id"], conversation["id"]), 400, "into")
    assert get(admin, conversation["id"])["updated_at"] == conversation["updated_at"]
    assert len(messages_of(admin, conversation["id"])) == 1


def test_unknown_ids_are_404(admin: Client, phone: dict[str, Any]) -> None:
    conversation = start(admin, phone["id"], message="Hello")
    assert_error(merge(admin, conversation["id"], 999), 404, "into")
    assert_error(merge(admin, 999, conversation["id"]), 404)
    assert_error(merge(admin, conversation["id"], 0), 400, "into")
    assert_error(admin.post(f"/api/conversations/{conversation['id']}/merge", json={}), 400)
    assert len(messages_of(admin, conversation["id"])) == 1


def test_conversations_of_different_contacts_are_a_409_until_the_contacts_merge(
    admin: Client, agent: Client, phone: dict[str, Any]
) -> None:
    by_email = start(admin, phone["id"], message="Hi by mail")
    by_phone = start(
        admin, phone["id"], contact={"name": "G. Hopper", "phone": "+1 555 0100"}, message="Hi"
    )
    assert_error(merge(admin, by_phone["id"], by_email["id"]), 409)
    assert get(admin, by_phone["id"])["contact"]["id"] == by_phone["contact"]["id"]
    assert len(messages_of(admin, by_email["id"])) == 1

    # Merging the contacts is for admins.
    path = f"/api/contacts/{by_phone['contact']['id']}/merge"
    assert_error(agent.post(path, json={"into": by_email["contact"]["id"]}), 403)
    assert admin.get(f"/api/contacts/{by_phone['contact']['id']}").status_code == 200

    heard = record_events(admin)
    response = admin.post(path, json={"into": by_email["contact"]["id"]})
    assert response.status_code == 200, response.text
    assert response.json()["phone"] == "+1 555 0100"
    assert merge(admin, by_phone["id"], by_email["id"]).status_code == 200
    assert any(e.kind == "contact.merged" for e in heard)


def test_merging_contacts_moves_conversations_and_fills_what_is_missing(
    admin: Client, phone: dict[str, Any]
) -> None:
    keep = admin.post(
        "/api/contacts",
        json={"name": "Grace Hopper", "phone": "+1 555 0100", "custom_attributes": {"plan": "pro"}},
    ).json()
    gone = admin.post(
        "/api/contacts",
        json={
            "name": "G. Hopper",
            "email": "grace@navy.example",
            "company": "Navy",
            "custom_attributes": {"plan": "free", "seats": 12},
        },
    ).json()
    conversation = start(admin, phone["id"], contact_id=gone["id"], message="Hi")
    heard = record_events(admin)
    response = admin.post(f"/api/contacts/{gone['id']}/merge", json={"into": keep["id"]})
    assert response.status_code == 200, response.text
    merged = response.json()
    assert merged["id"] == keep["id"]
    assert merged["name"] == "Grace Hopper"  # the survivor's own details stay
    assert merged["email"] == "grace@navy.example" and merged["company"] == "Navy"
    assert merged["custom_attributes"] == {"plan": "pro", "seats": 12}
    assert merged["conversation_count"] == 1
    assert get(admin, conversation["id"])["contact"]["id"] == keep["id"]
    assert_error(admin.get(f"/api/contacts/{gone['id']}"), 404)
    assert ids(admin, search="navy.example") == [conversation["id"]]
    assert ("contact.merged", {"id": gone["id"], "into": keep["id"]}) in [
        (e.kind, e.data) for e in heard
    ]
    # The survivor's email is its own now: a new contact with it is a duplicate.
    assert_error(admin.post("/api/contacts", json={"email": "GRACE@navy.example"}), 409)


def test_contact_merge_refusals_change_nothing(admin: Client) -> None:
    one = admin.post("/api/contacts", json={"name": "One"}).json()
    assert_error(admin.post(f"/api/contacts/{one['id']}/merge", json={"into": one["id"]}), 400)
    assert_error(admin.post(f"/api/contacts/{one['id']}/merge", json={"into": 999}), 404, "into")
    assert_error(admin.post("/api/contacts/999/merge", json={"into": one["id"]}), 404)
    assert admin.get(f"/api/contacts/{one['id']}").json() == one


def test_merging_under_concurrent_replies_loses_nothing(
    admin: Client, phone: dict[str, Any]
) -> None:
    desk = desk_of(admin)
    me = Agent(**{k: v for k, v in admin.get("/api/auth/me").json()["agent"].items()})
    into = start(admin, phone["id"], message="First")["id"]
    source = start(admin, phone["id"], message="Second")["id"]
    posted: list[int] = []
    refused: list[int] = []
    lock = threading.Lock()
    go = threading.Event()

    def reply(n: int) -> None:
        go.wait()
        for k in range(10):
            try:
                message = messages.post_message(desk, me, source, f"Reply {n}.{k}")
            except NotFound:
                with lock:
                    refused.append(n)
                return
            with lock:
                posted.append(message.id)

    threads = [threading.Thread(target=reply, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    go.set()
    deadline = time.monotonic() + 30
    while len(posted) < 4 and time.monotonic() < deadline:  # merge while they are replying
        time.sleep(0.001)
    merges.merge_conversation(desk, me, source, into)
    for thread in threads:
        thread.join()

    with desk.db.read() as conn:
        rows = conn.execute(
            "SELECT id, conversation_id FROM messages WHERE type = 'outgoing'"
        ).fetchall()
    where = {row[0]: row[1] for row in rows}
    assert sorted(where) == sorted(posted)  # every reply that was accepted is stored, once
    assert set(where.values()) == {into}  # all in the survivor
    assert len(posted) >= 4
    assert len(posted) + len(refused) >= 4  # each thread either finished or was told 404
