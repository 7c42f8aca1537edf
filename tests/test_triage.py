"""Changing a conversation: status and snooze, threading of incoming messages, tags,
assignment and priority — each recorded as an activity line."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import FakeClock
from tests.inbox_helpers import (
    Client,
    agent_id,
    desk_of,
    get,
    hook,
    ids,
    messages,
    record_events,
    start,
)

# -- status, snooze ------------------------------------------------------------------------


def test_status_changes_are_recorded_as_activity(admin: Client, phone: dict[str, Any]) -> None:
    conversation_id = start(admin, phone["id"])["id"]
    url = f"/api/conversations/{conversation_id}/status"
    assert admin.post(url, json={"status": "pending"}).json()["status"] == "pending"
    resolved = admin.post(url, json={"status": "resolved"})
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    assert admin.post(url, json={"status": "resolved"}).status_code == 200  # no change: no line
    admin.post(url, json={"status": "open"})
    lines = [m["body"] for m in messages(admin, conversation_id) if m["type"] == "activity"]
    assert lines == [
        "Ada Admin marked this pending",
        "Ada Admin resolved this",
        "Ada Admin reopened this",
    ]
    activity = messages(admin, conversation_id)[-1]
    assert activity["sender"] == {"type": "agent", "id": 1, "name": "Ada Admin"}


def test_each_activity_line_carries_what_happened_as_data(
    admin: Client, phone: dict[str, Any]
) -> None:
    # The English `body` for API clients; `activity` for the UI to word in any language.
    conversation_id = start(admin, phone["id"])["id"]
    url = f"/api/conversations/{conversation_id}"
    admin.post(f"{url}/status", json={"status": "resolved"})
    admin.post(f"{url}/status", json={"status": "snoozed", "snoozed_until": "2026-12-24T08:00:00Z"})
    admin.post(f"{url}/assign", json={"agent_id": 1})
    admin.post(f"{url}/assign", json={"agent_id": None})
    admin.post(f"{url}/tags", json={"tag": "billing"})
    admin.delete(f"{url}/tags/billing")
    admin.post(f"{url}/priority", json={"priority": "urgent"})
    admin.post(f"{url}/status", json={"status": "resolved"})
    admin.post(f"{url}/messages", json={"body": "Back to you.", "type": "outgoing"})
    found = [m["activity"] for m in messages(admin, conversation_id) if m["type"] == "activity"]
    assert found == [
        {"kind": "status_resolved", "params": {}},
        {"kind": "snoozed", "params": {"until": "2026-12-24T08:00:00Z"}},
        {"kind": "assigned", "params": {"agent": "Ada Admin"}},
        {"kind": "unassigned", "params": {"agent": "Ada Admin"}},
        {"kind": "tag_added", "params": {"tag": "billing"}},
        {"kind": "tag_removed", "params": {"tag": "billing"}},
        {"kind": "priority", "params": {"priority": "urgent"}},
        {"kind": "status_resolved", "params": {}},
        {"kind": "reopened_by_reply", "params": {}},
    ]
    others = [m for m in messages(admin, conversation_id) if m["type"] != "activity"]
    assert others and all(m["activity"] is None for m in others)


def test_a_snooze_line_says_until_when_in_the_workspace_timezone(
    admin: Client, phone: dict[str, Any]
) -> None:
    conversation_id = start(admin, phone["id"])["id"]
    url = f"/api/conversations/{conversation_id}/status"
    assert admin.post("/api/settings/workspace", json={"timezone": "Europe/Berlin"}).is_success
    admin.post(url, json={"status": "snoozed", "snoozed_until": "2026-11-30T08:00:00Z"})
    admin.post(url, json={"status": "snoozed", "snoozed_until": "2027-01-04T16:30:00Z"})
    assert admin.post("/api/settings/workspace", json={"timezone": "UTC"}).is_success
    admin.post(url, json={"status": "snoozed", "snoozed_until": "2026-12-01T23:15:00Z"})
    lines = [m["body"] for m in messages(admin, conversation_id) if m["type"] == "activity"]
    assert lines == [
        "Ada Admin snoozed this until Mon 30 Nov, 09:00 (Europe/Berlin)",
        "Ada Admin snoozed this until Mon 4 Jan 2027, 17:30 (Europe/Berlin)",  # not this year
        "Ada Admin snoozed this until Tue 1 Dec, 23:15 (UTC)",
    ]


@pytest.mark.parametrize(
    "body",
    [
        {"status": "snoozed"},
        {"status": "snoozed", "snoozed_until": None},
        {"status": "snoozed", "snoozed_until": "2026-11-29T11:00:00Z"},  # the past
        {"status": "snoozed", "snoozed_until": "2026-11-29T12:00:00Z"},  # now
        {"status": "snoozed", "snoozed_until": "tomorrow"},
        {"status": "snoozed", "snoozed_until": "2026-12-01T09:00:00"},  # no time zone
        {"status": "open", "snoozed_until": "2026-12-01T09:00:00Z"},
        {"status": "closed"},
        {"status": "open", "extra": 1},
        {},
    ],
)
def test_bad_status_changes_are_400(
    admin: Client, phone: dict[str, Any], body: dict[str, Any]
) -> None:
    conversation_id = start(admin, phone["id"])["id"]
    response = admin.post(f"/api/conversations/{conversation_id}/status", json=body)
    assert response.status_code == 400, response.text
    assert get(admin, conversation_id)["status"] == "open"


def test_snoozed_conversations_wake_up_when_their_time_comes(
    admin: Client, phone: dict[str, Any], clock: FakeClock
) -> None:
    from desk.services import snooze

    conversation_id = start(admin, phone["id"])["id"]
    snoozed = admin.post(
        f"/api/conversations/{conversation_id}/status",
        json={"status": "snoozed", "snoozed_until": "2026-11-29T14:00:00+01:00"},
    ).json()
    assert (snoozed["status"], snoozed["snoozed_until"]) == ("snoozed", "2026-11-29T13:00:00Z")
    assert admin.get("/api/conversations/counts").json()["snoozed"] == 1
    desk = desk_of(admin)
    clock.advance(minutes=59)
    assert snooze.wake_due(desk) == 0
    heard = record_events(admin)
    clock.advance(minutes=1)
    assert snooze.wake_due(desk) == 1
    woke = get(admin, conversation_id)
    assert (woke["status"], woke["snoozed_until"]) == ("open", None)
    assert messages(admin, conversation_id)[-1]["body"] == "Snooze ended: reopened"
    assert [e.kind for e in heard] == ["conversation.updated", "message.created"]
    assert snooze.wake_due(desk) == 0


def test_a_contact_writing_reopens_a_snoozed_or_resolved_conversation(
    admin: Client, api: dict[str, Any]
) -> None:
    conversation_id = hook(admin, api, "Hi", thread_id="order-1")["conversation_id"]
    url = f"/api/conversations/{conversation_id}/status"
    admin.post(url, json={"status": "snoozed", "snoozed_until": "2027-01-01T00:00:00Z"})
    assert hook(admin, api, "Hello again", thread_id="order-1")["conversation_id"] == (
        conversation_id
    )
    assert get(admin, conversation_id)["status"] == "open"
    admin.post(url, json={"status": "resolved"})
    assert hook(admin, api, "Still broken", thread_id="order-1")["conversation_id"] == (
        conversation_id
    )
    assert get(admin, conversation_id)["status"] == "open"
    reopened = [m for m in messages(admin, conversation_id) if m["body"].startswith("Reopened")]
    assert len(reopened) == 2 and reopened[0]["sender"]["type"] == "system"


def test_incoming_messages_thread_by_thread_id_else_the_contacts_open_conversation(
    admin: Client, api: dict[str, Any], clock: FakeClock
) -> None:
    one = hook(admin, api, "About order 1", thread_id="order-1")["conversation_id"]
    two = hook(admin, api, "About order 2", thread_id="order-2")["conversation_id"]
    assert one != two
    clock.advance(minutes=1)
    assert hook(admin, api, "More on 1", thread_id="order-1")["conversation_id"] == one
    # Without a thread id, the contact's latest conversation that is not resolved continues.
    assert hook(admin, api, "Just a question")["conversation_id"] == one
    for conversation_id in (one, two):
        admin.post(f"/api/conversations/{conversation_id}/status", json={"status": "resolved"})
    fresh = hook(admin, api, "New topic")["conversation_id"]
    assert fresh not in (one, two)
    assert hook(admin, api, "And another")["conversation_id"] == fresh
    other = hook(admin, api, "Hi", email="lin@example.com", name="Lin")["conversation_id"]
    assert other not in (one, two, fresh)
    assert get(admin, fresh)["subject"] == "New topic"


# -- tags, assignment, priority ------------------------------------------------------------


def test_tags_are_normalised_added_once_and_removed(admin: Client, phone: dict[str, Any]) -> None:
    conversation_id = start(admin, phone["id"])["id"]
    url = f"/api/conversations/{conversation_id}/tags"
    assert admin.post(url, json={"tag": "  Billing "}).json()["tags"] == ["billing"]
    again = admin.post(url, json={"tag": "billing"})
    assert again.status_code == 200 and again.json()["tags"] == ["billing"]
    assert admin.post(url, json={"tag": "v1.2 beta_x-y"}).json()["tags"] == [
        "billing",
        "v1.2 beta_x-y",
    ]
    removed = admin.delete(f"{url}/BILLING")
    assert removed.status_code == 200 and removed.json()["tags"] == ["v1.2 beta_x-y"]
    assert admin.delete(f"{url}/billing").status_code == 404
    lines = [m["body"] for m in messages(admin, conversation_id) if m["type"] == "activity"]
    assert lines == [
        "Ada Admin added tag billing",
        "Ada Admin added tag v1.2 beta_x-y",
        "Ada Admin removed tag billing",
    ]


@pytest.mark.parametrize("tag", ["", "   ", "x" * 51, "no/slash", "semi;colon", "#hash"])
def test_bad_tags_are_400(admin: Client, phone: dict[str, Any], tag: str) -> None:
    conversation_id = start(admin, phone["id"])["id"]
    response = admin.post(f"/api/conversations/{conversation_id}/tags", json={"tag": tag})
    assert response.status_code == 400
    assert response.json()["field"] == "tag"


def test_assign_and_unassign(admin: Client, agent: Client, phone: dict[str, Any]) -> None:
    sam = agent_id(admin)
    conversation_id = start(admin, phone["id"])["id"]
    url = f"/api/conversations/{conversation_id}/assign"
    assigned = admin.post(url, json={"agent_id": sam})
    assert assigned.status_code == 200
    assert assigned.json()["assignee"] == {"id": sam, "name": "Sam Agent"}
    assert agent.get("/api/conversations/counts").json()["mine"] == 1
    assert admin.post(url, json={"agent_id": 999}).status_code == 404
    assert admin.post(url, json={"agent_id": 10**30}).status_code == 400
    assert admin.post(url, json={}).status_code == 400
    assert admin.post(url, json={"agent_id": "sam"}).status_code == 400
    unassigned = agent.post(url, json={"agent_id": None})
    assert unassigned.json()["assignee"] is None
    lines = [m["body"] for m in messages(admin, conversation_id) if m["type"] == "activity"]
    assert lines == ["Ada Admin assigned this to Sam Agent", "Sam Agent unassigned Sam Agent"]


def test_priority(admin: Client, phone: dict[str, Any]) -> None:
    conversation_id = start(admin, phone["id"])["id"]
    url = f"/api/conversations/{conversation_id}/priority"
    changed = admin.post(url, json={"priority": "urgent"})
    assert changed.status_code == 200 and changed.json()["priority"] == "urgent"
    assert admin.post(url, json={"priority": "asap"}).status_code == 400
    assert messages(admin, conversation_id)[-1]["body"] == "Ada Admin set the priority to urgent"
    assert ids(admin, priority="urgent") == [conversation_id]
