"""The Host check (DNS rebinding): the server answers only to its own names (API.md)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from desk.api import hosts as hosts_module
from desk.api.hosts import HostAllowlist
from desk.app import create_app
from desk.cli import build_parser, cmd_serve
from desk.config import Settings
from desk.errors import DeskError
from desk.server import print_banner
from tests.conftest import ADMIN, SETUP_TOKEN, assert_error

REBIND = "rebind.attacker.example"
SETUP_BODY = {
    "workspace_name": "Evil",
    "name": "Mallory",
    "email": "mallory@attacker.example",
    "password": "long enough password",
}


def _client_for(settings: Settings, host: str) -> TestClient[Litestar]:
    return TestClient(create_app(settings), base_url=f"http://{host}")


def test_setup_from_loopback_through_a_rebound_name_is_refused(settings: Settings) -> None:
    with TestClient(create_app(settings), base_url=f"http://{REBIND}") as attacker:
        attacker.headers["origin"] = f"http://{REBIND}"
        response = attacker.post("/api/setup", json=SETUP_BODY)
        assert_error(response, 400)
        page = attacker.get("/")  # nor the setup page itself
        assert page.status_code == 400
        assert attacker.get("/api/setup").status_code == 400
        local = attacker.get("/api/setup", headers={"host": "127.0.0.1:8765"})
        assert local.json() == {"needs_setup": True}  # nothing was created


def test_login_and_a_state_change_through_a_rebound_name_are_refused(
    admin: TestClient[Litestar],
) -> None:
    before = admin.get("/api/contacts").json()
    rebound = {"host": f"{REBIND}:8765", "origin": f"http://{REBIND}:8765"}
    login = admin.post(
        "/api/auth/login",
        json={"email": ADMIN["email"], "password": ADMIN["password"]},
        headers=rebound,
    )
    assert_error(login, 400)
    assert "set-cookie" not in login.headers
    created = admin.post("/api/contacts", json={"name": "Planted"}, headers=rebound)
    assert_error(created, 400)
    assert admin.get("/api/contacts", headers=rebound).status_code == 400  # reads: no leak
    assert admin.get("/api/no-such-route", headers=rebound).status_code == 400  # before routing
    assert admin.get("/api/contacts").json() == before


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "127.0.0.1:8765",
        "localhost:8765",
        "LOCALHOST.",
        "[::1]:8765",
        "testserver.local",  # the tests' --allow-host
    ],
)
def test_own_names_are_served(settings: Settings, host: str) -> None:
    with TestClient(create_app(settings)) as client:
        response = client.get("/api/setup", headers={"host": host})
        assert response.status_code == 200, (host, response.text)


@pytest.mark.parametrize(
    "host", ["evil.example", "localhost.evil.example", "127.0.0.2", "[::2]", "[::1", "10.0.0.9"]
)
def test_other_names_are_a_400_with_the_error_shape(settings: Settings, host: str) -> None:
    with TestClient(create_app(settings)) as client:
        response = client.get("/api/health", headers={"host": host})
        body = assert_error(response, 400)
        assert "allow-host" in body["error"]
        assert response.headers["cache-control"] == "no-store"


def test_allow_host_and_public_url_names_are_served(settings: Settings) -> None:
    office = dataclasses.replace(
        settings,
        allow_hosts=("testserver.local", "desk.office.lan"),
        public_url="https://support.example.com",
    )
    with TestClient(create_app(office)) as client:
        for host in ("desk.office.lan:8765", "Desk.Office.Lan", "support.example.com"):
            assert client.get("/api/health", headers={"host": host}).status_code == 200, host
        assert client.get("/api/health", headers={"host": "office.lan"}).status_code == 400


def test_the_public_url_is_an_own_origin_and_builds_the_snippet(settings: Settings) -> None:
    behind_proxy = dataclasses.replace(settings, public_url="https://support.example.com")
    with _client_for(behind_proxy, "127.0.0.1:8765") as client:
        body = {**SETUP_BODY, "email": ADMIN["email"], "setup_token": SETUP_TOKEN}
        # The proxy forwards Host 127.0.0.1:8765; the browser's Origin is the public one.
        response = client.post(
            "/api/setup", json=body, headers={"origin": "https://support.example.com"}
        )
        assert response.status_code == 201, response.text
        created = client.post(
            "/api/channels",
            json={"name": "Chat", "type": "web_chat", "config": {"allowed_origins": []}},
            headers={"origin": "https://support.example.com"},
        )
        assert created.status_code == 201, created.text
        assert "https://support.example.com/widget.js" in created.json()["config"]["embed_snippet"]


@pytest.mark.parametrize(
    "origin",
    [
        f"http://{REBIND}",  # Host is ours, Origin is not
        "http://testserver.local:8080",  # our name, another port
        "https://testserver.local",  # our name, another scheme
        "null",
    ],
)
def test_an_origin_must_be_an_own_name_with_own_scheme_and_port(
    admin: TestClient[Litestar], origin: str
) -> None:
    before = admin.get("/api/contacts").json()
    response = admin.post("/api/contacts", json={"name": "Lin"}, headers={"origin": origin})
    assert_error(response, 403)
    assert admin.get("/api/contacts").json() == before


def test_another_own_name_with_own_scheme_and_port_is_an_own_origin(
    admin: TestClient[Litestar],
) -> None:
    response = admin.post(
        "/api/contacts", json={"name": "Lin"}, headers={"origin": "http://localhost"}
    )
    assert response.status_code == 201, response.text


def test_a_lan_server_answers_to_its_lan_addresses_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hosts_module, "lan_addresses", lambda ipv6=False: ["192.168.1.20"])
    lan = HostAllowlist(Settings(data_dir=tmp_path, host="0.0.0.0"))
    assert lan.allows("192.168.1.20")
    assert lan.allows("localhost")
    assert not lan.allows("192.168.1.21")
    assert not lan.allows("desk.office.lan")  # a name must be given with --allow-host
    one = HostAllowlist(Settings(data_dir=tmp_path, host="192.168.1.20"))
    assert one.allows("192.168.1.20") and not one.allows("192.168.1.21")


def test_serve_takes_allow_host_and_public_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Settings] = []
    monkeypatch.setenv("DESK_ALLOW_HOSTS", "from-env.lan")
    monkeypatch.setattr("desk.cli.serve", lambda settings, tls=None: seen.append(settings) or 0)
    args = build_parser().parse_args(
        [
            "serve",
            "--data-dir",
            str(tmp_path),
            "--allow-host",
            "Desk.Office.Lan",
            "--allow-host",
            "desk2",
            "--public-url",
            "https://support.example.com/",
        ]
    )
    assert cmd_serve(args) == 0
    assert seen[0].allow_hosts == ("from-env.lan", "desk.office.lan", "desk2")
    assert seen[0].public_url == "https://support.example.com"
    for bad in (["--allow-host", "http://x.example/"], ["--public-url", "ftp://x.example"]):
        args = build_parser().parse_args(["serve", "--data-dir", str(tmp_path), *bad])
        with pytest.raises(DeskError):
            cmd_serve(args)


def test_the_lan_banner_names_the_allowed_hosts(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    lan = dataclasses.replace(settings, host="0.0.0.0", allow_hosts=("desk.office.lan",))
    app = create_app(lan)

    @dataclasses.dataclass
    class FakeBound:
        app: Any
        urls: list[str]

        @property
        def url(self) -> str:
            return self.urls[0]

    print_banner(FakeBound(app, ["http://127.0.0.1:8765/"]), lan, None)  # type: ignore[arg-type]
    out = capsys.readouterr().out
    assert "desk.office.lan" in out and "--allow-host" in out
    app.state.desk.close()
