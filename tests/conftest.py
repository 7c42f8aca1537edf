"""Shared fixtures: a Desk app on a temporary data dir, and clients signed in as each role."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from desk.app import create_app
from desk.config import PasswordCost, Settings
from tests.servers import RunningDesk, start_desk
from tests.webhook_receiver import Receiver

pytest_plugins = ["tests.inbox_fixtures", "tests.mail_fixtures"]

# argon2 at production cost takes ~120 ms a hash; tests use cheap parameters.
CHEAP = PasswordCost(time_cost=1, memory_cost=8, parallelism=1)
SETUP_TOKEN = "test-setup-token"
# The name Litestar's TestClient sends as Host: the server answers only to its own names, so
# test settings name it as an office DNS name would be (`desk serve --allow-host`).
TEST_HOST = "testserver.local"
# Every Settings made in the tests allows it (the environment's `--allow-host`).
os.environ.setdefault("DESK_ALLOW_HOSTS", TEST_HOST)
ADMIN = {"email": "ada@example.com", "password": "correct horse", "name": "Ada Admin"}
AGENT = {"email": "sam@example.com", "password": "battery staple", "name": "Sam Agent"}


UI_TESTS = Path(__file__).parent / "ui"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/ui/ drives Chromium: mark it `ui` (`make check` leaves them out)."""
    for item in items:
        if UI_TESTS in item.path.parents:
            item.add_marker(pytest.mark.ui)


class FakeClock:
    """An injectable clock: tests move time instead of sleeping."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 29, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path: Path, clock: FakeClock) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        password_cost=CHEAP,
        setup_token=SETUP_TOKEN,
        background_tasks=False,
        clock=clock,
        allow_hosts=(TEST_HOST,),
    )


@pytest.fixture
def app(settings: Settings) -> Litestar:
    return create_app(settings)


def new_client(app: Litestar) -> TestClient[Litestar]:
    return TestClient(app, base_url=f"http://{TEST_HOST}")


@pytest.fixture
def client(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with new_client(app) as c:
        yield c


def run_setup(client: TestClient[Litestar]) -> dict[str, Any]:
    response = client.post(
        "/api/setup",
        json={
            "workspace_name": "Acme Support",
            "name": ADMIN["name"],
            "email": ADMIN["email"],
            "password": ADMIN["password"],
            "setup_token": SETUP_TOKEN,
        },
    )
    assert response.status_code == 201, response.text
    return dict(response.json()["agent"])


def assert_error(
    response: httpx.Response, status: int, field: str | None = None, code: str | None = None
) -> dict[str, Any]:
    """A refusal: `status`, and a body that is {"error": text}, with optionally "field" and a
    stable "code" (with `field` / `code` given: those). Returns the body."""
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body, dict) and "error" in body, body
    assert set(body) <= {"error", "field", "code"}, body
    assert isinstance(body["error"], str) and body["error"], body
    if field is not None:
        assert body.get("field") == field, body
    if code is not None:
        assert body.get("code") == code, body
    return dict(body)


def login(client: TestClient[Litestar], email: str, password: str) -> dict[str, Any]:
    response = client.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return dict(response.json()["agent"])


@pytest.fixture
def admin(client: TestClient[Litestar]) -> TestClient[Litestar]:
    """The default client, signed in as the workspace's first admin."""
    run_setup(client)
    return client


@pytest.fixture
def agent(app: Litestar, admin: TestClient[Litestar]) -> Iterator[TestClient[Litestar]]:
    """A second client, signed in as a plain agent created by the admin."""
    response = admin.post("/api/agents", json={**AGENT, "role": "agent"})
    assert response.status_code == 201, response.text
    # Not entered as a context manager: only the primary client runs the app's lifespan.
    c = new_client(app)
    login(c, AGENT["email"], AGENT["password"])
    yield c


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A webhook receiver on 127.0.0.1, stopped after the test."""
    running = Receiver()
    yield running
    running.stop()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningDesk]:
    """A real `desk serve` on a free port, with its own data directory, stopped after the
    test."""
    running = start_desk(tmp_path / "data")
    try:
        yield running
    finally:
        running.stop()
