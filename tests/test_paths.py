"""Malformed paths are a 404, never a 500 (API.md, Security rules)."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import assert_error
from tests.servers import RunningDesk


@pytest.mark.parametrize(
    "path",
    [
        "/index.html%00.js",
        "/%00",
        "/js/app.js%00",
        "/a%00b/c",
        "/api/contacts%00",
        "/api/conversations/1%00",
        "/widget/%00/config",
        "/widget.js%00",
    ],
)
def test_a_nul_byte_in_the_path_is_a_404(client: TestClient[Litestar], path: str) -> None:
    response = client.get(path)
    assert_error(response, 404)


def test_an_invalid_escape_is_a_404(client: TestClient[Litestar]) -> None:
    assert_error(client.get("/%ff%fe.js"), 404)
    assert client.get("/").status_code == 200  # the UI itself is still served


TRAVERSALS = [
    "/../app.py",
    "/../../pyproject.toml",
    "/js/../../app.py",
    "/%2e%2e/pyproject.toml",
    "/js/%2e%2e/%2e%2e/app.py",
    "/js/..%2f..%2fapp.py",
    "/..%5c..%5capp.py",
    "/%2e%2e%2f%2e%2e%2fconfig.py",
    "//etc/passwd",
    "/css/....//....//app.py",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_static_files_never_leave_the_ui_directory(client: TestClient[Litestar], path: str) -> None:
    response = client.get(path)
    assert response.status_code in (400, 404), (path, response.status_code)
    assert b"import" not in response.content and b"root:" not in response.content
    assert b"[project]" not in response.content


def test_static_files_never_leave_the_ui_directory_as_sent_raw(server: RunningDesk) -> None:
    """The same paths written on the wire as they are (an HTTP client would normalise `..`)."""
    parts = urlsplit(server.url)
    for path in TRAVERSALS:
        with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
            request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
            sock.sendall(request.encode())
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        status = answer.split(b" ", 2)[1]
        assert status in (b"400", b"404"), (path, answer[:200])
        assert b"import" not in answer and b"root:" not in answer, path
