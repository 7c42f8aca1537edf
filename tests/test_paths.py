"""Malformed paths are a 404, never a 500 (API.md, Security rules)."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import assert_error


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
