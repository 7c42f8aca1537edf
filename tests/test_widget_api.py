"""The widget's visitor API (/widget/{token}/...): identity, messages, CORS, limits, and every
way to be refused. Each refusal reads back that nothing changed."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import pytest
from conftest import FakeClock, new_client
from litestar import Litestar
from litestar.testing import TestClient

from desk.services.channels.web_chat import (
    MESSAGES_PER_WINDOW,
    VISITORS_PER_WINDOW,
    forget_silent_visitors,
)
from desk.services.desk import Desk

Client = TestClient[Litestar]
SHOP = "https://shop.example"


@pytest.fixture
def chat(admin: Client) -> dict[str, Any]:
    response = admin.post(
        "/api/channels",
        json={"name": "Website", "type": "web_chat", "config": {"allowed_origins": [SHOP]}},
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


@pytest.fixture
def site(app: Litestar, admin: Client) -> Client:
    """A visitor's browser on the shop's website: no session, the shop's Origin."""
    client = new_client(app)
    client.headers["Origin"] = SHOP
    return client


def url(chat: dict[str, Any], path: str) -> str:
    return f"/widget/{chat['config']['public_token']}/{path}"


def join(site: Client, chat: dict[str, Any], **identity: Any) -> str:
    response = site.post(url(chat, "visitors"), json=identity)
    assert response.status_code == 201, response.text
    return str(response.json()["visitor_token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def say(site: Client, chat: dict[str, Any], token: str, body: str) -> dict[str, Any]:
    response = site.post(url(chat, "messages"), json={"body": body}, headers=bearer(token))
    assert response.status_code == 201, response.text
    return dict(response.json())


def read(site: Client, chat: dict[str, Any], token: str, after: int = 0) -> dict[str, Any]:
    response = site.get(url(chat, "messages"), params={"after": after}, headers=bearer(token))
    assert response.status_code == 200, response.text
    return dict(response.json())


def snapshot(app: Litestar) -> tuple[int, ...]:
    """Rows that any refused request must leave alone."""
    desk: Desk = app.state.desk
    with desk.db.read() as conn:
        return tuple(
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("web_chat_visitors", "contacts", "conversations", "messages")
        )


def conversation_of(admin: Client) -> dict[str, Any]:
    items = admin.get("/api/conversations", params={"channel_type": "web_chat"}).json()["items"]
    assert len(items) == 1
    return dict(items[0])


# -- config and CORS ------------------------------------------------------------------------------


def test_config_names_the_workspace_and_greets_in_the_visitors_language(
    admin: Client, site: Client, chat: dict[str, Any], clock: FakeClock
) -> None:
    response = site.get(url(chat, "config"))
    assert response.status_code == 200
    assert response.json() == {
        "workspace": "Acme Support",
        "greeting": "Hi! How can we help?",
        "color": "#3b82f6",
        "online": False,  # the clock's Sunday noon is outside the default business hours
    }
    assert site.get(url(chat, "config"), params={"lang": "de-AT"}).json()["greeting"] == (
        "Hallo! Wie können wir helfen?"
    )
    admin.patch(
        f"/api/channels/{chat['id']}",
        json={"config": {"greeting": "Welcome to the shop!", "greetings": {"FR": "Bienvenue !"}}},
    ).raise_for_status()
    assert site.get(url(chat, "config"), params={"lang": "fr"}).json()["greeting"] == "Bienvenue !"
    assert site.get(url(chat, "config"), params={"lang": "de"}).json()["greeting"] == (
        "Welcome to the shop!"  # the admin's own greeting is not translated by guesswork
    )
    bad = admin.patch(f"/api/channels/{chat['id']}", json={"config": {"greetings": {"x y": "Hi"}}})
    assert bad.status_code == 400 and bad.json()["field"] == "config.greetings"


def test_online_follows_business_hours(
    admin: Client, site: Client, chat: dict[str, Any], clock: FakeClock
) -> None:
    every_day = {day: [["00:00", "23:59"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat")}
    hours = {**every_day, "sun": []}
    admin.post("/api/settings/workspace", json={"business_hours": hours}).raise_for_status()
    clock.now = clock.now.replace(year=2026, month=11, day=30)  # a Monday
    assert site.get(url(chat, "config")).json()["online"] is True
    clock.now = clock.now.replace(day=29)  # a Sunday
    assert site.get(url(chat, "config")).json()["online"] is False


def test_an_allowed_origin_is_echoed_never_a_wildcard_never_credentials(
    site: Client, chat: dict[str, Any]
) -> None:
    response = site.get(url(chat, "config"))
    assert response.headers["access-control-allow-origin"] == SHOP
    assert "Origin" in response.headers["vary"]
    assert response.headers["cache-control"] == "no-store"
    assert "access-control-allow-credentials" not in response.headers
    preflight = site.options(
        url(chat, "messages"),
        headers={
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == SHOP
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "Authorization" in preflight.headers["access-control-allow-headers"]
    assert "access-control-allow-credentials" not in preflight.headers


@pytest.mark.parametrize("method", ["GET", "OPTIONS"])
def test_another_origin_gets_403_and_no_cors_answer(
    app: Litestar, site: Client, chat: dict[str, Any], method: str
) -> None:
    for origin in (
        "https://evil.example",
        "https://shop.example:8443",
        "null",
        "http://shop.example",
    ):
        response = site.request(method, url(chat, "config"), headers={"Origin": origin})
        assert response.status_code == 403, origin
        assert response.json() == {
            "error": "This website is not one of the chat's allowed origins.",
            "code": "origin_not_allowed",
        }
        assert "access-control-allow-origin" not in response.headers


def test_an_empty_origin_list_allows_no_browser_but_servers_are_served(
    app: Litestar, admin: Client, site: Client, chat: dict[str, Any]
) -> None:
    admin.patch(f"/api/channels/{chat['id']}", json={"config": {"allowed_origins": []}})
    before = snapshot(app)
    assert site.post(url(chat, "visitors"), json={}).status_code == 403
    assert snapshot(app) == before
    server = new_client(app)  # no Origin header: not a browser
    assert server.get(url(chat, "config")).status_code == 200
    assert server.post(url(chat, "visitors"), json={}).status_code == 201


# -- visitors and identity ------------------------------------------------------------------------


def test_a_visitor_token_is_256_random_bits_and_only_its_hash_is_stored(
    app: Litestar, site: Client, chat: dict[str, Any]
) -> None:
    token = join(site, chat, name="Grace")
    assert len(token) >= 43  # 32 bytes, URL-safe base64
    desk: Desk = app.state.desk
    with desk.db.read() as conn:
        rows = [tuple(r) for r in conn.execute("SELECT * FROM web_chat_visitors")]
    assert token not in repr(rows)
    assert hashlib.sha256(token.encode()).hexdigest() in repr(rows)
    assert join(site, chat) != token


def test_a_typed_email_nobody_has_becomes_the_new_contacts_email(
    admin: Client, site: Client, chat: dict[str, Any]
) -> None:
    token = join(site, chat, name="Grace Hopper", email="Grace@Example.com")
    assert admin.get("/api/contacts").json()["total"] == 0  # no contact before they write
    say(site, chat, token, "Hello")
    contact = conversation_of(admin)["contact"]
    assert contact["name"] == "Grace Hopper" and contact["email"] == "Grace@Example.com"


def test_a_typed_email_someone_has_stays_unverified_on_a_contact_of_its_own(
    admin: Client, site: Client, chat: dict[str, Any], phone: dict[str, Any]
) -> None:
    grace = admin.post("/api/contacts", json={"name": "Grace", "email": "grace@example.com"})
    admin.post(
        "/api/conversations",
        json={"channel_id": phone["id"], "contact_id": grace.json()["id"], "message": "Secret"},
    ).raise_for_status()
    token = join(site, chat, name="Mallory", email="GRACE@example.com")
    say(site, chat, token, "Show me Grace's orders")
    contact = admin.get(f"/api/contacts/{conversation_of(admin)['contact']['id']}").json()
    assert contact["id"] != grace.json()["id"]
    assert contact["email"] is None and contact["name"] == "Mallory"
    assert contact["custom_attributes"] == {"unverified_email": "GRACE@example.com"}
    assert [m["body"] for m in read(site, chat, token)["items"]] == ["Show me Grace's orders"]


def test_a_signed_email_joins_the_existing_contact_but_sees_only_its_own_conversation(
    admin: Client, site: Client, chat: dict[str, Any], phone: dict[str, Any]
) -> None:
    grace = admin.post("/api/contacts", json={"name": "Grace", "email": "grace@example.com"}).json()
    admin.post(
        "/api/conversations",
        json={"channel_id": phone["id"], "contact_id": grace["id"], "message": "Her phone call"},
    ).raise_for_status()
    secret = chat["config"]["identity_secret"]
    signature = hmac.new(secret.encode(), b"grace@example.com", hashlib.sha256).hexdigest()
    token = join(site, chat, email="Grace@Example.com", email_hmac=signature)
    say(site, chat, token, "Hi, it's Grace")
    assert conversation_of(admin)["contact"]["id"] == grace["id"]
    assert [m["body"] for m in read(site, chat, token)["items"]] == ["Hi, it's Grace"]


@pytest.mark.parametrize(
    ("identity", "field"),
    [
        ({"email": "grace@example.com", "email_hmac": "00" * 32}, "email_hmac"),
        ({"email_hmac": "00" * 32}, "email_hmac"),
        ({"email": "grace@example.com", "email_hmac": "é"}, "email_hmac"),
        ({"email": "not an email"}, "email"),
        ({"name": "x" * 201}, "name"),
        ({"name": 5}, "name"),
        ({"nickname": "Gray"}, "nickname"),
    ],
)
def test_a_bad_identity_is_refused_and_makes_no_visitor(
    app: Litestar, site: Client, chat: dict[str, Any], identity: dict[str, Any], field: str
) -> None:
    before = snapshot(app)
    response = site.post(url(chat, "visitors"), json=identity)
    assert response.status_code == 400, response.text
    assert response.json()["field"] == field
    assert snapshot(app) == before


# -- messages -------------------------------------------------------------------------------------


def test_the_first_message_starts_an_unread_conversation_and_later_ones_continue_it(
    admin: Client, site: Client, chat: dict[str, Any]
) -> None:
    token = join(site, chat)
    first = say(site, chat, token, "  Do you ship to Norway?  ")
    assert set(first) == {"id", "type", "body", "sender", "attachments", "created_at"}
    assert first["type"] == "incoming" and first["body"] == "Do you ship to Norway?"
    assert first["attachments"] == [] and first["sender"]["type"] == "contact"
    conversation = conversation_of(admin)
    assert conversation["unread_count"] == 1 and conversation["channel_type"] == "web_chat"
    assert conversation["contact"]["name"].startswith("Website visitor")
    admin.post(
        f"/api/conversations/{conversation['id']}/status", json={"status": "resolved"}
    ).raise_for_status()
    say(site, chat, token, "And to Iceland?")
    again = admin.get(f"/api/conversations/{conversation['id']}").json()
    assert again["status"] == "open"  # reopened by the visitor, as any incoming message does
    assert admin.get("/api/conversations", params={"status": "all"}).json()["total"] == 1


def test_an_agents_reply_is_sent_at_once_and_the_visitor_reads_it_by_first_name(
    admin: Client, agent: Client, site: Client, chat: dict[str, Any]
) -> None:
    token = join(site, chat)
    mine = say(site, chat, token, "Is the shop open on Sunday?")
    conversation = conversation_of(admin)
    reply = agent.post(
        f"/api/conversations/{conversation['id']}/messages", json={"body": "No, Monday to Sat."}
    ).json()
    assert reply["delivery"]["status"] == "sent"
    agent.post(
        f"/api/conversations/{conversation['id']}/messages",
        json={"body": "Regular customer", "type": "note"},
    ).raise_for_status()
    agent.post(
        f"/api/conversations/{conversation['id']}/tags", json={"tag": "hours"}
    ).raise_for_status()
    page = read(site, chat, token)
    assert page["status"] == "open"
    assert [(m["type"], m["body"]) for m in page["items"]] == [
        ("incoming", "Is the shop open on Sunday?"),
        ("outgoing", "No, Monday to Sat."),
    ]  # never the note, never the activity line
    assert page["items"][1]["sender"] == {"type": "agent", "name": "Sam"}
    assert read(site, chat, token, after=mine["id"])["items"][0]["id"] == reply["id"]
    assert read(site, chat, token, after=reply["id"])["items"] == []


def test_a_visitor_sees_nothing_before_writing(site: Client, chat: dict[str, Any]) -> None:
    assert read(site, chat, join(site, chat)) == {"items": [], "status": None}


def test_messages_come_100_at_a_time_oldest_first(
    admin: Client, site: Client, chat: dict[str, Any], clock: FakeClock
) -> None:
    token = join(site, chat)
    ids = []
    for n in range(105):
        if n % MESSAGES_PER_WINDOW == 0:
            clock.advance(seconds=61)
        ids.append(say(site, chat, token, f"Message {n}")["id"])
    first = read(site, chat, token)["items"]
    assert [m["id"] for m in first] == ids[:100]
    assert [m["id"] for m in read(site, chat, token, after=ids[99])["items"]] == ids[100:]


def test_a_visitor_cannot_read_another_visitors_conversation(
    app: Litestar, admin: Client, site: Client, chat: dict[str, Any]
) -> None:
    grace = join(site, chat, name="Grace")
    say(site, chat, grace, "My card number is private")
    theirs = conversation_of(admin)
    mallory = join(site, chat, name="Mallory")
    say(site, chat, mallory, "hello")
    for attempt in (
        site.get(
            url(chat, "messages"), params={"conversation_id": theirs["id"]}, headers=bearer(mallory)
        ),
        site.get(
            url(chat, "messages"), params={"after": 0, "id": theirs["id"]}, headers=bearer(mallory)
        ),
    ):
        assert attempt.status_code == 200
        assert [m["body"] for m in attempt.json()["items"]] == ["hello"]
    for path in (
        f"conversations/{theirs['id']}/messages",
        f"conversations/{theirs['id']}",
        f"messages/{theirs['last_message']['id']}",
    ):
        assert site.get(url(chat, path), headers=bearer(mallory)).status_code in (404, 405)


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"body": ""}, 400, "body"),
        ({"body": "   \n "}, 400, "body"),
        ({"body": "x" * 5001}, 400, "body"),
        ({"body": 42}, 400, "body"),
        ({}, 400, "body"),
        ({"body": "hi", "conversation_id": 1}, 400, "conversation_id"),
        ([], 400, None),
    ],
)
def test_a_bad_message_is_refused_and_nothing_is_written(
    app: Litestar,
    site: Client,
    chat: dict[str, Any],
    body: Any,
    status: int,
    field: str | None,
) -> None:
    token = join(site, chat)
    before = snapshot(app)
    response = site.post(url(chat, "messages"), json=body, headers=bearer(token))
    assert response.status_code == status, response.text
    assert response.json().get("field") == field
    assert snapshot(app) == before


def test_the_longest_message_is_5000_characters(site: Client, chat: dict[str, Any]) -> None:
    assert len(say(site, chat, join(site, chat), "y" * 5000)["body"]) == 5000


def test_a_huge_or_non_json_body_is_refused(
    app: Litestar, site: Client, chat: dict[str, Any]
) -> None:
    token = join(site, chat)
    before = snapshot(app)
    huge = b'{"body": "' + b"x" * (1024 * 1024) + b'"}'
    headers = {**bearer(token), "Content-Type": "application/json"}
    assert site.post(url(chat, "messages"), content=huge, headers=headers).status_code == 413
    plain = {**bearer(token), "Content-Type": "text/plain"}
    assert site.post(url(chat, "messages"), content=b"hi", headers=plain).status_code == 400
    assert site.post(url(chat, "messages"), content=b"{", headers=headers).status_code == 400
    assert snapshot(app) == before


# -- who may ask ----------------------------------------------------------------------------------


def test_wrong_missing_or_foreign_visitor_tokens_get_401(
    app: Litestar, admin: Client, site: Client, chat: dict[str, Any]
) -> None:
    other = admin.post(
        "/api/channels",
        json={"name": "Other site", "type": "web_chat", "config": {"allowed_origins": [SHOP]}},
    ).json()
    foreign = join(site, other)  # a real visitor, of another channel
    say(site, other, foreign, "I live elsewhere")
    before = snapshot(app)
    for headers in (
        {},
        bearer("not-a-token"),
        bearer(foreign),
        {"Authorization": foreign},
        {"Authorization": f"Basic {foreign}"},
        bearer("x" * 5000),
    ):
        for method, path in (("GET", "messages"), ("POST", "messages"), ("GET", "events")):
            response = site.request(method, url(chat, path), json={"body": "hi"}, headers=headers)
            assert response.status_code == 401, (headers, path)
            assert response.headers["access-control-allow-origin"] == SHOP  # readable by the widget
    assert snapshot(app) == before


def test_unknown_inactive_deleted_or_non_chat_channels_are_404(
    app: Litestar, admin: Client, site: Client, chat: dict[str, Any], api: dict[str, Any]
) -> None:
    token = join(site, chat)
    say(site, chat, token, "Before the switch-off")
    admin.patch(f"/api/channels/{chat['id']}", json={"active": False}).raise_for_status()
    before = snapshot(app)
    hook = {"config": {"public_token": api["config"]["inbound_url"].split("/")[2]}}
    for channel in (chat, {"config": {"public_token": "nope"}}, hook):
        for method, path in (
            ("GET", "config"),
            ("POST", "visitors"),
            ("POST", "messages"),
            ("GET", "messages"),
            ("GET", "events"),
            ("OPTIONS", "messages"),
        ):
            response = site.request(
                method, url(channel, path), json={"body": "x"}, headers=bearer(token)
            )
            assert response.status_code == 404, (channel, path)
            assert "error" in response.json()
    assert snapshot(app) == before
    admin.patch(f"/api/channels/{chat['id']}", json={"active": True}).raise_for_status()
    assert len(read(site, chat, token)["items"]) == 1  # switched on again: the visitor is back


def test_errors_come_in_the_order_404_403_401_429_400(
    app: Litestar, site: Client, chat: dict[str, Any], clock: FakeClock
) -> None:
    token = join(site, chat)
    for n in range(MESSAGES_PER_WINDOW):
        say(site, chat, token, f"m{n}")
    evil = {"Origin": "https://evil.example"}
    bad_body: dict[str, Any] = {"body": ""}
    cases = [
        ("nope", {**evil}, 404),
        (chat["config"]["public_token"], {**evil, **bearer(token)}, 403),
        (chat["config"]["public_token"], {**bearer("wrong")}, 401),
        (chat["config"]["public_token"], {**bearer(token)}, 429),
    ]
    for public_token, headers, status in cases:
        response = site.post(f"/widget/{public_token}/messages", json=bad_body, headers=headers)
        assert response.status_code == status, response.text
    clock.advance(seconds=61)
    response = site.post(url(chat, "messages"), json=bad_body, headers=bearer(token))
    assert response.status_code == 400


def test_30_messages_a_minute_per_visitor_then_429_with_retry_after(
    app: Litestar, site: Client, chat: dict[str, Any], clock: FakeClock
) -> None:
    token, other = join(site, chat), join(site, chat)
    for n in range(MESSAGES_PER_WINDOW):
        say(site, chat, token, f"m{n}")
        clock.advance(seconds=1)
    before = snapshot(app)
    refused = site.post(url(chat, "messages"), json={"body": "one more"}, headers=bearer(token))
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "30"  # the oldest of the 30 leaves the window then
    assert refused.headers["access-control-expose-headers"] == "Retry-After"
    assert snapshot(app) == before
    say(site, chat, other, "another visitor is not held up")
    clock.advance(seconds=30)
    say(site, chat, token, "and after the wait")


def test_10_new_visitors_a_minute_per_address_then_429(
    app: Litestar, site: Client, chat: dict[str, Any], clock: FakeClock
) -> None:
    for _ in range(VISITORS_PER_WINDOW):
        join(site, chat)
    before = snapshot(app)
    refused = site.post(url(chat, "visitors"), json={})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) == 60
    assert snapshot(app) == before
    clock.advance(seconds=60)
    join(site, chat)


def test_erasing_the_contact_ends_the_visitor(
    app: Litestar, admin: Client, site: Client, chat: dict[str, Any]
) -> None:
    token = join(site, chat, email="grace@example.com")
    say(site, chat, token, "Please forget me")
    contact = conversation_of(admin)["contact"]
    admin.delete(f"/api/contacts/{contact['id']}").raise_for_status()
    assert snapshot(app) == (0, 0, 0, 0)
    response = site.get(url(chat, "messages"), headers=bearer(token))
    assert response.status_code == 401


def test_visitors_who_never_wrote_are_forgotten_after_a_week_unseen(
    app: Litestar, site: Client, chat: dict[str, Any], clock: FakeClock
) -> None:
    desk: Desk = app.state.desk
    silent = join(site, chat, name="Window shopper", email="shopper@example.com")
    talker = join(site, chat)
    say(site, chat, talker, "Hello")
    clock.advance(days=6, hours=23)
    assert forget_silent_visitors(desk) == 0
    clock.advance(hours=2)
    assert forget_silent_visitors(desk) == 1
    assert site.get(url(chat, "messages"), headers=bearer(silent)).status_code == 401
    assert read(site, chat, talker)["items"][0]["body"] == "Hello"  # who wrote stays
