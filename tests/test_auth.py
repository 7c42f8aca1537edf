"""Sign-in, sessions, throttling, setup and the request rules in front of every route."""

from __future__ import annotations

import base64
import hashlib
import sqlite3

import pytest
from argon2 import PasswordHasher
from litestar import Litestar
from litestar.testing import TestClient

from desk.api.security import SESSION_COOKIE
from desk.config import Settings
from tests.conftest import (
    ADMIN,
    AGENT,
    SETUP_TOKEN,
    FakeClock,
    assert_error,
    login,
    new_client,
)
from tests.servers import RunningDesk


def _plant(client: TestClient[Litestar], value: str) -> None:
    client.cookies.set(SESSION_COOKIE, value, domain="testserver.local")


def _cookie(client: TestClient[Litestar]) -> str | None:
    return client.cookies.get(SESSION_COOKIE)


def test_setup_creates_workspace_and_signs_in(client: TestClient[Litestar]) -> None:
    assert client.get("/api/setup").json() == {"needs_setup": True}
    response = client.post(
        "/api/setup",
        json={
            "workspace_name": "Acme",
            "name": "Ada",
            "email": " Ada@Example.com ",
            "password": "long enough",
            "setup_token": SETUP_TOKEN,
        },
    )
    assert response.status_code == 201
    agent = response.json()["agent"]
    assert agent["role"] == "admin" and agent["email"] == "Ada@Example.com"
    assert "password" not in str(response.json())
    assert client.get("/api/auth/me").json()["agent"]["id"] == agent["id"]
    assert client.get("/api/setup").json() == {"needs_setup": False}
    assert client.get("/api/settings/workspace").json()["name"] == "Acme"


def test_setup_is_refused_once_done_from_any_client(
    app: Litestar, admin: TestClient[Litestar]
) -> None:
    body = {
        "workspace_name": "X",
        "name": "Eve",
        "email": "eve@example.com",
        "password": "long enough",
        "setup_token": SETUP_TOKEN,
    }
    before = (admin.get("/api/agents").json(), admin.get("/api/settings/workspace").json())
    assert admin.post("/api/setup", json=body).status_code == 409
    other = new_client(app)
    response = other.post("/api/setup", json=body)
    assert response.status_code == 409
    assert response.json() == {
        "error": "Setup is already done; sign in instead.",
        "code": "setup_done",
    }
    after = (admin.get("/api/agents").json(), admin.get("/api/settings/workspace").json())
    assert after == before
    assert other.get("/api/auth/me").status_code == 401  # and nobody was signed in


@pytest.mark.parametrize("token", [None, "wrong-token", ""])
def test_setup_from_non_loopback_needs_the_token(
    client: TestClient[Litestar], token: str | None
) -> None:
    # The test client's address is not loopback, like a LAN machine.
    body = {
        "workspace_name": "Acme",
        "name": "Ada",
        "email": "ada@example.com",
        "password": "long enough",
    }
    if token is not None:
        body["setup_token"] = token
    response = client.post("/api/setup", json=body)
    assert response.status_code == 403
    assert "setup token" in response.json()["error"]
    assert client.get("/api/setup").json() == {"needs_setup": True}


def test_login_sets_a_strict_httponly_cookie(app: Litestar, admin: TestClient[Litestar]) -> None:
    other = new_client(app)
    response = other.post(
        "/api/auth/login", json={"email": ADMIN["email"].upper(), "password": ADMIN["password"]}
    )
    assert response.status_code == 200
    header = response.headers["set-cookie"]
    assert f"{SESSION_COOKIE}=" in header
    assert "HttpOnly" in header and "SameSite=strict" in header and "Path=/" in header
    assert "Secure" not in header  # plain HTTP here
    assert len(_cookie(other) or "") >= 43  # 256 bits, urlsafe base64


def test_secure_cookie_over_https(app: Litestar, admin: TestClient[Litestar]) -> None:
    secure = TestClient(app, base_url="https://testserver.local")
    response = secure.post(
        "/api/auth/login", json={"email": ADMIN["email"], "password": ADMIN["password"]}
    )
    assert response.status_code == 200
    assert "Secure" in response.headers["set-cookie"]


@pytest.mark.parametrize(
    "email,password",
    [
        (ADMIN["email"], "wrong password"),
        ("nobody@example.com", ADMIN["password"]),
        ("nobody@example.com", "wrong password"),
    ],
)
def test_wrong_login_is_one_generic_401(
    app: Litestar, admin: TestClient[Litestar], email: str, password: str
) -> None:
    other = new_client(app)
    response = other.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 401
    assert response.json() == {"error": "Wrong email or password.", "code": "wrong_login"}
    assert _cookie(other) is None


def test_planted_session_cookie_is_never_adopted(
    app: Litestar, admin: TestClient[Litestar]
) -> None:
    attacker_value = "planted-by-attacker-0123456789abcdefghijklmnopqrstuv"
    victim = new_client(app)
    _plant(victim, attacker_value)
    assert victim.get("/api/auth/me").status_code == 401
    login(victim, ADMIN["email"], ADMIN["password"])
    assert _cookie(victim) != attacker_value
    attacker = new_client(app)
    _plant(attacker, attacker_value)
    assert attacker.get("/api/auth/me").status_code == 401


def test_login_rotates_the_session_id(app: Litestar, admin: TestClient[Litestar]) -> None:
    first = _cookie(admin)
    old = new_client(app)
    _plant(old, first or "")
    login(admin, ADMIN["email"], ADMIN["password"])
    assert _cookie(admin) != first
    assert admin.get("/api/auth/me").status_code == 200
    # The earlier session is another session, still valid until logout or expiry.
    assert old.get("/api/auth/me").status_code == 200


def test_logout_ends_the_session(app: Litestar, admin: TestClient[Litestar]) -> None:
    token = _cookie(admin)
    assert admin.post("/api/auth/logout").json() == {"ok": True}
    replay = new_client(app)
    _plant(replay, token or "")
    assert replay.get("/api/auth/me").status_code == 401


def test_logout_accepts_an_empty_json_object(admin: TestClient[Litestar]) -> None:
    assert admin.post("/api/auth/logout", json={}).status_code == 200


def test_session_expires_after_idle_time(admin: TestClient[Litestar], clock: FakeClock) -> None:
    clock.advance(hours=11, minutes=59)
    assert admin.get("/api/auth/me").status_code == 200  # activity keeps it alive
    clock.advance(hours=11, minutes=59)
    assert admin.get("/api/auth/me").status_code == 200
    clock.advance(hours=12, seconds=1)
    response = admin.get("/api/auth/me")
    assert response.status_code == 401
    assert response.json() == {"error": "Sign in first.", "code": "unauthorized"}


def test_session_expires_after_fourteen_days_even_when_active(
    admin: TestClient[Litestar], clock: FakeClock
) -> None:
    for _ in range(30):  # 330 hours, never idle for 12
        clock.advance(hours=11)
        assert admin.get("/api/auth/me").status_code == 200
    clock.advance(hours=6, seconds=1)  # 14 days and a second, idle only 6 hours
    assert admin.get("/api/auth/me").status_code == 401


def test_password_change_ends_other_sessions_only(
    app: Litestar, admin: TestClient[Litestar]
) -> None:
    other = new_client(app)
    login(other, ADMIN["email"], ADMIN["password"])
    response = admin.post(
        "/api/settings/password",
        json={"current_password": ADMIN["password"], "new_password": "a new secret"},
    )
    assert response.status_code == 200
    assert admin.get("/api/auth/me").status_code == 200
    assert other.get("/api/auth/me").status_code == 401
    fresh = new_client(app)
    assert (
        fresh.post(
            "/api/auth/login", json={"email": ADMIN["email"], "password": ADMIN["password"]}
        ).status_code
        == 401
    )
    login(fresh, ADMIN["email"], "a new secret")


def test_password_change_needs_the_current_password(
    app: Litestar, admin: TestClient[Litestar]
) -> None:
    response = admin.post(
        "/api/settings/password",
        json={"current_password": "not it", "new_password": "a new secret"},
    )
    assert response.status_code == 400
    assert response.json()["field"] == "current_password"
    short = admin.post(
        "/api/settings/password",
        json={"current_password": ADMIN["password"], "new_password": "short"},
    )
    assert short.status_code == 400 and short.json()["field"] == "new_password"
    login(new_client(app), ADMIN["email"], ADMIN["password"])  # the password is still the old one


def test_each_agent_picks_their_own_language(
    admin: TestClient[Litestar], agent: TestClient[Litestar]
) -> None:
    assert admin.get("/api/auth/me").json()["agent"]["language"] is None  # the browser's
    answer = admin.post("/api/settings/language", json={"language": "de"})
    assert answer.status_code == 200 and answer.json()["agent"]["language"] == "de"
    assert admin.get("/api/auth/me").json()["agent"]["language"] == "de"
    assert agent.get("/api/auth/me").json()["agent"]["language"] is None
    me = admin.get("/api/auth/me").json()["agent"]
    listed = {a["id"]: a for a in admin.get("/api/agents").json()["items"]}
    assert listed[me["id"]]["language"] == "de"
    assert admin.post("/api/settings/language", json={"language": None}).status_code == 200
    assert admin.get("/api/auth/me").json()["agent"]["language"] is None


@pytest.mark.parametrize("body", [{"language": "pt"}, {"language": "DE"}, {"language": ""}])
def test_a_language_the_ui_does_not_speak_is_refused(
    admin: TestClient[Litestar], body: dict[str, str]
) -> None:
    admin.post("/api/settings/language", json={"language": "fr"})
    assert_error(admin.post("/api/settings/language", json=body), 400, "language")
    assert_error(admin.post("/api/settings/language", json={"lang": "de"}), 400)
    assert admin.get("/api/auth/me").json()["agent"]["language"] == "fr"  # unchanged


def test_deleting_an_agent_ends_their_sessions(
    admin: TestClient[Litestar], agent: TestClient[Litestar]
) -> None:
    me = agent.get("/api/auth/me").json()["agent"]
    assert admin.delete(f"/api/agents/{me['id']}").json() == {"deleted": True, "id": me["id"]}
    assert agent.get("/api/auth/me").status_code == 401


def test_role_change_applies_on_the_next_request(
    admin: TestClient[Litestar], agent: TestClient[Litestar]
) -> None:
    me = agent.get("/api/auth/me").json()["agent"]
    assert agent.get("/api/agents").status_code == 403
    admin.post(f"/api/agents/{me['id']}/role", json={"role": "admin"})
    assert agent.get("/api/agents").status_code == 200


def test_sessions_survive_a_restart(settings: Settings) -> None:
    from desk.app import create_app

    first = create_app(settings)
    with new_client(first) as c:
        from tests.conftest import run_setup

        run_setup(c)
        token = _cookie(c)
    second = create_app(settings)
    with new_client(second) as c:
        _plant(c, token or "")
        assert c.get("/api/auth/me").json()["agent"]["email"] == ADMIN["email"]


def test_only_a_hash_of_the_token_is_stored(
    admin: TestClient[Litestar], settings: Settings
) -> None:
    """Read through SQLite, so rows still in the WAL count (the file alone would miss them)."""
    token = _cookie(admin) or ""
    assert token
    conn = sqlite3.connect(settings.db_path)
    try:
        stored = [row[0] for row in conn.execute("SELECT token_hash FROM sessions")]
        dump = "\n".join(conn.iterdump())
    finally:
        conn.close()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]
    assert token not in dump


def _fail(client: TestClient[Litestar], email: str) -> int:
    return client.post(
        "/api/auth/login", json={"email": email, "password": "nope nope"}
    ).status_code


def test_login_throttled_per_email(
    app: Litestar, admin: TestClient[Litestar], clock: FakeClock
) -> None:
    other = new_client(app)
    assert [_fail(other, ADMIN["email"]) for _ in range(5)] == [401] * 5
    response = other.post(
        "/api/auth/login", json={"email": ADMIN["email"], "password": ADMIN["password"]}
    )
    assert response.status_code == 429
    assert 0 < int(response.headers["retry-after"]) <= 15 * 60
    assert "error" in response.json()
    clock.advance(minutes=14)
    assert _fail(other, ADMIN["email"]) == 429  # refused attempts do not extend the window
    clock.advance(minutes=1, seconds=1)
    login(other, ADMIN["email"], ADMIN["password"])
    assert _fail(other, ADMIN["email"]) == 401  # success cleared the count


def test_login_throttled_per_address(app: Litestar, admin: TestClient[Litestar]) -> None:
    other = new_client(app)
    codes = [_fail(other, f"user{i}@example.com") for i in range(20)]
    assert codes == [401] * 20
    response = other.post("/api/auth/login", json={"email": AGENT["email"], "password": "whatever"})
    assert response.status_code == 429 and int(response.headers["retry-after"]) > 0


@pytest.mark.parametrize(
    "origin",
    ["http://evil.example", "http://testserver.local:8080", "https://testserver.local", "null"],
)
def test_foreign_origin_is_refused_for_state_changes(
    admin: TestClient[Litestar], origin: str
) -> None:
    before = admin.get("/api/agents").json()
    response = admin.post("/api/agents", json={**AGENT}, headers={"origin": origin})
    assert "Origin" in assert_error(response, 403)["error"]
    login_attempt = admin.post(
        "/api/auth/login",
        json={"email": ADMIN["email"], "password": ADMIN["password"]},
        headers={"origin": origin},
    )
    assert_error(login_attempt, 403)
    assert admin.get("/api/agents").json() == before


def test_same_origin_and_no_origin_are_accepted(admin: TestClient[Litestar]) -> None:
    same = admin.post("/api/agents", json={**AGENT}, headers={"origin": "http://testserver.local"})
    assert same.status_code == 201
    # Reads are never refused for their origin.
    assert admin.get("/api/agents", headers={"origin": "http://evil.example"}).status_code == 200


def test_non_json_body_is_refused(admin: TestClient[Litestar]) -> None:
    before = admin.get("/api/agents").json()
    response = admin.post(
        "/api/agents",
        content=b"name=x",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert "application/json" in assert_error(response, 400)["error"]
    assert admin.get("/api/agents").json() == before


def test_body_over_one_mib_is_refused(admin: TestClient[Litestar]) -> None:
    before = admin.get("/api/agents").json()
    big = b'{"name": "' + b"x" * (1024 * 1024) + b'"}'
    response = admin.post("/api/agents", content=big, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json() == {
        "error": "The request body is too large (limit 1 MiB).",
        "code": "too_large",
    }
    assert admin.get("/api/agents").json() == before


def test_session_tokens_carry_256_random_bits(app: Litestar, admin: TestClient[Litestar]) -> None:
    seen = set()
    for _ in range(3):
        client = new_client(app)
        login(client, ADMIN["email"], ADMIN["password"])
        token = _cookie(client) or ""
        assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) == 32
        seen.add(token)
    assert len(seen) == 3


def test_an_unknown_email_costs_the_same_argon2_work_as_a_wrong_password(
    app: Litestar, admin: TestClient[Litestar], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Equal timing without timing anything: both answers verify one argon2id hash with the
    same parameters (the unknown email against a dummy)."""
    verified: list[str] = []
    real = PasswordHasher.verify

    def counting(self: PasswordHasher, password_hash: str, password: str) -> bool:
        verified.append(password_hash.rsplit("$", 2)[0])  # algorithm, version, parameters
        return real(self, password_hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    for email in (ADMIN["email"], "nobody@example.com"):
        response = new_client(app).post(
            "/api/auth/login", json={"email": email, "password": "wrong password"}
        )
        assert response.status_code == 401
        assert response.json()["error"] == "Wrong email or password."
    assert len(verified) == 2 and verified[0] == verified[1], verified
    assert verified[0].startswith("$argon2id$")


def test_a_chunked_body_over_one_mib_is_refused_too(server: RunningDesk) -> None:
    """No Content-Length to check up front: the limit holds while the body streams in."""
    with server.client() as admin:
        admin.post("/api/setup", json={"workspace_name": "Acme", **ADMIN}).raise_for_status()
        before = admin.get("/api/agents").json()
        chunks = [b'{"name": "', *([b"x" * 65536] * 17), b'"}']  # > 1 MiB, no length given
        response = admin.post(
            "/api/agents", content=iter(chunks), headers={"content-type": "application/json"}
        )
        assert "content-length" not in response.request.headers
        assert response.status_code == 413
        assert response.json()["error"] == "The request body is too large (limit 1 MiB)."
        assert admin.get("/api/agents").json() == before
