"""POST /hooks/{token}/messages: another system posts a contact's message into an `api` channel.
No session; the token is the credential; threading by thread_id, else the open conversation."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import new_client
from litestar import Litestar
from litestar.testing import TestClient

from desk.services.desk import Desk
from desk.services.events import Event

Client = TestClient[Litestar]

GRACE = {"name": "Grace", "email": "grace@example.com", "external_id": "crm-77"}


@pytest.fixture
def channel(admin: Client) -> dict[str, Any]:
    response = admin.post("/api/channels", json={"name": "CRM", "type": "api"})
    assert response.status_code == 201
    return dict(response.json())


@pytest.fixture
def outsider(app: Litestar, admin: Client) -> Client:
    """A client with no session at all: how other systems call the hook."""
    return new_client(app)


def post(client: Client, channel: dict[str, Any], **body: Any) -> Any:
    return client.post(channel["config"]["inbound_url"], json=body)


def send(client: Client, channel: dict[str, Any], text: str, **extra: Any) -> dict[str, int]:
    body = {"contact": GRACE, "body": text, **extra}
    response = post(client, channel, **body)
    assert response.status_code == 201, response.text
    assert set(response.json()) == {"conversation_id", "message_id"}
    return dict(response.json())


def conversation_in_list(admin: Client, conversation_id: int) -> dict[str, Any]:
    items = admin.get("/api/conversations", params={"status": "all", "per_page": 100}).json()
    return next(c for c in items["items"] if c["id"] == conversation_id)


def test_first_message_starts_a_conversation_with_a_new_contact(
    app: Litestar, admin: Client, outsider: Client, channel: dict[str, Any]
) -> None:
    heard: list[Event] = []
    desk: Desk = app.state.desk
    desk.events.add_listener(heard.append)
    ids = send(outsider, channel, "Hello, my order never arrived", thread_id="order-1042")

    listed = conversation_in_list(admin, ids["conversation_id"])
    assert listed["channel_id"] == channel["id"] and listed["channel_type"] == "api"
    assert listed["status"] == "open"
    assert listed["unread_count"] == 1  # came through a channel: unread for the team
    assert listed["contact"]["email"] == "grace@example.com"
    assert listed["last_message"]["type"] == "incoming"
    messages = admin.get(f"/api/conversations/{ids['conversation_id']}/messages").json()
    [first] = messages["items"]
    assert first["id"] == ids["message_id"]
    assert first["type"] == "incoming" and first["body"] == "Hello, my order never arrived"
    assert first["sender"]["type"] == "contact"
    contacts = admin.get("/api/contacts").json()["items"]
    assert [(c["name"], c["email"]) for c in contacts] == [("Grace", "grace@example.com")]
    kinds = [e.kind for e in heard]
    assert "conversation.created" in kinds and "message.created" in kinds


def test_same_thread_id_continues_and_another_starts_anew(
    admin: Client, outsider: Client, channel: dict[str, Any]
) -> None:
    one = send(outsider, channel, "first", thread_id="order-1")
    again = send(outsider, channel, "second", thread_id="order-1")
    other = send(outsider, channel, "other order", thread_id="order-2")
    assert again["conversation_id"] == one["conversation_id"]
    assert other["conversation_id"] != one["conversation_id"]
    assert conversation_in_list(admin, one["conversation_id"])["unread_count"] == 2


def test_thread_id_reopens_a_resolved_conversation(
    admin: Client, outsider: Client, channel: dict[str, Any]
) -> None:
    one = send(outsider, channel, "first", thread_id="order-1")
    resolved = admin.post(
        f"/api/conversations/{one['conversation_id']}/status", json={"status": "resolved"}
    )
    assert resolved.status_code == 200, resolved.text
    again = send(outsider, channel, "it broke again", thread_id="order-1")
    assert again["conversation_id"] == one["conversation_id"]
    assert conversation_in_list(admin, one["conversation_id"])["status"] == "open"


def test_without_thread_id_the_open_conversation_continues(
    admin: Client, outsider: Client, channel: dict[str, Any]
) -> None:
    one = send(outsider, channel, "first")
    two = send(outsider, channel, "second")
    assert two["conversation_id"] == one["conversation_id"]
    admin.post(f"/api/conversations/{one['conversation_id']}/status", json={"status": "resolved"})
    three = send(outsider, channel, "a new question")
    assert three["conversation_id"] != one["conversation_id"]
    assert conversation_in_list(admin, one["conversation_id"])["status"] == "resolved"


def test_another_contact_gets_their_own_conversation(
    admin: Client, outsider: Client, channel: dict[str, Any]
) -> None:
    grace = send(outsider, channel, "hi")
    alan = post(outsider, channel, contact={"email": "alan@example.com"}, body="hello")
    assert alan.status_code == 201
    assert alan.json()["conversation_id"] != grace["conversation_id"]


@pytest.mark.parametrize(
    "contact",
    [
        {"email": "GRACE@example.com"},
        {"external_id": "crm-77"},
        {"email": "grace@example.com", "phone": "+1 555 0100", "name": "G. Hopper"},
    ],
)
def test_contact_is_matched_by_email_or_external_id(
    admin: Client, outsider: Client, channel: dict[str, Any], contact: dict[str, str]
) -> None:
    first = send(outsider, channel, "hi")
    again = post(outsider, channel, contact=contact, body="me again")
    assert again.status_code == 201
    assert again.json()["conversation_id"] == first["conversation_id"]
    assert admin.get("/api/contacts").json()["total"] == 1


def test_contact_is_matched_by_phone_and_created_from_external_id_alone(
    admin: Client, outsider: Client, channel: dict[str, Any]
) -> None:
    assert post(outsider, channel, contact={"phone": "+1 555 0100"}, body="a").status_code == 201
    assert post(outsider, channel, contact={"phone": "+1 555 0100"}, body="b").status_code == 201
    assert post(outsider, channel, contact={"external_id": "erp-9"}, body="c").status_code == 201
    names = sorted(
        (c["phone"] or "", c["name"] or "") for c in admin.get("/api/contacts").json()["items"]
    )
    assert names == [("", "erp-9"), ("+1 555 0100", "")]


def test_a_known_contact_gains_the_details_it_lacked(
    admin: Client, outsider: Client, channel: dict[str, Any]
) -> None:
    first = post(outsider, channel, contact={"external_id": "crm-1"}, body="a")
    richer = {"external_id": "crm-1", "email": "lin@example.com", "phone": "+1 555 0199"}
    again = post(outsider, channel, contact=richer, body="b")
    by_email = post(outsider, channel, contact={"email": "LIN@example.com"}, body="c")
    assert first.json()["conversation_id"] == again.json()["conversation_id"]
    assert by_email.json()["conversation_id"] == first.json()["conversation_id"]
    [contact] = admin.get("/api/contacts").json()["items"]
    assert (contact["email"], contact["phone"]) == ("lin@example.com", "+1 555 0199")
    found = admin.get("/api/conversations", params={"search": "lin@example.com"}).json()
    assert [c["id"] for c in found["items"]] == [first.json()["conversation_id"]]


def test_details_never_overwrite_or_steal(
    admin: Client, outsider: Client, channel: dict[str, Any]
) -> None:
    grace_ids = send(outsider, channel, "hi")  # Grace: grace@example.com, crm-77
    other = {"external_id": "crm-2", "phone": "+1 555 0111"}
    assert post(outsider, channel, contact=other, body="a").status_code == 201
    # The email matches Grace first; crm-2 stays with its own contact and Grace keeps her name.
    mixed = {"external_id": "crm-2", "name": "Someone", "email": "grace@example.com"}
    response = post(outsider, channel, contact=mixed, body="b")
    assert response.status_code == 201
    assert response.json()["conversation_id"] == grace_ids["conversation_id"]
    contacts = {c["phone"]: c for c in admin.get("/api/contacts").json()["items"]}
    assert contacts["+1 555 0111"]["email"] is None
    grace = next(c for c in contacts.values() if c["email"] == "grace@example.com")
    assert grace["name"] == "Grace"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"contact": {"name": "Only a name"}, "body": "hi"}, "contact"),
        ({"contact": {}, "body": "hi"}, "contact"),
        ({"contact": {"email": "g@example.com"}, "body": "   "}, "body"),
        ({"contact": {"email": "g@example.com"}, "body": "x" * 20_001}, "body"),
        ({"contact": {"email": "g@example.com"}}, "body"),
        ({"body": "hi"}, "contact"),
        ({"contact": {"email": "not an email"}, "body": "hi"}, "contact.email"),
        ({"contact": {"email": "g@example.com", "age": 3}, "body": "hi"}, "contact.age"),
        ({"contact": {"email": "g@example.com"}, "body": "hi", "extra": 1}, "extra"),
        ({"contact": {"email": "g@example.com"}, "body": 42}, "body"),
        ({"contact": "g@example.com", "body": "hi"}, "contact"),
        (
            {"contact": {"email": "g@example.com"}, "body": "hi", "thread_id": "t" * 201},
            "thread_id",
        ),
        ({"contact": {"email": "g@example.com"}, "body": "hi", "thread_id": 7}, "thread_id"),
        # found only after the contact is resolved: the whole hook is one transaction
        ({"contact": {"email": "g@example.com"}, "body": "hi", "subject": "s" * 201}, "subject"),
    ],
)
def test_invalid_bodies_are_400_naming_the_field(
    admin: Client, outsider: Client, channel: dict[str, Any], body: dict[str, Any], field: str
) -> None:
    response = post(outsider, channel, **body)
    assert response.status_code == 400, response.text
    assert response.json().get("field") == field
    assert admin.get("/api/contacts").json()["total"] == 0


def test_malformed_and_oversized_bodies(outsider: Client, channel: dict[str, Any]) -> None:
    url = channel["config"]["inbound_url"]
    json_type = {"Content-Type": "application/json"}
    assert outsider.post(url, content=b"", headers=json_type).status_code == 400
    assert outsider.post(url, content=b"{oops", headers=json_type).status_code == 400
    assert outsider.post(url, content=b"[]", headers=json_type).status_code == 400
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert outsider.post(url, content=b"body=hi", headers=form).status_code == 400
    huge = b'{"contact": {"email": "g@example.com"}, "body": "' + b"x" * (1 << 20) + b'"}'
    assert outsider.post(url, content=huge, headers=json_type).status_code == 413


def test_unknown_inactive_and_non_api_tokens_are_404(
    admin: Client, outsider: Client, channel: dict[str, Any]
) -> None:
    body = {"contact": {"email": "g@example.com"}, "body": "hi"}
    assert outsider.post("/hooks/not-a-token/messages", json=body).status_code == 404
    # 404 comes before body validation: a wrong token learns nothing about the body rules.
    assert outsider.post("/hooks/not-a-token/messages", json={"x": 1}).status_code == 404
    chat = admin.post("/api/channels", json={"name": "Chat", "type": "web_chat"}).json()
    chat_url = f"/hooks/{chat['config']['public_token']}/messages"
    assert outsider.post(chat_url, json=body).status_code == 404
    admin.patch(f"/api/channels/{channel['id']}", json={"active": False})
    assert post(outsider, channel, **body).status_code == 404
    admin.patch(f"/api/channels/{channel['id']}", json={"active": True})
    assert post(outsider, channel, **body).status_code == 201


def test_hooks_ignore_origin_and_need_no_session(outsider: Client, channel: dict[str, Any]) -> None:
    response = outsider.post(
        channel["config"]["inbound_url"],
        json={"contact": {"email": "g@example.com"}, "body": "hi"},
        headers={"Origin": "https://crm.example"},
    )
    assert response.status_code == 201, response.text


def test_hook_is_in_the_openapi_document(outsider: Client) -> None:
    schema = outsider.get("/api/schema/openapi.json").json()
    operation = schema["paths"]["/hooks/{token}/messages"]["post"]
    assert {"201", "400", "404", "413"} <= set(operation["responses"])
