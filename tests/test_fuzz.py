"""Bad input gets a clear `{"error": ...}` and loses nothing; no input is ever a 500.

Two parts:
- a property-based walk over the app's own OpenAPI document (schemathesis generates valid and
  invalid requests for every operation, derandomized so CI sees the same cases every run),
  signed in as an admin, against ids that exist;
- table-driven cases per resource: wrong types, unknown fields, empty/`null`/array bodies, huge
  strings, bodies over 1 MiB, unknown/negative/past-2^63 ids, another role's session, no
  session, a foreign Origin, a non-JSON content type; after each rejected write the resource is
  read again and must be unchanged.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from hypothesis.errors import Unsatisfiable
from litestar import Litestar
from litestar.testing import TestClient
from schemathesis import checks as st_checks
from schemathesis.generation import GenerationMode

from desk.app import create_app
from desk.config import Settings
from tests.conftest import ADMIN, AGENT, CHEAP, TEST_HOST, new_client
from tests.servers import start_desk

ORIGIN = "http://testserver.local"  # the TestClient's own origin: same-origin writes pass
MIB = 1024 * 1024
BIG = 2**63  # one past SQLite's largest integer
# Per operation and generation mode: about 1,600 requests in all. DESK_FUZZ_EXAMPLES=500 for a
# longer hunt (the same derandomized cases first, then more).
EXAMPLES = int(os.environ.get("DESK_FUZZ_EXAMPLES", "20"))
Client = TestClient[Litestar]


def _openapi_document() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_dir=Path(tmp),
            password_cost=CHEAP,
            background_tasks=False,
            allow_hosts=(TEST_HOST,),
        )
        app = create_app(settings)
        with new_client(app) as client:  # the document as served, not Litestar's objects
            return dict(client.get("/api/schema/openapi.json").json())


DOCUMENT = _openapi_document()
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT)
# Streams never end (tested against a real server below and in test_widget_live); logout ends
# the walk's own session.
SKIPPED = {
    ("GET", "/api/events"),
    ("GET", "/widget/{public_token}/events"),
    ("POST", "/api/auth/logout"),
}
OPERATIONS = [
    op
    for op in (result.ok() for result in SCHEMA.get_all_operations())
    if (op.method.upper(), op.path) not in SKIPPED
]
CHECKS = [
    st_checks.not_a_server_error,
    st_checks.status_code_conformance,
    st_checks.content_type_conformance,
    st_checks.response_schema_conformance,
]


def assert_error_shape(response: httpx.Response, where: object = "") -> None:
    """Every 4xx body is exactly {"error": str, "code": str}, with "field": str when known."""
    assert response.status_code < 500, (where, response.status_code, response.text)
    if response.status_code < 400:
        return
    body = response.json()
    assert isinstance(body, dict) and set(body) in (
        {"error", "code"},
        {"error", "field", "code"},
    ), (
        where,
        body,
    )
    assert isinstance(body["code"], str) and body["code"], (where, body)
    assert isinstance(body["error"], str) and body["error"], (where, body)
    assert isinstance(body.get("field", ""), str), (where, body)
    assert isinstance(body.get("code", ""), str), (where, body)
    assert "Traceback" not in body["error"] and "sqlite" not in body["error"].lower(), body


@dataclass
class World:
    """What the seeded workspace holds: ids to aim at, and the hook's token."""

    app: Litestar
    admin: Client
    agent: Client
    anonymous: Client
    ids: dict[str, Any]


def _created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    return dict(response.json())


def seed(admin: Client) -> dict[str, Any]:
    hook = _created(admin.post("/api/channels", json={"name": "Shop", "type": "api", "config": {}}))
    conversation = _created(
        admin.post(
            "/api/conversations",
            json={
                "channel_id": hook["id"],
                "contact": {"name": "Grace Hopper", "email": "grace@example.com"},
                "subject": "Refund",
                "message": "Where is my refund?",
                "tags": ["billing"],
            },
        )
    )
    automation = _created(
        admin.post(
            "/api/automations",
            json={
                "name": "Billing",
                "event": "message_received",
                "conditions": [],
                "actions": [{"type": "add_tag", "value": "billing"}],
            },
        )
    )
    agent = _created(admin.post("/api/agents", json={**AGENT, "role": "agent"}))
    chat = _created(
        admin.post(
            "/api/channels",
            json={"name": "Site", "type": "web_chat", "config": {"allowed_origins": [ORIGIN]}},
        )
    )
    public_token = chat["config"]["public_token"]
    visitor = admin.post(f"/widget/{public_token}/visitors", json={}).json()["visitor_token"]
    messages = admin.get(f"/api/conversations/{conversation['id']}/messages").json()["items"]
    canned = _created(
        admin.post(
            "/api/canned-replies",
            json={"title": "Refund", "shortcut": "refund", "body": "Hello {{contact.name}}"},
        )
    )
    views = [
        _created(admin.post("/api/views", json={"name": name, "filters": filters}))
        for name, filters in (
            ("Urgent", {"priority": "urgent"}),
            ("Waiting", {"status": "pending"}),
        )
    ]
    return {
        "view_id": views[0]["id"],
        "other_view_id": views[1]["id"],
        "reply_id": canned["id"],
        "channel_id": hook["id"],
        "token": hook["config"]["inbound_url"].split("/")[2],
        "public_token": public_token,
        "visitor_token": visitor,
        "conversation_id": conversation["id"],
        "contact_id": conversation["contact"]["id"],
        "automation_id": automation["id"],
        "agent_id": agent["id"],
        "message_id": messages[0]["id"],
        "tag": "billing",
    }


@pytest.fixture
def world(app: Litestar, admin: Client) -> Iterator[World]:
    ids = seed(admin)
    admin.headers["origin"] = ORIGIN
    # The widget's routes know a visitor by this header; /api/ ignores it.
    admin.headers["authorization"] = f"Bearer {ids['visitor_token']}"
    agent = new_client(app)
    response = agent.post("/api/auth/login", json={"email": AGENT["email"], **_pw(AGENT)})
    assert response.status_code == 200, response.text
    yield World(app=app, admin=admin, agent=agent, anonymous=new_client(app), ids=ids)


def _pw(who: dict[str, str]) -> dict[str, str]:
    return {"password": who["password"]}


# --- the property-based walk -------------------------------------------------------------


def _send(client: Client, case: Any) -> httpx.Response:
    kwargs = case.as_transport_kwargs(base_url=ORIGIN)
    headers = {
        k: v
        for k, v in (kwargs.get("headers") or {}).items()
        if k.lower() not in ("cookie", "origin", "host", "content-length")
    }
    body: dict[str, Any] = {}
    if "json" in kwargs:
        body["json"] = kwargs["json"]
    elif kwargs.get("data") is not None:
        data = kwargs["data"]
        body["content"] = data.encode() if isinstance(data, str) else data
    return client.request(
        kwargs["method"], kwargs["url"], headers=headers, params=kwargs.get("params"), **body
    )


@pytest.mark.slow
@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.label for op in OPERATIONS])
def test_the_schema_walk_never_fails_and_always_answers_in_shape(
    world: World, operation: Any
) -> None:
    path_ids = {
        name: world.ids[name]
        for name in ("agent_id", "automation_id", "channel_id", "contact_id", "conversation_id")
        if "{" + name + "}" in operation.path
    }
    for name in ("message_id", "token", "public_token", "tag", "reply_id"):
        if "{" + name + "}" in operation.path:
            path_ids[name] = world.ids[name]
    ran = 0
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

        @hsettings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_ids))
        def walk(case: Any) -> None:
            response = _send(world.admin, case)
            assert_error_shape(response, case.as_curl_command())
            case.validate_response(response, checks=CHECKS)

        try:
            walk()
            ran += 1
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE  # nothing to get wrong (no parameters)
    assert ran >= 1
    # The walk really ran signed in: the admin's session survived it.
    assert world.admin.get("/api/auth/me").status_code == 200


# --- table-driven cases per resource ------------------------------------------------------

Body = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Write:
    """One state-changing route, a valid body for it, and where to look for its effect."""

    method: str
    path: str  # `{name}` placeholders are filled from the seeded ids
    body: Body | None  # None: the route takes no body
    # GETs whose answers a rejected write must leave unchanged (SIGN_IN: whether the admin's
    # password still signs in, which no GET shows)
    snapshot: tuple[str, ...]
    text_field: str | None = None  # a string field to send wrong types and huge values in
    id_field: str | None = None  # a body field that names another resource by id
    unknown_id_status: int = 404  # what naming an id that does not exist answers
    admin: bool = False
    public: bool = False
    valid_status: int | None = None  # what the valid request answers (default: 200/201)

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


CONVERSATION = "/api/conversations/{conversation_id}"
SIGN_IN = "/api/auth/login"
CONVERSATION_SNAP = (
    "/api/conversations?status=all&per_page=100",
    CONVERSATION,
    CONVERSATION + "/messages?per_page=100",
)
CONTACT_SNAP = ("/api/contacts?per_page=100", "/api/contacts/{contact_id}")
VIEW_SNAP = ("/api/views?per_page=100", "/api/views/{view_id}", "/api/conversations/counts")
WRITES = [
    Write(
        "POST",
        "/api/views",
        lambda i: {"name": "Billing", "filters": {"tag": "billing"}, "shared": True},
        VIEW_SNAP,
        "name",
    ),
    Write("PATCH", "/api/views/{view_id}", lambda i: {"name": "Renamed"}, VIEW_SNAP, "name"),
    Write("DELETE", "/api/views/{view_id}", None, VIEW_SNAP),
    Write(
        "POST",
        "/api/views/order",
        lambda i: {"ids": [i["other_view_id"], i["view_id"]]},
        VIEW_SNAP,
    ),
    Write("POST", "/api/contacts", lambda i: {"name": "Ada Lovelace"}, CONTACT_SNAP, "name"),
    Write(
        "PATCH", "/api/contacts/{contact_id}", lambda i: {"name": "G. Hopper"}, CONTACT_SNAP, "name"
    ),
    Write("DELETE", "/api/contacts/{contact_id}", None, CONTACT_SNAP, admin=True),
    Write(
        "POST",
        "/api/conversations",
        lambda i: {"channel_id": i["channel_id"], "contact_id": i["contact_id"], "subject": "Hi"},
        CONVERSATION_SNAP,
        "subject",
        id_field="channel_id",
    ),
    Write(
        "POST",
        CONVERSATION + "/status",
        lambda i: {"status": "pending"},
        CONVERSATION_SNAP,
        "status",
    ),
    Write("POST", CONVERSATION + "/tags", lambda i: {"tag": "vip"}, CONVERSATION_SNAP, "tag"),
    Write("DELETE", CONVERSATION + "/tags/{tag}", None, CONVERSATION_SNAP),
    Write(
        "POST",
        CONVERSATION + "/assign",
        lambda i: {"agent_id": i["agent_id"]},
        CONVERSATION_SNAP,
        id_field="agent_id",
    ),
    Write(
        "POST",
        CONVERSATION + "/priority",
        lambda i: {"priority": "high"},
        CONVERSATION_SNAP,
        "priority",
    ),
    Write(
        "POST",
        CONVERSATION + "/messages",
        lambda i: {"body": "It is on its way.", "type": "note"},
        CONVERSATION_SNAP,
        "body",
    ),
    Write("POST", "/api/messages/{message_id}/retry", None, CONVERSATION_SNAP, valid_status=409),
    Write(
        "POST",
        "/hooks/{token}/messages",
        lambda i: {"contact": {"email": "lin@example.com"}, "body": "Hello?", "thread_id": "t-1"},
        CONVERSATION_SNAP,
        "body",
        public=True,
    ),
    Write(
        "POST",
        "/api/channels",
        lambda i: {"name": "Phone", "type": "phone", "config": {}},
        ("/api/channels",),
        "name",
        admin=True,
    ),
    Write(
        "PATCH",
        "/api/channels/{channel_id}",
        lambda i: {"name": "Shop 2"},
        ("/api/channels",),
        "name",
        admin=True,
    ),
    Write(
        "DELETE",
        "/api/channels/{channel_id}",
        None,
        ("/api/channels",),
        admin=True,
        valid_status=409,
    ),
    Write(
        "POST",
        "/api/agents",
        lambda i: {"name": "Lin", "email": "lin@example.com", "password": "long enough"},
        ("/api/agents",),
        "name",
        admin=True,
    ),
    Write(
        "POST",
        "/api/agents/{agent_id}/role",
        lambda i: {"role": "admin"},
        ("/api/agents",),
        "role",
        admin=True,
    ),
    Write("DELETE", "/api/agents/{agent_id}", None, ("/api/agents",), admin=True),
    Write(
        "POST",
        "/api/automations",
        lambda i: {
            "name": "Assign",
            "event": "conversation_created",
            "conditions": [],
            "actions": [{"type": "assign_agent", "value": i["agent_id"]}],
        },
        ("/api/automations",),
        "name",
        admin=True,
    ),
    Write(
        "POST", "/api/automations/{automation_id}/toggle", None, ("/api/automations",), admin=True
    ),
    Write("DELETE", "/api/automations/{automation_id}", None, ("/api/automations",), admin=True),
    Write(
        "POST",
        "/api/settings/workspace",
        lambda i: {"name": "Acme 2", "timezone": "Europe/Berlin"},
        ("/api/settings/workspace",),
        "timezone",
        admin=True,
    ),
    Write(
        "POST",
        "/api/settings/language",
        lambda ids: {"language": "de"},
        ("/api/auth/me",),
        "language",
    ),
    Write(
        "POST",
        "/api/settings/password",
        lambda i: {"current_password": ADMIN["password"], "new_password": "a new passphrase"},
        (SIGN_IN,),
        "new_password",
    ),
]

JSON = {"content-type": "application/json"}
PATH_IDS = ("999999", str(BIG), str(2**64), "-1", "0", "9" * 25)


def _cases(
    write: Write, ids: dict[str, Any]
) -> Iterator[tuple[str, str, str, dict[str, Any], int]]:
    """(what, client, path, request kwargs, expected status) for everything wrong with `write`."""
    path = write.path.format(**ids)
    valid = write.body(ids) if write.body else None
    body = {"json": valid} if valid is not None else {}
    if not write.public:
        yield "no session", "anonymous", path, body, 401
        yield (
            "foreign origin",
            "admin",
            path,
            {**body, "headers": {"origin": "http://evil.test"}},
            403,
        )
    if write.admin:
        yield "an agent's session", "agent", path, body, 403
    for name in (
        "conversation_id",
        "contact_id",
        "channel_id",
        "agent_id",
        "automation_id",
        "message_id",
        "token",
    ):
        if "{" + name + "}" in write.path:
            for bad in PATH_IDS:
                wrong = write.path.format(**{**ids, name: bad})
                yield f"path {name}={bad[:30]}", "admin", wrong, body, 404
    big = {"content": b'{"x": "' + b"x" * (MIB + 16) + b'"}', "headers": JSON}
    yield "a body over 1 MiB", "admin", path, big, 413
    yield (
        "a text/plain body",
        "admin",
        path,
        {"content": b"{}", "headers": {"content-type": "text/plain"}},
        400,
    )
    if valid is None:  # takes no body: none or `{}` (API.md), never one that is ignored
        for content in (b'{"active": false}', b"[]", b"null", b'"x"', b"{", b"{} {}"):
            yield (
                f"body {content[:20]!r}",
                "admin",
                path,
                {"content": content, "headers": JSON},
                400,
            )
        return
    raw: list[tuple[str, bytes]] = [
        ("an empty body", b""),
        ("a null body", b"null"),
        ("an array body", b"[]"),
        ("a string body", b'"text"'),
        ("a number past 2^63 as the body", str(2**64).encode()),
        ("malformed JSON", b'{"name": '),
    ]
    for what, content in raw:
        yield what, "admin", path, {"content": content, "headers": JSON}, 400
    yield "an unknown field", "admin", path, {"json": {**valid, "zz_unknown": 1}}, 400
    yield "a form body", "admin", path, {"data": {"name": "x"}}, 400
    for field in (write.text_field, write.id_field):
        if field is None:
            continue
        for what, value in (
            ("a number", 12345),
            ("a list", ["x"]),
            ("an object", {"a": 1}),
            ("a boolean", True),
            ("a float", 1.5),
        ):
            if field == write.id_field and what == "a number":
                continue  # a number is an id: see the unknown id below
            yield f"{field} as {what}", "admin", path, {"json": {**valid, field: value}}, 400
    if write.text_field:
        huge = {**valid, write.text_field: "x" * 100_000}
        yield f"a huge {write.text_field}", "admin", path, {"json": huge}, 400
        over = {**valid, write.text_field: "x" * (MIB + 16)}
        yield f"{write.text_field} over 1 MiB", "admin", path, {"json": over}, 413
    if write.id_field:
        for bad_id in (BIG, 2**64, -1, 0):
            yield (
                f"{write.id_field}={bad_id}",
                "admin",
                path,
                {"json": {**valid, write.id_field: bad_id}},
                400,
            )
        unknown = {**valid, write.id_field: 999_999}
        yield f"unknown {write.id_field}", "admin", path, {"json": unknown}, write.unknown_id_status


def _snapshot(world: World, write: Write) -> list[Any]:
    answers = []
    for path in write.snapshot:
        if path == SIGN_IN:  # a fresh client: the admin's own session must stay as it is
            credentials = {"email": ADMIN["email"], "password": ADMIN["password"]}
            answers.append((new_client(world.app).post(path, json=credentials).status_code, None))
            continue
        response = world.admin.get(path.format(**world.ids))
        answers.append((response.status_code, response.json()))
    return answers


@pytest.mark.parametrize("write", WRITES, ids=[w.label for w in WRITES])
def test_every_rejected_write_answers_in_shape_and_loses_nothing(
    world: World, write: Write
) -> None:
    _snapshot(world, write)  # the first read of a conversation resets its unread count
    before = _snapshot(world, write)
    assert all(status == 200 for status, _ in before)
    clients = {"admin": world.admin, "agent": world.agent, "anonymous": world.anonymous}
    checked = 0
    for what, who, path, kwargs, status in _cases(write, world.ids):
        response = clients[who].request(write.method, path, **kwargs)
        where = (write.label, what)
        assert_error_shape(response, where)
        assert response.status_code == status, (where, response.text)
        assert _snapshot(world, write) == before, ("changed by", where)
        checked += 1
    assert checked >= 8
    # The same route with the valid request works (so the cases above were refused for cause).
    valid = {"json": write.body(world.ids) if write.body else {}}
    path = write.path.format(**world.ids)
    response = world.admin.request(write.method, path, **valid)
    expected = write.valid_status or (
        201 if write.method == "POST" and response.status_code == 201 else 200
    )
    assert response.status_code == expected, response.text
    if write.valid_status is None:
        assert _snapshot(world, write) != before, "the valid request changed nothing"


# --- query parameters, headers and the event stream --------------------------------------


def _query_params(operation: dict[str, Any]) -> Iterator[tuple[str, set[str], list[Any]]]:
    for param in operation.get("parameters", []):
        if param["in"] != "query":
            continue
        schema = param["schema"]
        kinds = {schema["type"]} if isinstance(schema.get("type"), str) else set()
        kinds |= {s.get("type") for s in schema.get("oneOf", [])} | set(
            schema.get("type") if isinstance(schema.get("type"), list) else []
        )
        yield param["name"], kinds - {None, "null"}, [e for e in schema.get("enum", []) if e]


LISTS = [
    (path, ops["get"])
    for path, ops in DOCUMENT["paths"].items()
    if "get" in ops
    and path != "/api/events"
    and any(p["in"] == "query" for p in ops["get"].get("parameters", []))
]


@pytest.mark.parametrize("path, operation", LISTS, ids=[p for p, _ in LISTS])
def test_query_parameters_of_the_wrong_type_answer_400(
    world: World, path: str, operation: dict[str, Any]
) -> None:
    url = re.sub(r"\{(\w+)\}", lambda m: str(world.ids[m.group(1)]), path)
    checked = 0
    for name, kinds, enum in _query_params(operation):
        wrong: list[tuple[str, int | None]] = [("x" * 5000, None), ("\x00", None), ("", None)]
        wrong += [("refund\x00x", None), ("#n\x99\n\x10\U000fa8bd\x00\x0bd", None)]
        if "integer" in kinds:
            wrong += [("abc", 400), ("1.5", 400), ("0x10", 400), ("1_0", 400), ("9" * 25, None)]
        if "boolean" in kinds:
            wrong += [("maybe", 400)]
        if enum:
            wrong += [("zzz", 400), (str(enum[0]).upper() + "!", 400)]
        for value, status in wrong:
            response = world.admin.get(url, params={name: value})
            assert_error_shape(response, (path, name, value[:40]))
            if status is not None:
                assert response.status_code == status, (path, name, value, response.text)
                assert response.json().get("field") == name, response.json()
            checked += 1
    if "page" in json.dumps(operation):
        for params in ({"page": 0}, {"page": -1}, {"per_page": 0}, {"per_page": 101}):
            response = world.admin.get(url, params=params)
            assert response.status_code == 400, (path, params, response.text)
            assert_error_shape(response)
        far = world.admin.get(url, params={"page": "9" * 25})
        assert far.status_code == 200 and far.json()["items"] == [], far.text
    assert checked


@pytest.mark.parametrize(
    "query, status",
    [
        ("conversation_id=" + "9" * 25, 400),
        ("conversation_id=" + str(BIG), 400),
        ("conversation_id=abc", 400),
        ("conversation_id=-1", 400),
        ("conversation_id=0", 400),
        ("conversation_id=", 400),
        ("", 400),
        ("conversation_id=999999", 404),
    ],
)
def test_ai_suggest_with_a_strange_conversation_id(world: World, query: str, status: int) -> None:
    response = world.admin.get("/api/ai-suggest?" + query)
    assert_error_shape(response, query)
    assert response.status_code == status, response.text


@pytest.mark.parametrize(
    "header, value",
    [
        ("origin", "http://[::1"),
        ("origin", "http://testserver.local:99999"),
        ("origin", "null"),
        ("host", "[::1"),
    ],
)
def test_a_malformed_origin_is_a_foreign_origin_and_a_malformed_host_a_bad_request(
    world: World, header: str, value: str
) -> None:
    before = world.admin.get("/api/contacts").json()
    headers = {"origin": "http://elsewhere.test", header: value}
    response = world.admin.post("/api/contacts", json={"name": "Lin"}, headers=headers)
    # A Host that names none of the server's own is refused before anything else (API.md).
    assert response.status_code == (400 if header == "host" else 403), response.text
    assert_error_shape(response)
    assert world.admin.get("/api/contacts").json() == before


def test_a_host_with_an_impossible_port_is_a_bad_request(world: World) -> None:
    for (method, path), host in itertools.product(
        (("POST", "/api/auth/login"), ("GET", "/api/channels")),
        ("testserver.local:99999", "a:b:c"),
    ):
        headers = {"host": host}
        body = {"email": ADMIN["email"], "password": ADMIN["password"]}
        response = world.admin.request(
            method, path, json=body if method == "POST" else None, headers=headers
        )
        assert response.status_code == 400, (path, response.text)
        assert_error_shape(response)


@pytest.mark.parametrize(
    "config",
    [
        {"type": "api", "config": {"webhook_url": "http://[::1"}},
        {"type": "api", "config": {"webhook_url": "http://shop.test:99999/hook"}},
        {"type": "web_chat", "config": {"allowed_origins": ["https://[::1"]}},
        {"type": "web_chat", "config": {"allowed_origins": ["https://shop.test:70000"]}},
    ],
)
def test_a_malformed_url_in_a_channel_config_is_a_400_naming_it(
    world: World, config: dict[str, Any]
) -> None:
    before = world.admin.get("/api/channels").json()
    response = world.admin.post("/api/channels", json={"name": "Bad", **config})
    assert response.status_code == 400, response.text
    assert response.json()["field"].startswith("config.")
    patch = world.admin.patch(
        f"/api/channels/{world.ids['channel_id']}",
        json={"config": config["config"]} if config["type"] == "api" else {"name": ""},
    )
    assert patch.status_code == 400, patch.text
    assert world.admin.get("/api/channels").json() == before


def test_the_event_stream_refuses_a_last_event_id_query_that_is_no_number(world: World) -> None:
    response = world.admin.get("/api/events", params={"last_event_id": "abc"})
    assert response.status_code == 400
    assert_error_shape(response)


@pytest.mark.slow
def test_the_event_stream_ignores_a_last_event_id_header_that_is_no_number(
    tmp_path: Path,
) -> None:
    server = start_desk(tmp_path / "data")
    try:
        client = server.client()
        setup = client.post(
            "/api/setup",
            json={"workspace_name": "A", "name": "Ada", "email": ADMIN["email"], **_pw(ADMIN)},
        )
        assert setup.status_code == 201, setup.text
        for value in (b"abc", b"\xb2", b"\xd9\xa1", b"-1", b"9" * 25, b"1.5", b""):
            with client.stream("GET", "/api/events", headers={"last-event-id": value}) as stream:
                assert stream.status_code == 200, (value, stream.read())
                assert stream.headers["content-type"].startswith("text/event-stream")
                assert any(line == ": connected" for line in _first_lines(stream)), value
    finally:
        server.stop()


def _first_lines(stream: httpx.Response, count: int = 3) -> Iterator[str]:
    for number, line in enumerate(stream.iter_lines()):
        yield line
        if number + 1 >= count:
            return


@pytest.mark.parametrize(
    "content", [b"{", b"   ", b'{"name": 1e999}', b'{"name": "\\ud800"}', b"\xff"]
)
def test_a_body_that_is_not_json_says_so(world: World, content: bytes) -> None:
    response = world.admin.post("/api/contacts", content=content, headers=JSON)
    assert response.status_code == 400
    assert response.json() == {
        "error": "The request body is not valid JSON.",
        "code": "invalid_json",
    }


@pytest.mark.parametrize("until", ["9999-12-31T23:00:00Z", "9999-12-31T23:59:59-01:00"])
def test_a_snooze_near_the_end_of_time_is_a_400_not_an_overflow(world: World, until: str) -> None:
    zone = world.admin.post("/api/settings/workspace", json={"timezone": "Pacific/Kiritimati"})
    assert zone.status_code == 200
    path = f"/api/conversations/{world.ids['conversation_id']}"
    before = world.admin.get(path).json()
    response = world.admin.post(
        path + "/status", json={"status": "snoozed", "snoozed_until": until}
    )
    assert response.status_code == 400, response.text
    assert response.json()["field"] == "snoozed_until"
    assert world.admin.get(path).json() == before


EMAIL_CONFIG = {
    "imap_host": "imap.example.com",
    "imap_port": 993,
    "smtp_host": "smtp.example.com",
    "smtp_port": 587,
    "from_address": "help@example.com",
}


@pytest.mark.parametrize(
    "field, value",
    [
        ("from_name", "Acme\r\nBcc: everyone@example.com"),
        ("imap_user", "help\r\nA2 DELETE INBOX"),
        ("imap_folder", "INBOX\nA3 LOGOUT"),
        ("smtp_user", "help\x00"),
        ("imap_password", "sec\r\nret"),
    ],
)
def test_a_line_break_in_an_email_setting_is_a_400_naming_it(
    world: World, field: str, value: str
) -> None:
    config = {**EMAIL_CONFIG, field: value}
    response = world.admin.post(
        "/api/channels", json={"name": "Mail", "type": "email", "config": config}
    )
    assert response.status_code == 400, response.text
    assert response.json()["field"] == f"config.{field}"
    ok = world.admin.post(
        "/api/channels", json={"name": "Mail", "type": "email", "config": EMAIL_CONFIG}
    )
    assert ok.status_code == 201, ok.text


@pytest.mark.parametrize("length, status", [("-1", 400), ("1e3", 400), (str(2**64), 413)])
def test_a_content_length_that_is_no_size_is_refused(
    world: World, length: str, status: int
) -> None:
    before = world.admin.get("/api/contacts").json()
    headers = {**JSON, "content-length": length}
    response = world.admin.post("/api/contacts", content=b'{"name": "Lin"}', headers=headers)
    assert response.status_code == status, response.text
    assert_error_shape(response)
    assert world.admin.get("/api/contacts").json() == before


def test_a_nul_in_the_inbox_search_separates_words(world: World) -> None:
    found = world.admin.get("/api/conversations", params={"search": "where\x00refund"})
    assert found.status_code == 200, found.text
    assert [c["id"] for c in found.json()["items"]] == [world.ids["conversation_id"]]


def test_the_openapi_document_lets_a_whole_number_be_a_number(world: World) -> None:
    """`int | float` as oneOf [integer, number] would make every integer invalid."""
    text = json.dumps(DOCUMENT)
    assert '"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "number"}' not in text
    made = world.admin.post("/api/contacts", json={"name": "Lin", "custom_attributes": {"k": 0}})
    schema = DOCUMENT["components"]["schemas"]["Contact"]["properties"]["custom_attributes"]
    branches = schema["additionalProperties"]["anyOf"]
    assert made.json()["custom_attributes"] == {"k": 0}
    assert sum(b["type"] in ("integer", "number") for b in branches) == 2
