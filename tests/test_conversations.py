"""Conversations through the API: create, list with filters and sorts, open, change, count."""

from __future__ import annotations

from typing import Any

import pytest

from desk.models.conversations import Filters
from tests.conftest import FakeClock, assert_error
from tests.inbox_helpers import (
    Client,
    agent_id,
    desk_of,
    get,
    hook,
    ids,
    listing,
    messages,
    record_events,
    start,
)

# -- creating ------------------------------------------------------------------------------


def test_create_answers_the_conversation_with_its_contact_channel_and_first_message(
    admin: Client, phone: dict[str, Any]
) -> None:
    created = start(
        admin,
        phone["id"],
        subject="  Refund for order 1042 ",
        message="My order never arrived",
        priority="high",
        tags=[" Billing", "refund", "billing"],
    )
    assert created["subject"] == "Refund for order 1042"
    assert (created["status"], created["priority"]) == ("open", "high")
    assert (created["channel_type"], created["channel_name"]) == ("phone", "Front desk")
    assert created["contact"]["name"] == "Grace Hopper"
    assert created["tags"] == ["billing", "refund"]
    assert created["assignee"] is None
    assert created["last_message"]["preview"] == "My order never arrived"
    assert created["last_message"]["type"] == "incoming"
    assert created["created_at"].endswith("Z")
    # What an agent logs for a contact is not unread for the team.
    assert created["unread_count"] == 0
    [first] = messages(admin, created["id"])
    assert first["sender"]["type"] == "contact" and first["delivery"]["status"] is None


def test_an_inline_contact_is_reused_by_email_whatever_its_case(
    admin: Client, phone: dict[str, Any]
) -> None:
    first = start(admin, phone["id"])
    second = start(admin, phone["id"], contact={"name": "G", "email": "GRACE@example.com"})
    third = start(admin, phone["id"], contact_id=first["contact"]["id"])
    assert first["contact"]["id"] == second["contact"]["id"] == third["contact"]["id"]


def test_an_agent_can_start_a_thread_with_an_outgoing_message(
    admin: Client, api: dict[str, Any]
) -> None:
    created = start(admin, api["id"], message="Your parcel shipped", message_type="outgoing")
    [first] = messages(admin, created["id"])
    assert first["type"] == "outgoing" and first["sender"]["name"] == "Ada Admin"
    assert first["delivery"] == {
        "status": "queued",
        "error": None,
        "dismissed_at": None,
    }  # no worker runs here


def test_create_with_an_assignee(admin: Client, agent: Client, phone: dict[str, Any]) -> None:
    sam = agent_id(admin)
    created = start(admin, phone["id"], assignee_id=sam)
    assert created["assignee"] == {"id": sam, "name": "Sam Agent"}


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"channel_id": 999, "contact": {"email": "x@example.com"}}, 404, None),
        ({"channel_id": "CHANNEL", "contact_id": 999}, 404, None),
        ({"channel_id": "CHANNEL", "contact": {"email": "x@y.z"}, "assignee_id": 999}, 404, None),
        ({"channel_id": "CHANNEL"}, 400, "contact"),
        ({"channel_id": "CHANNEL", "contact": {}}, 400, "contact"),
        ({"channel_id": "CHANNEL", "contact": {"email": "a@b.c"}, "contact_id": 1}, 400, "contact"),
        ({"channel_id": "CHANNEL", "contact": {"email": "a@b.c"}, "subject": "s" * 201}, 400, None),
        ({"channel_id": "CHANNEL", "contact": {"email": "a@b.c"}, "tags": ["no/slash"]}, 400, None),
        ({"channel_id": "CHANNEL", "contact": {"email": "a@b.c"}, "priority": "asap"}, 400, None),
        (
            {"channel_id": "CHANNEL", "contact": {"email": "a@b.c"}, "message_type": "note"},
            400,
            None,
        ),
        ({"channel_id": "CHANNEL", "contact": {"email": "a@b.c"}, "colour": "red"}, 400, None),
        ({"contact": {"email": "a@b.c"}}, 400, "channel_id"),
        ({"channel_id": 10**30, "contact": {"email": "a@b.c"}}, 400, "channel_id"),
    ],
)
def test_create_refuses_what_it_cannot_use(
    admin: Client, phone: dict[str, Any], body: dict[str, Any], status: int, field: str | None
) -> None:
    if body.get("channel_id") == "CHANNEL":
        body = {**body, "channel_id": phone["id"]}
    assert_error(admin.post("/api/conversations", json=body), status, field)
    assert listing(admin, status="all")["total"] == 0
    assert admin.get("/api/contacts").json()["total"] == 0  # no contact made on the way


def test_every_route_needs_a_session(client: Client) -> None:
    for method, url in [
        ("GET", "/api/conversations"),
        ("GET", "/api/conversations/counts"),
        ("GET", "/api/conversations/1"),
        ("POST", "/api/conversations"),
        ("POST", "/api/conversations/1/status"),
        ("POST", "/api/conversations/1/tags"),
        ("DELETE", "/api/conversations/1/tags/x"),
        ("POST", "/api/conversations/1/assign"),
        ("POST", "/api/conversations/1/priority"),
        ("GET", "/api/tags"),
    ]:
        assert client.request(method, url, json={}).status_code == 401, url


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", ""),
        ("POST", "/status"),
        ("POST", "/tags"),
        ("DELETE", "/tags/billing"),
        ("POST", "/assign"),
        ("POST", "/priority"),
    ],
)
def test_an_unknown_conversation_is_404_before_the_body_is_read(
    admin: Client, method: str, path: str
) -> None:
    response = admin.request(method, f"/api/conversations/12345{path}", json={"bogus": 1})
    assert response.status_code == 404
    assert "12345" in response.json()["error"]
    huge = "9" * 25  # too large for SQLite: still simply unknown
    assert admin.request(method, f"/api/conversations/{huge}{path}", json={}).status_code == 404


# -- listing -------------------------------------------------------------------------------


def test_the_default_list_hides_resolved_and_shows_newest_activity_first(
    admin: Client, phone: dict[str, Any], clock: FakeClock
) -> None:
    first = start(admin, phone["id"], subject="first")
    clock.advance(minutes=1)
    second = start(admin, phone["id"], subject="second")
    clock.advance(minutes=1)
    done = start(admin, phone["id"], subject="done")
    admin.post(f"/api/conversations/{done['id']}/status", json={"status": "resolved"})
    clock.advance(minutes=1)
    admin.post(f"/api/conversations/{first['id']}/messages", json={"body": "bump", "type": "note"})
    page = listing(admin)
    assert [c["id"] for c in page["items"]] == [first["id"], second["id"]]
    assert (page["page"], page["per_page"], page["total"]) == (1, 25, 2)
    assert ids(admin, status="resolved") == [done["id"]]
    assert set(ids(admin, status="all")) == {first["id"], second["id"], done["id"]}


def test_sorts(admin: Client, phone: dict[str, Any], clock: FakeClock) -> None:
    low = start(admin, phone["id"], priority="low")
    clock.advance(minutes=1)
    urgent = start(admin, phone["id"], priority="urgent")
    clock.advance(minutes=1)
    normal = start(admin, phone["id"])
    clock.advance(minutes=1)
    admin.post(f"/api/conversations/{low['id']}/messages", json={"body": "x", "type": "note"})
    assert ids(admin) == [low["id"], normal["id"], urgent["id"]]
    assert ids(admin, sort="created_asc") == [low["id"], urgent["id"], normal["id"]]
    assert ids(admin, sort="created_desc") == [normal["id"], urgent["id"], low["id"]]
    assert ids(admin, sort="priority_desc") == [urgent["id"], normal["id"], low["id"]]


def test_pagination_and_a_page_past_the_end(admin: Client, phone: dict[str, Any]) -> None:
    made = [start(admin, phone["id"])["id"] for _ in range(5)]
    first = listing(admin, per_page=2)
    second = listing(admin, per_page=2, page=2)
    third = listing(admin, per_page=2, page=3)
    assert first["total"] == second["total"] == 5
    seen = [c["id"] for page in (first, second, third) for c in page["items"]]
    assert sorted(seen) == sorted(made) and len(third["items"]) == 1
    assert listing(admin, per_page=2, page=9)["items"] == []


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("status", "closed"),
        ("channel_type", "fax"),
        ("priority", "asap"),
        ("sort", "random"),
        ("assignee", "someone"),
        ("assignee", "0"),
        ("channel_id", "abc"),
        ("channel_id", "9" * 25),  # beyond SQLite's integers: no such channel, never a 500
        ("contact_id", "0"),
        ("assignee", "²"),
        ("assignee", "9" * 25),
        ("contact_id", "x"),
        ("tag", "no/slash"),
        ("page", "0"),
        ("per_page", "101"),
    ],
)
def test_an_unknown_filter_value_is_400_naming_the_parameter(
    admin: Client, param: str, value: str
) -> None:
    response = admin.get("/api/conversations", params={param: value})
    assert response.status_code == 400, response.text
    assert param in response.json()["error"]


def test_filters_combine(
    admin: Client, agent: Client, phone: dict[str, Any], api: dict[str, Any]
) -> None:
    sam = agent_id(admin)
    a = start(admin, phone["id"], tags=["billing"], priority="high", assignee_id=sam)
    b = start(admin, phone["id"], tags=["billing"], contact={"email": "lin@example.com"})
    c = start(admin, api["id"], tags=["billing", "vip"], priority="high", assignee_id=sam)
    d = start(agent, api["id"], contact={"name": "Mo", "email": "mo@example.com"})
    admin.post(f"/api/conversations/{c['id']}/status", json={"status": "pending"})
    cases: list[tuple[dict[str, Any], list[int]]] = [
        ({"tag": "billing"}, [a["id"], b["id"], c["id"]]),
        ({"tag": " BILLING "}, [a["id"], b["id"], c["id"]]),
        ({"tag": "billing", "channel_type": "api"}, [c["id"]]),
        ({"tag": "billing", "priority": "high"}, [a["id"], c["id"]]),
        ({"tag": "billing", "status": "pending"}, [c["id"]]),
        ({"channel_id": api["id"]}, [c["id"], d["id"]]),
        ({"channel_id": api["id"], "assignee": "unassigned"}, [d["id"]]),
        ({"assignee": str(sam), "channel_type": "phone"}, [a["id"]]),
        ({"contact_id": b["contact"]["id"]}, [b["id"]]),
        ({"contact_id": a["contact"]["id"], "tag": "vip"}, [c["id"]]),
        ({"tag": "nothing"}, []),
        ({"channel_type": "email"}, []),
    ]
    for params, expected in cases:
        page = listing(admin, **{"status": "all", **params})
        assert sorted(item["id"] for item in page["items"]) == sorted(expected), params
        assert page["total"] == len(expected), params
    mine = [item["id"] for item in listing(agent, assignee="me")["items"]]
    assert sorted(mine) == sorted([a["id"], c["id"]])
    assert listing(admin, assignee="me")["items"] == []


# -- opening and unread --------------------------------------------------------------------


def test_messages_through_a_channel_are_unread_until_someone_opens_the_conversation(
    admin: Client, agent: Client, api: dict[str, Any]
) -> None:
    received = hook(admin, api, "Hello?")
    hook(admin, api, "Anyone there?")
    conversation_id = received["conversation_id"]
    summary = next(c for c in listing(agent)["items"] if c["id"] == conversation_id)
    assert summary["unread_count"] == 2
    assert admin.get("/api/conversations/counts").json()["unread"] == 1
    heard = record_events(admin)
    assert get(agent, conversation_id)["unread_count"] == 0
    assert listing(admin)["items"][0]["unread_count"] == 0  # shared by the team
    assert [e.kind for e in heard] == ["conversation.updated"]
    assert heard[0].data.unread_count == 0
    get(agent, conversation_id)
    assert len(heard) == 1  # already read: nothing changed, nothing published


# -- counts and tags in use ----------------------------------------------------------------


def test_counts(admin: Client, agent: Client, phone: dict[str, Any], api: dict[str, Any]) -> None:
    sam = agent_id(admin)
    start(admin, phone["id"], assignee_id=sam)
    pending = start(admin, phone["id"], assignee_id=sam)
    admin.post(f"/api/conversations/{pending['id']}/status", json={"status": "pending"})
    resolved = start(admin, phone["id"], assignee_id=sam)
    admin.post(f"/api/conversations/{resolved['id']}/status", json={"status": "resolved"})
    hook(admin, api, "Help")
    assert agent.get("/api/conversations/counts").json() == {
        "mine": 2,
        "unassigned": 1,
        "open": 3,
        "open_only": 2,
        "pending": 1,
        "snoozed": 0,
        "resolved": 1,
        "unread": 1,
        "failed": 0,
        "views": {},
    }
    assert admin.get("/api/conversations/counts").json()["mine"] == 0


def test_tags_in_use_most_used_first_with_a_prefix_search(
    admin: Client, phone: dict[str, Any]
) -> None:
    start(admin, phone["id"], tags=["billing", "bug"])
    start(admin, phone["id"], tags=["billing", "vip"])
    start(admin, phone["id"], tags=["billing", "bug", "refund"])
    page = admin.get("/api/tags").json()
    assert page["items"] == [
        {"tag": "billing", "conversations": 3},
        {"tag": "bug", "conversations": 2},
        {"tag": "refund", "conversations": 1},
        {"tag": "vip", "conversations": 1},
    ]
    assert page["total"] == 4
    found = admin.get("/api/tags", params={"search": "B"}).json()
    assert [t["tag"] for t in found["items"]] == ["billing", "bug"]
    assert admin.get("/api/tags", params={"search": "bu"}).json()["total"] == 1
    assert admin.get("/api/tags", params={"per_page": 1, "page": 2}).json()["items"] == [
        {"tag": "bug", "conversations": 2}
    ]
    assert admin.get("/api/tags", params={"per_page": 0}).status_code == 400
    assert admin.get("/api/tags", params={"page": 10**20}).json()["items"] == []


# -- query plans ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({}, "conversations_status_activity"),
        ({"statuses": ("open",)}, "conversations_status_activity"),
        ({"tag": "billing"}, "conversations_status_activity"),
        ({"assignee_id": 1}, "conversations_assignee"),
        ({"unassigned": True}, "conversations_assignee"),
        ({"sort": "created_desc"}, "conversations_status_created"),
        ({"sort": "created_asc"}, "conversations_status_created"),
        ({"sort": "priority_desc"}, "conversations_status_priority"),
        ({"match": '"refund"*'}, "INTEGER PRIMARY KEY"),  # a selective search
        ({"contact_id": 1}, "conversations_contact"),
        ({"channel_id": 1}, "conversations_channel"),
        ({"statuses": None}, "conversations_activity"),
        ({"statuses": None, "tag": "billing"}, "conversations_activity"),
        ({"priority": "urgent"}, "conversations_status_priority"),
        ({"statuses": ("open",), "sort": "waiting_longest"}, "conversations_status_waiting"),
    ],
)
def test_the_inbox_list_walks_an_index_never_the_table(
    admin: Client, phone: dict[str, Any], filters: dict[str, Any], index: str
) -> None:
    from desk.store import inbox

    start(admin, phone["id"], tags=["billing"])
    with desk_of(admin).db.read() as conn:
        plan = inbox.explain_list(conn, Filters(**filters))
        count_plan = inbox.explain_count(conn, Filters(**filters))
    assert index in plan[0], plan
    for steps in (plan, count_plan):
        assert not any(s.startswith("SCAN c") and "INDEX" not in s for s in steps), steps
    if "tag" in filters:  # the total starts from the tag's own index
        assert "conversation_tags_tag" in count_plan[0], count_plan


def test_tag_and_search_totals_follow_every_status_change(
    admin: Client, phone: dict[str, Any]
) -> None:
    """Totals under a tag count the tag's rows by the status they copy from their conversation;
    under a search, the matches in the index of unresolved conversations. Both follow every
    status change: open, pending and snoozed count in the default view, resolved does not."""
    from desk.store import inbox

    made = [start(admin, phone["id"], tags=["billing"], message="heliotrope") for _ in range(5)]
    start(admin, phone["id"], tags=["vip"], message="heliotrope")
    urls = [f"/api/conversations/{c['id']}/status" for c in made]
    admin.post(urls[0], json={"status": "pending"})
    admin.post(urls[1], json={"status": "snoozed", "snoozed_until": "2027-01-04T16:30:00Z"})
    admin.post(urls[2], json={"status": "resolved"})
    admin.post(urls[3], json={"status": "resolved"})

    def totals() -> tuple[int, int, int]:
        return (
            listing(admin, tag="billing")["total"],
            listing(admin, search="heliotrope")["total"],
            listing(admin, tag="billing", search="heliotrope")["total"],
        )

    assert totals() == (3, 4, 3)
    admin.post(urls[2], json={"status": "open"})
    assert totals() == (4, 5, 4)
    assert listing(admin, tag="billing", status="resolved")["total"] == 1
    with desk_of(admin).db.read() as conn:
        tag_plan = inbox.explain_count(conn, Filters(tag="billing"))
        search_plan = inbox.explain_count(conn, Filters(match='"heliotrope"'))
    assert tag_plan == [
        "SEARCH t USING COVERING INDEX conversation_tags_tag_status (tag=? AND status=?)"
    ]
    assert any("conversations_unresolved" in step for step in search_plan), search_plan


def test_create_takes_a_null_subject_as_none(admin: Client, phone: dict[str, Any]) -> None:
    response = admin.post(
        "/api/conversations",
        json={"channel_id": phone["id"], "contact": {"name": "Grace"}, "subject": None},
    )
    assert response.status_code == 201, response.text
    assert response.json()["subject"] == ""
