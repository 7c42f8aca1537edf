"""Every route's guards and every error's shape: `{"error": "..."}` and nothing else."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar, get
from litestar.routes import HTTPRoute
from litestar.testing import TestClient

from desk.api.access import Access, RouteAccessError, access, check_hook, check_routes
from desk.app import create_app
from desk.config import Settings
from tests.conftest import assert_error, new_client


def _concrete(path: str) -> str:
    def fill(match: re.Match[str]) -> str:
        kind = match.group(2)
        return "1" if kind == "int" else "x"

    return re.sub(r"\{(\w+):(\w+)\}", fill, path)


def api_routes(app: Litestar) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(method, concrete path, opt) of every /api/ route the app serves, schema excluded."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or not route.path.startswith("/api/"):
            continue
        if route.path.startswith("/api/schema"):
            continue
        for handler in route.route_handlers:
            for method in sorted(handler.http_methods):
                if method in ("HEAD", "OPTIONS"):
                    continue
                yield method, _concrete(route.path), handler.opt


def _routes_for(settings_factory: Any) -> list[tuple[str, str, dict[str, Any]]]:
    return list(api_routes(settings_factory))


def test_every_api_route_without_a_session_answers_401(
    app: Litestar, client: TestClient[Litestar]
) -> None:
    checked = 0
    for method, path, opt in api_routes(app):
        if opt.get("public"):
            continue
        response = client.request(method, path, json={} if method != "GET" else None)
        assert response.status_code == 401, (method, path, response.text)
        assert response.json() == {"error": "Sign in first.", "code": "unauthorized"}, (
            method,
            path,
        )
        checked += 1
    assert checked >= 8  # the route table is really being walked


def test_every_admin_route_answers_403_to_an_agent(
    app: Litestar, agent: TestClient[Litestar]
) -> None:
    checked = 0
    for method, path, opt in api_routes(app):
        if not opt.get("admin"):
            continue
        response = agent.request(method, path, json={} if method != "GET" else None)
        assert response.status_code == 403, (method, path, response.text)
        assert response.json() == {"error": "Only an admin can do this.", "code": "admins_only"}
        checked += 1
    assert checked >= 5


def test_public_routes_are_exactly_those_api_md_names(app: Litestar) -> None:
    public = {(m, p) for m, p, opt in api_routes(app) if opt.get("public")}
    assert public == {
        ("GET", "/api/health"),
        ("GET", "/api/setup"),
        ("POST", "/api/setup"),
        ("POST", "/api/auth/login"),
    }


def test_admin_routes_are_exactly_these(app: Litestar) -> None:
    """The 403 walk above trusts each route's opt: this list does not."""
    admin = {(m, p) for m, p, opt in api_routes(app) if opt.get("admin")}
    assert admin == {
        ("GET", "/api/agents"),
        ("POST", "/api/agents"),
        ("POST", "/api/agents/1/role"),
        ("DELETE", "/api/agents/1"),
        ("GET", "/api/automations"),
        ("POST", "/api/automations"),
        ("POST", "/api/automations/1/toggle"),
        ("PATCH", "/api/automations/1"),
        ("DELETE", "/api/automations/1"),
        ("GET", "/api/channels"),
        ("POST", "/api/channels"),
        ("PATCH", "/api/channels/1"),
        ("DELETE", "/api/channels/1"),
        ("POST", "/api/channels/1/check"),
        ("DELETE", "/api/contacts/1"),
        ("POST", "/api/contacts/import"),
        ("GET", "/api/export/contacts.csv"),
        ("GET", "/api/export/conversations.csv"),
        ("GET", "/api/export/workspace.json"),
        ("POST", "/api/contacts/1/merge"),
        ("POST", "/api/settings/workspace"),
    }


def _noop() -> None:
    return None


@pytest.mark.parametrize(
    ("path", "opt", "complaint"),
    [
        ("/x", {"admn": True}, "unknown opt key"),  # a typo would silently drop the admin check
        ("/x", {"admin": "yes"}, "must be True or False"),
        ("/x", {"public": True, "admin": True}, "both public and admin-only"),
        ("/x/{x_id:int}", {"exists": {"xid": lambda desk, value: True}}, "no path parameter"),
        ("/x/{x_id:int}", {"exists": {"x_id": "not a check"}}, "map path parameters"),
    ],
)
def test_route_options_the_guard_would_ignore_fail_when_the_app_is_built(
    path: str, opt: dict[str, Any], complaint: str
) -> None:
    app = Litestar([get(path, opt=opt, sync_to_thread=False)(_noop)])
    with pytest.raises(RouteAccessError, match=complaint):
        check_routes(app)


async def _hook(request: Any) -> None:
    return None


async def _other_hook(request: Any) -> None:
    return None


def test_a_route_that_would_skip_the_access_checks_fails_when_the_app_is_built() -> None:
    route = get("/x", sync_to_thread=False)(_noop)
    check_hook(Litestar([route], before_request=_hook), _hook)
    own = get("/y", sync_to_thread=False, before_request=_other_hook)(_noop)
    with pytest.raises(RouteAccessError, match="its own before_request"):
        check_hook(
            Litestar([get("/x", sync_to_thread=False)(_noop), own], before_request=_hook), _hook
        )


def test_access_declares_only_what_it_is_given() -> None:
    assert access() == {}
    assert access(admin=True) == {"admin": True}
    assert Access.of(access(public=True)) == Access(public=True)


ERROR_CASES = [
    # (description, method, path, kwargs, status)
    (
        "malformed json",
        "POST",
        "/api/agents",
        {"content": b"{nope", "headers": {"content-type": "application/json"}},
        400,
    ),
    (
        "empty body",
        "POST",
        "/api/agents",
        {"content": b"", "headers": {"content-type": "application/json"}},
        400,
    ),
    ("array body", "POST", "/api/agents", {"json": [1, 2]}, 400),
    (
        "wrong type",
        "POST",
        "/api/agents",
        {"json": {"name": 5, "email": "x@example.com", "password": "long enough"}},
        400,
    ),
    ("missing field", "POST", "/api/agents", {"json": {"name": "X"}}, 400),
    (
        "unknown field",
        "POST",
        "/api/agents",
        {"json": {"name": "X", "email": "x@example.com", "password": "long enough", "zz": 1}},
        400,
    ),
    (
        "bad enum",
        "POST",
        "/api/agents",
        {
            "json": {
                "name": "X",
                "email": "x@example.com",
                "password": "long enough",
                "role": "owner",
            }
        },
        400,
    ),
    (
        "short password",
        "POST",
        "/api/agents",
        {"json": {"name": "X", "email": "x@example.com", "password": "short"}},
        400,
    ),
    (
        "bad email",
        "POST",
        "/api/agents",
        {"json": {"name": "X", "email": "not-an-email", "password": "long enough"}},
        400,
    ),
    (
        "huge string",
        "POST",
        "/api/agents",
        {"json": {"name": "x" * 5000, "email": "x@example.com", "password": "long enough"}},
        400,
    ),
    ("page zero", "GET", "/api/agents?page=0", {}, 400),
    ("per_page too big", "GET", "/api/agents?per_page=101", {}, 400),
    ("per_page not a number", "GET", "/api/agents?per_page=many", {}, 400),
    ("form body", "POST", "/api/agents", {"data": {"name": "x"}}, 400),
    ("unknown route", "GET", "/api/nothing-here", {}, 404),
    ("unknown id", "POST", "/api/agents/999/role", {"json": {"role": "agent"}}, 404),
    ("unknown id delete", "DELETE", "/api/agents/999", {}, 404),
    ("non-integer id", "DELETE", "/api/agents/abc", {}, 404),
    ("id beyond 64 bits", "DELETE", "/api/agents/" + "9" * 25, {}, 404),
    ("id zero", "POST", "/api/agents/0/role", {"json": {"role": "agent"}}, 404),
    ("wrong method", "PUT", "/api/agents", {"json": {}}, 405),
    (
        "duplicate email",
        "POST",
        "/api/agents",
        {"json": {"name": "Twin", "email": "ADA@example.com", "password": "long enough"}},
        409,
    ),
    ("last admin demoted", "POST", "/api/agents/1/role", {"json": {"role": "agent"}}, 409),
    ("delete yourself", "DELETE", "/api/agents/1", {}, 409),
    (
        "too large",
        "POST",
        "/api/agents",
        {
            "content": b"[" + b"1," * 600_000 + b"1]",
            "headers": {"content-type": "application/json"},
        },
        413,
    ),
    ("bad timezone", "POST", "/api/settings/workspace", {"json": {"timezone": "Mars/Base"}}, 400),
    (
        "bad hours",
        "POST",
        "/api/settings/workspace",
        {"json": {"business_hours": {"mon": [["17:00", "09:00"]]}}},
        400,
    ),
    (
        "unknown day",
        "POST",
        "/api/settings/workspace",
        {"json": {"business_hours": {"someday": []}}},
        400,
    ),
    (
        "ai without url",
        "POST",
        "/api/settings/workspace",
        {"json": {"ai": {"provider": "openai_compatible"}}},
        400,
    ),
]


@pytest.mark.parametrize("case", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_error_shape(admin: TestClient[Litestar], case: tuple[Any, ...]) -> None:
    _, method, path, kwargs, status = case
    body = assert_error(admin.request(method, path, **kwargs), status)
    assert "Traceback" not in body["error"] and "/" not in body.get("field", "")


def test_validation_errors_name_the_field(admin: TestClient[Litestar]) -> None:
    response = admin.post(
        "/api/agents", json={"name": 5, "email": "x@example.com", "password": "long enough"}
    )
    assert response.json() == {
        "error": "Expected `str`, got `int`.",
        "field": "name",
        "code": "invalid",
    }
    missing = admin.post("/api/agents", json={"name": "X", "email": "x@example.com"})
    assert missing.json()["field"] == "password"


def test_precedence_401_before_everything(
    client: TestClient[Litestar], admin: TestClient[Litestar]
) -> None:
    client.post("/api/auth/logout")
    big = b"x" * (2 * 1024 * 1024)
    response = client.post(
        "/api/agents/999/role",
        content=big,
        headers={"content-type": "text/plain", "origin": "http://evil.example"},
    )
    assert response.status_code == 401


def test_precedence_403_404_413_400(
    admin: TestClient[Litestar], agent: TestClient[Litestar]
) -> None:
    big = b"x" * (2 * 1024 * 1024)
    headers = {"content-type": "text/plain"}
    assert agent.post("/api/agents/999/role", content=big, headers=headers).status_code == 403
    assert admin.post("/api/agents/999/role", content=big, headers=headers).status_code == 404
    assert admin.post("/api/agents/1/role", content=big, headers=headers).status_code == 413
    assert admin.post("/api/agents/1/role", content=b"x", headers=headers).status_code == 400


def test_unexpected_error_is_a_bare_500_logged_with_request_id(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from desk.services import workspace

    def explode(*_: Any) -> None:
        raise RuntimeError("SELECT secret FROM /etc/passwd")

    app = create_app(settings)
    with new_client(app) as c:
        from tests.conftest import run_setup

        run_setup(c)
        monkeypatch.setattr(workspace, "get_settings", explode)
        response = c.get("/api/settings/workspace")
    assert response.status_code == 500
    body = response.json()
    assert list(body) == ["error", "code"] and body["code"] == "internal"
    assert "SELECT" not in body["error"] and "passwd" not in body["error"]
    request_id = re.search(r"request id (\w+)", body["error"])
    assert request_id
    logged = "\n".join(r.getMessage() + str(r.exc_info) for r in caplog.records)
    assert request_id.group(1) in logged and "RuntimeError" in logged


def test_openapi_declares_every_error_status(app: Litestar, client: TestClient[Litestar]) -> None:
    schema = client.get("/api/schema/openapi.json").json()
    checked = 0
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or not route.path.startswith("/api/"):
            continue
        if route.path.startswith("/api/schema"):
            continue
        template = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)
        for handler in route.route_handlers:
            for method in handler.http_methods - {"HEAD", "OPTIONS"}:
                operation = schema["paths"][template][method.lower()]
                _assert_declared(method, template, handler.opt, operation)
                checked += 1
    assert checked >= 10


def _assert_declared(method: str, path: str, opt: dict[str, Any], operation: Any) -> None:
    declared = set(operation["responses"])
    where = (method, path)
    if not opt.get("public"):
        assert "401" in declared, where
    if opt.get("admin"):
        assert "403" in declared, where
    if method != "GET" and not opt.get("public"):
        assert "403" in declared, where  # foreign origin
    if "{" in path:
        assert "404" in declared, where
    if "requestBody" in operation:
        assert {"400", "413"} <= declared, where


@pytest.mark.parametrize("bad_id", ["9" * 25, "0", "-1", "abc"])
def test_no_route_fails_on_a_strange_path_id(
    app: Litestar, admin: TestClient[Litestar], bad_id: str
) -> None:
    checked = 0
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or "{" not in route.path:
            continue
        if route.path.startswith("/api/schema"):  # Litestar's own OpenAPI pages
            continue
        path = re.sub(r"\{\w+:int\}", bad_id, route.path)
        path = re.sub(r"\{\w+:\w+\}", "x", path)
        for handler in route.route_handlers:
            for method in handler.http_methods - {"HEAD", "OPTIONS"}:
                response = admin.request(method, path, json={} if method != "GET" else None)
                assert response.status_code < 500, (method, path, response.text)
                assert "error" in response.json() or response.status_code < 400
                checked += 1
    assert checked >= 10
