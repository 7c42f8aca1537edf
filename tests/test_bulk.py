"""POST /api/conversations/bulk: one action on many conversations, a result per id."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar

from desk.services import automation_engine
from tests.conftest import FakeClock, assert_error, new_client
from tests.inbox_helpers import Client, agent_id, desk_of, get, messages, record_events, start

BULK = "/api/conversations/bulk"
MISSING = 987_654
LOW = {"type": "set_priority", "priority": "low"}
SNOOZE = {"type": "set_status", "status": "snoozed"}
PAST = "2020-01-01T00:00:00Z"
FUTURE = "2099-01-01T00:00:00Z"
RESOLVE = {"type": "set_status", "status": "resolved"}


def three(admin: Client, phone: dict[str, Any], **fields: Any) -> list[int]:
    return [start(admin, phone["id"], subject=f"Order {n}", **fields)["id"] for n in range(3)]


def bulk(client: Client, ids: list[int], **action: Any) -> list[dict[str, Any]]:
    response = client.post(BULK, json={"ids": ids, "action": action})
    assert response.status_code == 200, response.text
    return list(response.json()["results"])


def activity(client: Client, conversation_id: int) -> list[str]:
    return [m["body"] for m in messages(client, conversation_id) if m["type"] == "activity"]


def snapshot(client: Client, conversation_ids: list[int]) -> list[tuple[Any, ...]]:
    """What a bulk action could change, and the activity lines: read back after a refusal."""
    return [
        (c["status"], c["snoozed_until"], c["assignee"], c["priority"], c["tags"], lines)
        for c, lines in ((get(client, i), activity(client, i)) for i in conversation_ids)
    ]


# -- what it does --------------------------------------------------------------------------


def test_a_missing_id_among_good_ones_fails_alone(admin: Client, phone: dict[str, Any]) -> None:
    first, second, third = three(admin, phone)
    heard = record_events(admin)
    results = bulk(admin, [first, MISSING, second, third], type="set_status", status="resolved")
    assert results == [
        {"id": first, "ok": True},
        {"id": MISSING, "ok": False, "status": 404, "error": f"Conversation {MISSING} not found."},
        {"id": second, "ok": True},
        {"id": third, "ok": True},
    ]
    for conversation_id in (first, second, third):
        assert get(admin, conversation_id)["status"] == "resolved"
        assert activity(admin, conversation_id) == ["Ada Admin resolved this"]
    updated = [e.data.id for e in heard if e.kind == "conversation.updated"]
    assert updated == [first, second, third]
    created = [e.data.body for e in heard if e.kind == "message.created"]
    assert created == ["Ada Admin resolved this"] * 3
    assert all(e.private for e in heard if e.kind == "message.created")


def test_what_is_already_so_records_nothing(admin: Client, phone: dict[str, Any]) -> None:
    first, second, _ = three(admin, phone)
    bulk(admin, [first], type="set_status", status="resolved")
    heard = record_events(admin)
    results = bulk(admin, [first, second], type="set_status", status="resolved")
    assert results == [{"id": first, "ok": True}, {"id": second, "ok": True}]
    assert activity(admin, first) == ["Ada Admin resolved this"]  # once, from the first call
    assert [e.data.id for e in heard if e.kind == "conversation.updated"] == [second]


def test_snooze_assign_priority_and_tags(
    admin: Client, agent: Client, phone: dict[str, Any], clock: FakeClock
) -> None:
    conversation_ids = three(admin, phone)
    sam = agent_id(admin)
    until = "2099-01-05T09:00:00+01:00"
    assert all(
        r["ok"]
        for r in bulk(
            admin, conversation_ids, type="set_status", status="snoozed", snoozed_until=until
        )
    )
    assert all(r["ok"] for r in bulk(admin, conversation_ids, type="assign", agent_id=sam))
    assert all(
        r["ok"] for r in bulk(admin, conversation_ids, type="set_priority", priority="urgent")
    )
    assert all(r["ok"] for r in bulk(admin, conversation_ids, type="add_tag", tag=" Billing "))
    for conversation_id in conversation_ids:
        found = get(admin, conversation_id)
        assert (found["status"], found["snoozed_until"]) == ("snoozed", "2099-01-05T08:00:00Z")
        assert found["assignee"] == {"id": sam, "name": "Sam Agent"}
        assert (found["priority"], found["tags"]) == ("urgent", ["billing"])
        assert activity(admin, conversation_id)[1:] == [
            "Ada Admin assigned this to Sam Agent",
            "Ada Admin set the priority to urgent",
            "Ada Admin added tag billing",
        ]
    # The undo of an assignment: back to nobody.
    assert all(r["ok"] for r in bulk(admin, conversation_ids, type="assign", agent_id=None))
    assert all(get(admin, i)["assignee"] is None for i in conversation_ids)
    assert activity(admin, conversation_ids[0])[-1] == "Ada Admin unassigned Sam Agent"


def test_removing_a_tag_one_lacks_fails_for_that_one_only(
    admin: Client, phone: dict[str, Any]
) -> None:
    tagged, untagged, also_tagged = three(admin, phone)
    bulk(admin, [tagged, also_tagged], type="add_tag", tag="vip")
    results = bulk(admin, [tagged, untagged, also_tagged], type="remove_tag", tag="VIP")
    assert [r["ok"] for r in results] == [True, False, True]
    assert results[1] == {
        "id": untagged, "ok": False, "status": 404, "error": "This conversation has no tag 'vip'.",
    }  # fmt: skip
    assert [get(admin, i)["tags"] for i in (tagged, untagged, also_tagged)] == [[], [], []]
    assert activity(admin, untagged) == []


def test_a_plain_agent_may_act_in_bulk_and_a_stranger_may_not(
    app: Litestar, admin: Client, agent: Client, phone: dict[str, Any]
) -> None:
    conversation_ids = three(admin, phone)
    assert all(r["ok"] for r in bulk(agent, conversation_ids, type="set_priority", priority="high"))
    assert activity(admin, conversation_ids[0]) == ["Sam Agent set the priority to high"]
    before = snapshot(admin, conversation_ids)
    anonymous = new_client(app)  # not entered: only the primary client runs the lifespan
    action = {"type": "set_priority", "priority": "low"}
    assert_error(anonymous.post(BULK, json={"ids": conversation_ids, "action": action}), 401)
    assert snapshot(admin, conversation_ids) == before


def test_a_hundred_ids_are_taken(admin: Client, phone: dict[str, Any]) -> None:
    conversation_ids = three(admin, phone)
    padding = [MISSING + n for n in range(97)]
    results = bulk(admin, conversation_ids + padding, type="set_priority", priority="low")
    assert len(results) == 100
    assert [r["id"] for r in results] == conversation_ids + padding
    assert sum(r["ok"] for r in results) == 3


def test_bulk_changes_run_automations(admin: Client, phone: dict[str, Any]) -> None:
    desk = desk_of(admin)
    automation_engine.engine(desk)
    rule = {
        "name": "Review",
        "event": "status_changed",
        "conditions": [{"field": "status", "operator": "equals", "value": "resolved"}],
        "actions": [{"type": "add_note", "value": "Resolved: ask for a review"}],
    }
    assert admin.post("/api/automations", json=rule).status_code == 201
    conversation_ids = three(admin, phone)
    automation_engine.run_pending(desk)
    bulk(admin, conversation_ids, type="set_status", status="resolved")
    automation_engine.run_pending(desk)
    for conversation_id in conversation_ids:
        notes = [m["body"] for m in messages(admin, conversation_id) if m["type"] == "note"]
        assert notes == ["Resolved: ask for a review"]


# -- what it refuses -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"ids": [], "action": LOW}, "ids"),
        ({"ids": list(range(1, 102)), "action": LOW}, "ids"),
        ({"ids": "1,2", "action": LOW}, "ids"),
        ({"ids": ["one"], "action": LOW}, "ids"),
        ({"ids": [0], "action": LOW}, "ids"),
        ({"ids": [1.5], "action": LOW}, "ids"),
        ({"ids": [1, 1], "action": LOW}, "ids"),
        ({"ids": [1], "action": LOW, "dry": True}, "dry"),
        ({"ids": [1]}, "action"),
        ({"ids": [1], "action": "resolve"}, "action"),
        ({"ids": [1], "action": {"type": "delete"}}, "action.type"),
        ({"ids": [1], "action": {"status": "resolved"}}, "action.type"),
        ({"ids": [1], "action": {**LOW, "priority": "asap"}}, "action.priority"),
        ({"ids": [1], "action": {**LOW, "x": 1}}, "action.x"),
        ({"ids": [1], "action": {**RESOLVE, "status": "closed"}}, "action.status"),
        ({"ids": [1], "action": SNOOZE}, "action.snoozed_until"),
        ({"ids": [1], "action": {**SNOOZE, "snoozed_until": PAST}}, "action.snoozed_until"),
        ({"ids": [1], "action": {**RESOLVE, "snoozed_until": FUTURE}}, "action.snoozed_until"),
        ({"ids": [1], "action": {"type": "assign"}}, "action.agent_id"),
        ({"ids": [1], "action": {"type": "assign", "agent_id": "sam"}}, "action.agent_id"),
        ({"ids": [1], "action": {"type": "assign", "agent_id": 999}}, "action.agent_id"),
        ({"ids": [1], "action": {"type": "add_tag", "tag": "no/slash"}}, "action.tag"),
        ({"ids": [1], "action": {"type": "add_tag", "tag": 5}}, "action.tag"),
        ({"ids": [1], "action": {"type": "remove_tag", "tag": ""}}, "action.tag"),
    ],
)  # fmt: skip
def test_a_refused_request_changes_nothing(
    admin: Client, phone: dict[str, Any], body: dict[str, Any], field: str
) -> None:
    conversation_ids = three(admin, phone, tags=["vip"])
    before = snapshot(admin, conversation_ids)
    assert_error(admin.post(BULK, json=body), 400, field)
    assert snapshot(admin, conversation_ids) == before


@pytest.mark.parametrize("raw", [b"", b"[1,2]", b"{", b"null"])
def test_a_body_that_is_not_an_object_is_refused(
    admin: Client, phone: dict[str, Any], raw: bytes
) -> None:
    conversation_ids = three(admin, phone)
    before = snapshot(admin, conversation_ids)
    response = admin.post(BULK, content=raw, headers={"Content-Type": "application/json"})
    assert_error(response, 400)
    assert snapshot(admin, conversation_ids) == before
