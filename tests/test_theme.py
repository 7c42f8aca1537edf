"""Each agent's theme (POST /api/settings/theme): light, dark, or null for the system's;
stored with the agent like their language, refused values change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import assert_error


def test_each_agent_picks_their_own_theme(
    admin: TestClient[Litestar], agent: TestClient[Litestar]
) -> None:
    assert admin.get("/api/auth/me").json()["agent"]["theme"] is None  # the system's
    answer = admin.post("/api/settings/theme", json={"theme": "dark"})
    assert answer.status_code == 200 and answer.json()["agent"]["theme"] == "dark"
    assert admin.get("/api/auth/me").json()["agent"]["theme"] == "dark"
    assert agent.get("/api/auth/me").json()["agent"]["theme"] is None  # theirs is their own
    assert agent.post("/api/settings/theme", json={"theme": "light"}).status_code == 200
    assert admin.get("/api/auth/me").json()["agent"]["theme"] == "dark"
    assert admin.post("/api/settings/theme", json={"theme": None}).status_code == 200
    assert admin.get("/api/auth/me").json()["agent"]["theme"] is None


@pytest.mark.parametrize(
    "body",
    [{"theme": "blue"}, {"theme": "Dark"}, {"theme": ""}, {"theme": 1}, {"mode": "dark"}, {}],
)
def test_a_theme_that_is_not_offered_is_refused(
    admin: TestClient[Litestar], body: dict[str, Any]
) -> None:
    admin.post("/api/settings/theme", json={"theme": "light"})
    assert_error(admin.post("/api/settings/theme", json=body), 400)
    assert admin.get("/api/auth/me").json()["agent"]["theme"] == "light"  # unchanged


def test_the_theme_needs_a_session(client: TestClient[Litestar]) -> None:
    assert_error(client.post("/api/settings/theme", json={"theme": "dark"}), 401)
