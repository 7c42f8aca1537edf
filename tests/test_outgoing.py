"""Outgoing HTTP (webhooks, the AI provider): no redirects, no URL credentials, no link-local or
cloud-metadata addresses, errors that name only scheme, host and port (API.md)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from desk.services import llm, outgoing
from desk.services.channels.api import post_signed
from desk.services.channels.base import DeliveryError
from desk.store import workspace as workspace_store
from tests.conftest import assert_error


class Recorder:
    """A local HTTP server that records what reached it and answers `status` (with a
    `Location` for redirects)."""

    def __init__(self, status: int = 200, location: str | None = None) -> None:
        self.requests: list[dict[str, str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                outer.requests.append(dict(self.headers))
                length = int(self.headers.get("content-length") or 0)
                self.rfile.read(length)
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                body = b'{"choices": [{"message": {"content": "leaked answer"}}]}'
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def target() -> Iterator[Recorder]:
    server = Recorder()
    yield server
    server.close()


@pytest.fixture
def redirector(target: Recorder) -> Iterator[Recorder]:
    server = Recorder(302, location=target.url + "/v1/chat/completions")
    yield server
    server.close()


def test_the_ai_client_does_not_follow_a_redirect_with_the_key(
    redirector: Recorder, target: Recorder
) -> None:
    with pytest.raises(llm.LlmError) as refused:
        llm.chat(redirector.url, "m", [], api_key="sk-secret", timeout=5)
    assert "302" in refused.value.message
    assert redirector.requests[0]["Authorization"] == "Bearer sk-secret"
    assert target.requests == []  # neither the key nor the question went on


def test_a_webhook_does_not_follow_a_redirect(redirector: Recorder, target: Recorder) -> None:
    with pytest.raises(DeliveryError) as refused:
        post_signed(redirector.url + "/hook", b"{}", "secret", message_id=1, timeout=5)
    assert "302" in str(refused.value)
    assert target.requests == []


def test_a_name_resolving_to_a_metadata_address_is_refused_at_connect(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = socket.getaddrinfo
    connects: list[Any] = []

    def resolve(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "metadata.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", port))]
        if host == "mapped.test":
            addr = ("::ffff:169.254.169.254", port, 0, 0)
            return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", addr)]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    monkeypatch.setattr(socket.socket, "connect", lambda self, a: connects.append(a))
    for host in ("metadata.test", "mapped.test"):
        url = f"http://{host}/latest/meta-data?token=abc"
        with pytest.raises(DeliveryError) as refused:
            post_signed(url, b"{}", "secret", message_id=1, timeout=5)
        text = str(refused.value)
        assert f"http://{host}:80" in text and "link-local" in text
        assert "meta-data" not in text and "token" not in text
        with pytest.raises(llm.LlmError):
            llm.chat(f"http://{host}", "m", [], api_key="k", timeout=5)
    assert connects == []


def test_a_webhook_error_names_scheme_host_and_port_only() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/hooks/secret-path-token?key=abc"
    with pytest.raises(DeliveryError) as refused:
        post_signed(url, b"{}", "secret", message_id=1, timeout=5)
    text = str(refused.value)
    assert f"http://127.0.0.1:{port}" in text
    assert "secret-path-token" not in text and "key=abc" not in text
    assert outgoing.location("https://u:p@h.example/x") == "https://h.example:443"


BAD_URLS = [
    ("http://user:password@hooks.example/in", "user name or password"),
    ("http://token@hooks.example/in", "user name or password"),
    ("http://169.254.169.254/latest/meta-data", "link-local"),
    ("http://169.254.10.1:8080/", "link-local"),
    ("http://[fe80::1]/hook", "link-local"),
    ("http://[::ffff:169.254.169.254]/", "link-local"),
    ("http://[::ffff:a9fe:a9fe]/", "link-local"),
    ("http://[fd00:ec2::254]/", "link-local"),
]


@pytest.mark.parametrize("url, words", BAD_URLS)
def test_a_webhook_url_with_credentials_or_a_link_local_address_is_refused(
    admin: TestClient[Litestar], url: str, words: str
) -> None:
    response = admin.post(
        "/api/channels", json={"name": "Shop", "type": "api", "config": {"webhook_url": url}}
    )
    body = assert_error(response, 400, "config.webhook_url")
    assert words in body["error"]
    assert "password@" not in body["error"]
    assert admin.get("/api/channels").json()["total"] == 0


@pytest.mark.parametrize("url, words", BAD_URLS)
def test_an_ai_base_url_with_credentials_or_a_link_local_address_is_refused(
    admin: TestClient[Litestar], url: str, words: str
) -> None:
    before = admin.get("/api/settings/workspace").json()["ai"]
    response = admin.post(
        "/api/settings/workspace",
        json={"ai": {"provider": "openai_compatible", "base_url": url, "model": "m"}},
    )
    body = assert_error(response, 400, "ai.base_url")
    assert words in body["error"]
    assert admin.get("/api/settings/workspace").json()["ai"] == before


def test_loopback_and_lan_urls_are_still_allowed(admin: TestClient[Litestar]) -> None:
    for url in ("http://127.0.0.1:9000/hook", "http://192.168.1.20/hook", "http://[::1]:80/"):
        response = admin.post(
            "/api/channels", json={"name": "Shop", "type": "api", "config": {"webhook_url": url}}
        )
        assert response.status_code == 201, (url, response.text)


def test_an_ai_base_url_saved_with_credentials_before_is_shown_without_them(
    app: Litestar, admin: TestClient[Litestar]
) -> None:
    desk = app.state.desk
    with desk.db.write() as conn:
        current = workspace_store.get_workspace(conn)
        assert current is not None
        ai = msgspec.structs.replace(
            current.ai, provider="openai_compatible", base_url="http://u:pw@127.0.0.1:1/v1"
        )
        workspace_store.save_workspace(conn, msgspec.structs.replace(current, ai=ai))
    shown = admin.get("/api/settings/workspace").json()["ai"]["base_url"]
    assert shown == "http://127.0.0.1:1/v1"
