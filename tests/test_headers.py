"""Security headers (API.md): nosniff and Referrer-Policy everywhere, no-store on /api/ and
/widget/, a framing-forbidding policy on the UI."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar
from litestar.testing import TestClient


def test_every_answer_has_nosniff_and_referrer_policy(admin: TestClient[Litestar]) -> None:
    for path in ("/", "/js/app.js", "/api/contacts", "/api/health", "/nope", "/api/nope"):
        response = admin.get(path)
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert response.headers["referrer-policy"] == "same-origin", path


def test_api_answers_are_never_cached(admin: TestClient[Litestar]) -> None:
    for path in ("/api/contacts", "/api/auth/me", "/api/nope", "/api/export/contacts.csv"):
        assert admin.get(path).headers["cache-control"] == "no-store", path
    refused = admin.get("/api/health", headers={"host": "evil.example"})
    assert refused.headers["cache-control"] == "no-store"
    assert refused.headers["x-content-type-options"] == "nosniff"


def test_the_ui_may_not_be_framed(admin: TestClient[Litestar]) -> None:
    policy = admin.get("/").headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "content-security-policy" not in admin.get("/widget.js").headers


def test_the_ui_policy_allows_no_inline_script_or_style_and_is_the_documented_one(
    admin: TestClient[Litestar],
) -> None:
    policy = admin.get("/").headers["content-security-policy"]
    directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    documented = " ".join((Path(__file__).parents[1] / "docs" / "api.md").read_text().split())
    assert f"Content-Security-Policy: {policy}`" in documented
