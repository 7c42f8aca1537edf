"""/api/contacts: the directory, its search, validation, partial updates and erasure."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from desk.services.desk import Desk
from tests.conftest import assert_error

Client = TestClient[Litestar]

GRACE = {
    "name": "Grace Hopper",
    "email": "grace@example.com",
    "phone": "+1 555 0100",
    "company": "Navy",
}


def create(client: Client, **fields: Any) -> dict[str, Any]:
    response = client.post("/api/contacts", json=fields)
    assert response.status_code == 201, response.text
    return dict(response.json())


def search(client: Client, query: str, **params: Any) -> list[str]:
    response = client.get("/api/contacts", params={"search": query, **params})
    assert response.status_code == 200, response.text
    return [c["name"] for c in response.json()["items"]]


def test_create_get_and_list_a_contact(agent: Client) -> None:
    made = create(agent, **GRACE, notes="Prefers email", custom_attributes={"plan": "pro"})
    assert made["id"] > 0
    assert {k: made[k] for k in GRACE} == GRACE
    assert made["notes"] == "Prefers email"
    assert made["custom_attributes"] == {"plan": "pro"}
    assert made["conversation_count"] == 0
    assert made["created_at"].endswith("Z")
    assert agent.get(f"/api/contacts/{made['id']}").json() == made
    listed = agent.get("/api/contacts").json()
    assert listed == {"items": [made], "page": 1, "per_page": 25, "total": 1}


@pytest.mark.parametrize(
    "fields",
    [{"name": "Only Name"}, {"email": "only@example.com"}, {"phone": "+49 30 1234"}],
)
def test_one_of_name_email_phone_is_enough(admin: Client, fields: dict[str, str]) -> None:
    made = create(admin, **fields)
    assert all(made[k] == v for k, v in fields.items())


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": "   ", "email": "", "company": "Acme"}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "Ok", "notes": "n" * 5001}, "notes"),
        ({"name": "Ok", "phone": "1" * 51}, "phone"),
        ({"name": "Ok", "company": "c" * 201}, "company"),
        ({"email": "not-an-email"}, "email"),
        ({"name": "Ok", "custom_attributes": {"nested": {"a": 1}}}, "custom_attributes"),
        ({"name": "Ok", "custom_attributes": {"list": [1, 2]}}, "custom_attributes"),
        ({"name": "Ok", "custom_attributes": {"": "empty key"}}, "custom_attributes"),
        ({"name": "Ok", "custom_attributes": {"k": "v" * 1001}}, "custom_attributes"),
        ({"name": "Ok", "custom_attributes": {f"k{n}": n for n in range(51)}}, "custom_attributes"),
        ({"name": 42}, "name"),
        ({"name": "Ok", "favourite_colour": "blue"}, "favourite_colour"),
    ],
)
def test_create_rejects_invalid_input_naming_the_field(
    admin: Client, body: dict[str, Any], field: str
) -> None:
    assert_error(admin.post("/api/contacts", json=body), 400, field)
    assert admin.get("/api/contacts").json()["total"] == 0


@pytest.mark.parametrize(
    ("content", "status"),
    [
        (b"", 400),
        (b"[]", 400),
        (b"not json", 400),
        (b'{"name": "x", "notes": "' + b"n" * (1024 * 1024) + b'"}', 413),
    ],
)
def test_create_rejects_bad_bodies(admin: Client, content: bytes, status: int) -> None:
    response = admin.post(
        "/api/contacts", content=content, headers={"Content-Type": "application/json"}
    )
    assert_error(response, status)
    assert admin.get("/api/contacts").json()["total"] == 0


@pytest.mark.parametrize(
    ("content", "status"),
    [(b"", 400), (b"null", 400), (b"{", 400), (b'{"notes": "' + b"n" * (1 << 20) + b'"}', 413)],
)
def test_patch_rejects_bad_bodies(admin: Client, content: bytes, status: int) -> None:
    made = create(admin, name="Grace")
    response = admin.patch(
        f"/api/contacts/{made['id']}", content=content, headers={"Content-Type": "application/json"}
    )
    assert_error(response, status)
    assert admin.get(f"/api/contacts/{made['id']}").json() == made


def test_custom_attributes_keep_their_types(admin: Client) -> None:
    attrs = {"plan": "pro", "seats": 12, "mrr": 99.5, "vip": True}
    made = create(admin, name="Typed", custom_attributes=attrs)
    assert made["custom_attributes"] == attrs


def test_email_is_unique_case_insensitively(agent: Client) -> None:
    create(agent, name="Grace", email="Grace@Example.com")
    response = agent.post("/api/contacts", json={"name": "Other", "email": " grace@EXAMPLE.com "})
    assert_error(response, 409)
    assert agent.get("/api/contacts").json()["total"] == 1
    other = create(agent, name="Other", email="other@example.com")
    clash = agent.patch(f"/api/contacts/{other['id']}", json={"email": "GRACE@example.com"})
    assert_error(clash, 409)
    assert agent.get(f"/api/contacts/{other['id']}").json() == other


def test_patch_is_partial_and_merges_custom_attributes(agent: Client) -> None:
    made = create(agent, **GRACE, custom_attributes={"plan": "pro", "seats": 3, "vip": True})
    response = agent.patch(
        f"/api/contacts/{made['id']}",
        json={"company": "US Navy", "custom_attributes": {"seats": 5, "vip": None, "new": "x"}},
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["company"] == "US Navy"
    assert updated["name"] == GRACE["name"] and updated["email"] == GRACE["email"]
    assert updated["custom_attributes"] == {"plan": "pro", "seats": 5, "new": "x"}
    # Keeping one's own email (in another case) is not a clash.
    same = agent.patch(f"/api/contacts/{made['id']}", json={"email": "GRACE@example.com"})
    assert same.status_code == 200
    assert same.json()["email"] == "GRACE@example.com"


def test_patch_can_clear_fields_but_not_all_identity(agent: Client) -> None:
    made = create(agent, name="Grace", email="g@example.com")
    cleared = agent.patch(f"/api/contacts/{made['id']}", json={"email": None})
    assert cleared.status_code == 200 and cleared.json()["email"] is None
    response = agent.patch(f"/api/contacts/{made['id']}", json={"name": None})
    assert_error(response, 400, "name")
    assert agent.get(f"/api/contacts/{made['id']}").json() == cleared.json()


@pytest.mark.parametrize(
    "body", [{"nickname": "G"}, {"name": 5}, {"custom_attributes": [1]}, {"name": "n" * 201}]
)
def test_patch_rejects_invalid_bodies(admin: Client, body: dict[str, Any]) -> None:
    made = create(admin, name="Grace")
    assert_error(admin.patch(f"/api/contacts/{made['id']}", json=body), 400)
    assert admin.get(f"/api/contacts/{made['id']}").json() == made


def test_unknown_ids_answer_404_before_the_body_is_checked(admin: Client) -> None:
    assert admin.get("/api/contacts/999").status_code == 404
    assert admin.patch("/api/contacts/999", json={"bogus": 1}).status_code == 404
    assert admin.delete("/api/contacts/999").status_code == 404


def test_signed_out_and_agent_limits(client: Client, agent: Client) -> None:
    made = create(agent, name="Grace")
    assert agent.delete(f"/api/contacts/{made['id']}").status_code == 403
    client.cookies.clear()
    assert client.get("/api/contacts").status_code == 401
    assert client.post("/api/contacts", json={"name": "x"}).status_code == 401


def test_admin_deletes_a_contact(admin: Client) -> None:
    made = create(admin, name="Grace")
    response = admin.delete(f"/api/contacts/{made['id']}")
    assert response.status_code == 200
    assert response.json() == {"deleted": True, "id": made["id"]}
    assert admin.get(f"/api/contacts/{made['id']}").status_code == 404


@pytest.fixture
def directory(admin: Client) -> Client:
    create(admin, **GRACE)
    create(admin, name="Alan Turing", email="alan@bletchley.uk", company="GCHQ")
    create(admin, name="Ada Lovelace", email="ada@analytical.engine", phone="+44 20 7946 0000")
    create(admin, name="Zoë Ærøskøbing", email="zoe@example.dk")
    return admin


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("Hop", ["Grace Hopper"]),
        ("hopper", ["Grace Hopper"]),
        ("gra hop", ["Grace Hopper"]),
        ("navy", ["Grace Hopper"]),
        ("bletch", ["Alan Turing"]),
        ("gchq", ["Alan Turing"]),
        ("0100", ["Grace Hopper"]),
        ("7946", ["Ada Lovelace"]),
        ("a", ["Ada Lovelace", "Alan Turing"]),
        ("grace@example.com", ["Grace Hopper"]),
        ("zoe", ["Zoë Ærøskøbing"]),
        ("example", ["Grace Hopper", "Zoë Ærøskøbing"]),
        ("opper", []),
        ("nobody", []),
    ],
)
def test_search_finds_word_prefixes(directory: Client, query: str, names: list[str]) -> None:
    assert search(directory, query) == names


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"Grace',
        "gr*",
        "NEAR(a b)",
        "a OR b AND NOT c",
        "name:grace",
        "(((",
        "-hop",
        "^grace",
        "😀",
        "grace 😀",
        "'; DROP TABLE contacts; --",
        "x" * 2000,
        "grace " * 400,
        "\x00\x01",
        "   ",
    ],
)
def test_search_never_fails_on_odd_input(directory: Client, query: str) -> None:
    response = directory.get("/api/contacts", params={"search": query})
    assert response.status_code == 200, response.text
    assert response.json()["total"] == len(response.json()["items"])


def test_search_with_punctuation_still_finds(directory: Client) -> None:
    assert search(directory, '"Grace"') == ["Grace Hopper"]
    assert search(directory, "hop*") == ["Grace Hopper"]
    assert search(directory, "(turing)") == ["Alan Turing"]
    assert len(search(directory, "   ")) == 4  # blank: no filter


def test_sort_and_pagination(directory: Client, clock: Any) -> None:
    by_name = search(directory, "", sort="name")
    assert by_name == ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Zoë Ærøskøbing"]
    page = directory.get("/api/contacts", params={"per_page": 3, "page": 2}).json()
    assert page["total"] == 4 and [c["name"] for c in page["items"]] == ["Zoë Ærøskøbing"]
    assert directory.get("/api/contacts", params={"page": 9}).json()["items"] == []
    clock.advance(minutes=1)
    create(directory, name="Newest")
    assert search(directory, "", sort="created_desc")[0] == "Newest"


@pytest.mark.parametrize(
    "params", [{"sort": "age"}, {"page": 0}, {"per_page": 101}, {"per_page": "x"}]
)
def test_list_rejects_bad_parameters(admin: Client, params: dict[str, Any]) -> None:
    assert admin.get("/api/contacts", params=params).status_code == 400


def test_search_follows_updates_and_deletes(admin: Client) -> None:
    made = create(admin, name="Grace Hopper")
    admin.patch(f"/api/contacts/{made['id']}", json={"name": "Grace Murray"})
    assert search(admin, "hopper") == []
    assert search(admin, "murr") == ["Grace Murray"]
    admin.delete(f"/api/contacts/{made['id']}")
    assert search(admin, "murr") == []


def _count(desk: Desk, table: str) -> int:
    with desk.db.read() as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_delete_erases_the_contacts_conversations_and_messages(
    app: Litestar, admin: Client
) -> None:
    desk: Desk = app.state.desk
    channel = admin.post("/api/channels", json={"name": "CRM", "type": "api"}).json()
    hook = channel["config"]["inbound_url"]
    for n in range(2):
        body = {"contact": {"email": "erase@example.com"}, "body": f"hi {n}", "thread_id": f"t{n}"}
        assert admin.post(hook, json=body).status_code == 201
    other = {"contact": {"email": "keep@example.com"}, "body": "stay"}
    assert admin.post(hook, json=other).status_code == 201
    found = admin.get("/api/contacts", params={"search": "erase"}).json()["items"]
    assert [c["email"] for c in found] == ["erase@example.com"]  # one contact, by its email
    contact = found[0]
    assert contact["conversation_count"] == 2
    assert _count(desk, "conversations") == 3

    assert admin.delete(f"/api/contacts/{contact['id']}").status_code == 200

    assert _count(desk, "conversations") == 1
    with desk.db.read() as conn:
        bodies = [r[0] for r in conn.execute("SELECT body FROM messages WHERE type = 'incoming'")]
        found = conn.execute(
            "SELECT count(*) FROM search_index WHERE search_index MATCH 'hi'"
        ).fetchone()[0]
        questions = conn.execute(
            "SELECT count(*) FROM question_index WHERE question_index MATCH 'hi'"
        ).fetchone()[0]
    assert bodies == ["stay"]
    assert found == 0 and questions == 0  # nothing of theirs is left to find
    assert (
        admin.get("/api/conversations", params={"search": "hi", "status": "all"}).json()["total"]
        == 0
    )


def test_renaming_a_contact_sends_their_open_conversations_again_live(
    app: Litestar, admin: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk.services import contacts as contacts_service
    from desk.services.events import Event

    monkeypatch.setattr(contacts_service, "MAX_LIVE_UPDATES", 2)
    heard: list[Event] = []
    desk: Desk = app.state.desk
    desk.events.add_listener(heard.append)
    channel = admin.post("/api/channels", json={"name": "Phone", "type": "phone"}).json()
    grace = create(admin, **GRACE)
    other = create(admin, name="Someone Else")

    def start(contact: dict[str, Any], subject: str) -> int:
        body = {"channel_id": channel["id"], "contact_id": contact["id"], "subject": subject}
        response = admin.post("/api/conversations", json=body)
        assert response.status_code == 201, response.text
        return int(response.json()["id"])

    oldest, middle, latest = (start(grace, s) for s in ("oldest", "middle", "latest"))
    resolved = start(grace, "done")
    done = admin.post(f"/api/conversations/{resolved}/status", json={"status": "resolved"})
    assert done.status_code == 200
    start(other, "not hers")

    heard.clear()
    assert admin.patch(f"/api/contacts/{grace['id']}", json={"notes": "VIP"}).status_code == 200
    assert heard == []  # nothing an inbox shows changed
    renamed = admin.patch(f"/api/contacts/{grace['id']}", json={"name": "Grace B. Hopper"})
    assert renamed.status_code == 200

    updates = [e for e in heard if e.kind == "conversation.updated"]
    assert [e.data.id for e in updates] == [latest, middle]  # newest first, bounded, open only
    assert all(e.data.contact.name == "Grace B. Hopper" for e in updates)
    assert oldest not in [e.data.id for e in updates] and len(heard) == len(updates)
