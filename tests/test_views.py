"""Saved views through the API: create, list, change, delete, order; who sees and changes
what; `?view=` on the list; the counts per view; and that every refusal changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import assert_error
from tests.inbox_helpers import Client, agent_id, ids, record_events, start


def create(client: Client, name: str = "Urgent billing", **fields: Any) -> dict[str, Any]:
    body = {"name": name, "filters": {"tag": "billing", "priority": "urgent"}, **fields}
    response = client.post("/api/views", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def views(client: Client) -> list[dict[str, Any]]:
    response = client.get("/api/views", params={"per_page": 100})
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def names(client: Client) -> list[str]:
    return [view["name"] for view in views(client)]


def view_counts(client: Client) -> dict[str, int]:
    response = client.get("/api/conversations/counts")
    assert response.status_code == 200, response.text
    return dict(response.json()["views"])


# -- creating and reading ----------------------------------------------------------------------


def test_create_answers_the_view_with_cleaned_filters(admin: Client) -> None:
    view = create(
        admin,
        name="  Urgent billing ",
        filters={
            "tag": " Billing",
            "priority": "urgent",
            "search": "  refund ",
            "sort": "last_activity_desc",
            "assignee": 5,
            "status": "all",
            "failed": False,
            "channel_type": "email",
        },
    )
    assert view["name"] == "Urgent billing"
    assert view["filters"] == {
        "tag": "billing",
        "priority": "urgent",
        "search": "refund",
        "assignee": "5",
        "status": "all",
        "failed": False,
        "channel_type": "email",
    }  # the default sort is no filter
    assert view["shared"] is False
    assert view["owner"]["name"] == "Ada Admin" and view["owner"]["id"] > 0
    assert view["created_at"].endswith("Z") and view["updated_at"] == view["created_at"]
    assert admin.get(f"/api/views/{view['id']}").json() == view
    assert views(admin) == [view]


def test_a_view_without_filters_is_the_default_list(admin: Client, phone: dict[str, Any]) -> None:
    view = create(admin, name="Everything open", filters={})
    assert view["filters"] == {}
    first = start(admin, phone["id"])
    assert ids(admin, view=view["id"]) == [first["id"]]


def test_private_views_are_their_owners_alone(admin: Client, agent: Client) -> None:
    mine = create(agent, name="Mine only")
    team = create(agent, name="For the team", shared=True)
    assert names(agent) == ["Mine only", "For the team"]
    assert names(admin) == ["For the team"]
    # To anyone else a private view does not exist, whatever they try.
    assert_error(admin.get(f"/api/views/{mine['id']}"), 404)
    assert_error(admin.patch(f"/api/views/{mine['id']}", json={"name": "Mine now"}), 404)
    assert_error(admin.delete(f"/api/views/{mine['id']}"), 404)
    assert_error(admin.get("/api/conversations", params={"view": mine["id"]}), 404, "view")
    assert_error(admin.post("/api/views/order", json={"ids": [mine["id"]]}), 404, "ids")
    assert str(mine["id"]) not in view_counts(admin)
    assert set(view_counts(agent)) == {str(mine["id"]), str(team["id"])}
    # ... and nothing changed.
    assert agent.get(f"/api/views/{mine['id']}").json() == mine
    # Its name does not clash with another agent's view either.
    create(admin, name="Mine only")


def test_shared_views_are_changed_by_their_owner_or_an_admin(
    admin: Client, agent: Client, app: Any
) -> None:
    by_admin = create(admin, name="Team queue", shared=True)
    response = agent.patch(f"/api/views/{by_admin['id']}", json={"name": "Sam's queue"})
    assert_error(response, 403, code="view_not_yours")
    assert_error(agent.delete(f"/api/views/{by_admin['id']}"), 403, code="view_not_yours")
    assert agent.get(f"/api/views/{by_admin['id']}").json() == by_admin  # unchanged
    by_sam = create(agent, name="Sam's shared", shared=True)
    changed = admin.patch(f"/api/views/{by_sam['id']}", json={"name": "Renamed by Ada"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["owner"] == by_sam["owner"]  # the owner stays
    deleted = admin.delete(f"/api/views/{by_sam['id']}")
    assert deleted.json() == {"deleted": True, "id": by_sam["id"]}
    assert names(agent) == ["Team queue"]


def test_update_changes_only_what_is_given(admin: Client, clock: Any) -> None:
    view = create(admin)
    clock.advance(minutes=5)
    response = admin.patch(f"/api/views/{view['id']}", json={"name": "Billing fires"})
    assert response.status_code == 200, response.text
    renamed = response.json()
    assert renamed["name"] == "Billing fires" and renamed["filters"] == view["filters"]
    assert renamed["updated_at"] > view["updated_at"]
    assert renamed["created_at"] == view["created_at"]
    shared = admin.patch(
        f"/api/views/{view['id']}", json={"shared": True, "filters": {"status": "pending"}}
    ).json()
    assert shared["shared"] is True and shared["filters"] == {"status": "pending"}
    assert shared["name"] == "Billing fires"


def test_delete_removes_it_and_its_count(admin: Client) -> None:
    view = create(admin)
    assert str(view["id"]) in view_counts(admin)
    response = admin.delete(f"/api/views/{view['id']}")
    assert response.status_code == 200 and response.json() == {"deleted": True, "id": view["id"]}
    assert views(admin) == []
    assert view_counts(admin) == {}
    assert_error(admin.get(f"/api/views/{view['id']}"), 404)
    assert_error(admin.delete(f"/api/views/{view['id']}"), 404)


# -- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"name": ""}, "name", "invalid_view_name"),
        ({"name": "   "}, "name", "invalid_view_name"),
        ({"name": "n" * 81}, "name", "invalid_view_name"),
        ({"filters": {"colour": "red"}}, "filters.colour", "unknown_filter"),
        ({"filters": {"view": 1}}, "filters.view", "unknown_filter"),
        ({"filters": {"page": 2}}, "filters.page", "unknown_filter"),
        ({"filters": {"status": "closed"}}, "filters.status", "invalid_filter"),
        ({"filters": {"channel_type": "fax"}}, "filters.channel_type", "invalid_filter"),
        ({"filters": {"priority": "meh"}}, "filters.priority", "invalid_filter"),
        ({"filters": {"sort": "random"}}, "filters.sort", "invalid_filter"),
        ({"filters": {"channel_id": "3"}}, "filters.channel_id", "invalid_filter"),
        ({"filters": {"channel_id": 0}}, "filters.channel_id", "invalid_filter"),
        ({"filters": {"contact_id": 2**63}}, "filters.contact_id", "invalid_filter"),
        ({"filters": {"failed": "yes"}}, "filters.failed", "invalid_filter"),
        ({"filters": {"assignee": "bob"}}, "filters.assignee", "invalid_filter"),
        ({"filters": {"assignee": True}}, "filters.assignee", "invalid_filter"),
        ({"filters": {"tag": "no/slash"}}, "filters.tag", "invalid_filter"),
        ({"filters": {"tag": ""}}, "filters.tag", "invalid_filter"),
        ({"filters": {"search": "s" * 201}}, "filters.search", "invalid_filter"),
        ({"filters": {"tag": ["a"]}}, "filters.tag", "invalid_filter"),
    ],
)
def test_bad_views_are_refused_with_a_code_and_nothing_is_written(
    admin: Client, body: dict[str, Any], field: str, code: str
) -> None:
    kept = create(admin, name="Kept")
    payload = {"name": "New view", **body}
    assert_error(admin.post("/api/views", json=payload), 400, field, code)
    assert_error(admin.patch(f"/api/views/{kept['id']}", json=body), 400, field, code)
    assert views(admin) == [kept]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": 5}, "name"),
        ({"shared": "yes"}, "shared"),
        ({"filters": ["tag"]}, "filters"),
        ({"owner": {"id": 1}}, "owner"),
        ({"position": 1}, "position"),
    ],
)
def test_wrong_types_and_unknown_fields_are_refused(
    admin: Client, body: dict[str, Any], field: str
) -> None:
    kept = create(admin, name="Kept")
    assert_error(admin.post("/api/views", json={"name": "New", **body}), 400, field)
    assert_error(admin.patch(f"/api/views/{kept['id']}", json=body), 400, field)
    assert views(admin) == [kept]


def test_a_name_must_be_new_among_the_views_one_sees(admin: Client, agent: Client) -> None:
    create(admin, name="Billing", shared=True)
    mine = create(admin, name="Mine")
    response = admin.post("/api/views", json={"name": "billing", "filters": {}})
    assert_error(response, 409, code="view_name_taken")
    assert_error(agent.post("/api/views", json={"name": "BILLING"}), 409, code="view_name_taken")
    response = admin.patch(f"/api/views/{mine['id']}", json={"name": " Billing "})
    assert_error(response, 409, code="view_name_taken")
    assert names(admin) == ["Billing", "Mine"]
    # Renaming a view to its own name (in another case) is fine.
    assert admin.patch(f"/api/views/{mine['id']}", json={"name": "MINE"}).status_code == 200


def test_unknown_ids_and_malformed_ids(admin: Client) -> None:
    assert_error(admin.get("/api/views/999"), 404)
    assert_error(admin.patch("/api/views/999", json={"name": "x"}), 404)
    assert_error(admin.delete("/api/views/999"), 404)
    assert_error(admin.get("/api/conversations", params={"view": 999}), 404, "view")
    assert_error(admin.get("/api/conversations", params={"view": "abc"}), 400, "view")
    assert_error(admin.get("/api/conversations", params={"view": 0}), 400, "view")
    assert_error(admin.get("/api/views/0"), 404)
    assert admin.get("/api/views/abc").status_code in (400, 404)


def test_agents_need_to_sign_in(client: Client) -> None:
    assert_error(client.get("/api/views"), 401)
    assert_error(client.post("/api/views", json={"name": "x"}), 401)


# -- the list and its counts -------------------------------------------------------------------


def test_the_list_applies_a_view_and_explicit_filters_override_it(
    admin: Client, agent: Client, phone: dict[str, Any]
) -> None:
    sam = agent_id(admin)
    urgent = start(admin, phone["id"], priority="urgent", tags=["billing"])
    high = start(admin, phone["id"], priority="high", tags=["billing"])
    start(admin, phone["id"], priority="urgent", tags=["shipping"])
    mine = start(admin, phone["id"], priority="urgent", tags=["billing"], assignee_id=sam)
    view = create(agent, shared=True)  # tag billing, priority urgent
    assert ids(agent, view=view["id"]) == [mine["id"], urgent["id"]]
    assert ids(agent, view=view["id"], priority="high") == [high["id"]]
    assert ids(agent, view=view["id"], sort="created_asc") == [urgent["id"], mine["id"]]
    # `assignee: me` means whoever looks.
    patch = agent.patch(f"/api/views/{view['id']}", json={"filters": {"assignee": "me"}})
    assert patch.status_code == 200, patch.text
    assert ids(agent, view=view["id"]) == [mine["id"]]
    assert ids(admin, view=view["id"]) == []
    assert view_counts(agent)[str(view["id"])] == 1
    assert view_counts(admin)[str(view["id"])] == 0


def test_counts_follow_the_conversations(admin: Client, phone: dict[str, Any]) -> None:
    view = create(admin)
    other = create(admin, name="Resolved", filters={"status": "resolved"})
    assert view_counts(admin) == {str(view["id"]): 0, str(other["id"]): 0}
    first = start(admin, phone["id"], priority="urgent", tags=["billing"])
    start(admin, phone["id"], priority="urgent", tags=["billing"])
    assert view_counts(admin) == {str(view["id"]): 2, str(other["id"]): 0}
    admin.post(f"/api/conversations/{first['id']}/status", json={"status": "resolved"})
    assert view_counts(admin) == {str(view["id"]): 1, str(other["id"]): 1}
    total = admin.get("/api/conversations", params={"view": view["id"]}).json()["total"]
    assert total == 1


def test_a_view_with_a_search_counts_like_its_list(admin: Client, phone: dict[str, Any]) -> None:
    start(admin, phone["id"], subject="Refund please", message="I want my money back")
    start(admin, phone["id"], subject="Where is my parcel")
    view = create(admin, name="Refunds", filters={"search": "refund"})
    listed = admin.get("/api/conversations", params={"view": view["id"]}).json()
    assert listed["total"] == 1 and view_counts(admin)[str(view["id"])] == 1


# -- order -------------------------------------------------------------------------------------


def test_each_agent_orders_the_views_they_see(admin: Client, agent: Client) -> None:
    one = create(admin, name="One", shared=True)
    two = create(admin, name="Two", shared=True)
    three = create(agent, name="Three")
    assert names(agent) == ["One", "Two", "Three"]
    response = agent.post("/api/views/order", json={"ids": [three["id"], two["id"]]})
    assert response.status_code == 200, response.text
    assert [v["name"] for v in response.json()["items"]] == ["Three", "Two", "One"]
    assert names(agent) == ["Three", "Two", "One"]
    assert names(admin) == ["One", "Two"]  # the admin's order is their own
    four = create(agent, name="Four")
    assert names(agent) == ["Three", "Two", "One", "Four"]  # a new view comes last
    agent.delete(f"/api/views/{four['id']}")
    assert names(agent) == ["Three", "Two", "One"]
    assert one["id"] < two["id"]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"ids": []}, 400, "ids"),
        ({"ids": "1"}, 400, "ids"),
        ({"ids": [0]}, 400, "ids"),
        ({"ids": [999]}, 404, "ids"),
        ({}, 400, "ids"),
        ({"ids": [1], "extra": True}, 400, "extra"),
    ],
)
def test_bad_orders_are_refused_and_change_nothing(
    admin: Client, body: dict[str, Any], status: int, field: str
) -> None:
    create(admin, name="A")
    create(admin, name="B")
    admin.post("/api/views/order", json={"ids": [2, 1]})
    assert_error(admin.post("/api/views/order", json=body), status, field)
    assert names(admin) == ["B", "A"]


def test_an_order_naming_a_view_twice_is_refused(admin: Client) -> None:
    first = create(admin, name="A")
    create(admin, name="B")
    response = admin.post("/api/views/order", json={"ids": [first["id"], first["id"]]})
    assert_error(response, 400, "ids", "duplicate_view")
    assert names(admin) == ["A", "B"]


def test_a_view_made_private_leaves_the_others_lists_and_orders(
    admin: Client, agent: Client
) -> None:
    view = create(admin, name="Team", shared=True)
    create(admin, name="Other", shared=True)
    agent.post("/api/views/order", json={"ids": [view["id"]]})
    admin.patch(f"/api/views/{view['id']}", json={"shared": False})
    assert names(agent) == ["Other"]
    admin.patch(f"/api/views/{view['id']}", json={"shared": True})
    assert names(agent) == ["Other", "Team"]  # back, at the end: the old place was forgotten


# -- live, and agents leaving ------------------------------------------------------------------


def test_changes_are_told_to_those_who_see_the_view(admin: Client, agent: Client) -> None:
    heard = record_events(admin)
    private = create(agent, name="Private")
    shared = create(agent, name="Shared", shared=True)
    agent.patch(f"/api/views/{private['id']}", json={"name": "Still private"})
    agent.delete(f"/api/views/{shared['id']}")
    changes = [(e.kind, e.data, e.agent_id, e.private) for e in heard]
    sam = private["owner"]["id"]
    assert changes == [
        ("views.changed", {"ids": [private["id"]]}, sam, True),
        ("views.changed", {"ids": [shared["id"]]}, None, True),
        ("views.changed", {"ids": [private["id"]]}, sam, True),
        ("views.changed", {"ids": [shared["id"]]}, None, True),
    ]


def test_deleting_an_agent_deletes_their_private_views_and_keeps_shared_ones(
    admin: Client, agent: Client
) -> None:
    create(agent, name="Private")
    shared = create(agent, name="Shared", shared=True)
    sam = agent_id(admin)
    assert admin.delete(f"/api/agents/{sam}").status_code == 200
    [kept] = views(admin)
    assert kept["id"] == shared["id"] and kept["owner"] == {"id": None, "name": "Sam Agent"}
    # An admin still changes it.
    assert admin.patch(f"/api/views/{kept['id']}", json={"name": "Orphan"}).status_code == 200
