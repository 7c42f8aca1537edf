"""The client address is the socket peer; `X-Forwarded-For` counts only from a proxy the admin
named with `--trusted-proxy` (API.md). Throttling and setup's loopback rule depend on it."""

from __future__ import annotations

import dataclasses

import pytest
from litestar.testing import TestClient

from desk.app import create_app
from desk.config import Settings
from tests.conftest import new_client, run_setup
from tests.servers import RunningDesk

LIMIT = 20  # failed sign-ins per client address in the window


def _fail(client: TestClient | object, email: str, forwarded: str) -> int:
    response = client.post(  # type: ignore[attr-defined]
        "/api/auth/login",
        json={"email": email, "password": "wrong password"},
        headers={"x-forwarded-for": forwarded},
    )
    return int(response.status_code)


@pytest.mark.slow
def test_x_forwarded_for_from_loopback_does_not_change_the_client(server: RunningDesk) -> None:
    """uvicorn trusts X-Forwarded-For from loopback by default; Desk must not: each guess
    naming another address would escape the per-address throttle."""
    with server.client() as client:
        codes = [_fail(client, f"u{i}@x.example", f"10.0.0.{i}") for i in range(LIMIT)]
        assert codes == [401] * LIMIT
        assert _fail(client, "next@x.example", "10.9.9.9") == 429


def test_a_trusted_proxy_names_the_client(settings: Settings) -> None:
    behind = dataclasses.replace(settings, trusted_proxies=("testclient",))
    with new_client(create_app(behind)) as client:  # the TestClient's peer is "testclient"
        run_setup(client)
        codes = [_fail(client, f"u{i}@x.example", "spoofed, 10.0.0.1") for i in range(LIMIT)]
        assert codes == [401] * LIMIT
        assert _fail(client, "next@x.example", "10.0.0.1") == 429
        assert _fail(client, "next@x.example", "10.0.0.2") == 401  # another office client


def test_without_a_trusted_proxy_the_header_is_ignored(settings: Settings) -> None:
    with new_client(create_app(settings)) as client:
        run_setup(client)
        codes = [_fail(client, f"u{i}@x.example", f"10.0.0.{i}") for i in range(LIMIT)]
        assert codes == [401] * LIMIT
        assert _fail(client, "next@x.example", "10.0.0.99") == 429
