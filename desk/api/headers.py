"""Security headers on every response (API.md): `X-Content-Type-Options: nosniff` and
`Referrer-Policy: same-origin` everywhere, `Cache-Control: no-store` on every `/api/` and
`/widget/{t}/` answer (files and exports included), and for the UI a Content-Security-Policy:
scripts, styles and everything else from Desk itself only, no inline script or style (no
`'unsafe-inline'`, no `'unsafe-eval'`: the UI sets styles through the CSSOM and the widget
adopts a constructed stylesheet, which a policy allows), images also as `data:`/`blob:`,
and no framing (`frame-ancestors 'none'`, against clickjacking), plugins or `<base>`.

A `before_send` hook, so answers made outside the routes (the Host check, 404s) get them too.
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

UI_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    )
)
_PRIVATE_PREFIXES = ("/api/", "/widget/")


async def add_security_headers(message: Message, scope: Scope) -> None:
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    headers.setdefault("x-content-type-options", "nosniff")
    headers.setdefault("referrer-policy", "same-origin")
    path = str(scope.get("path", ""))
    if path.startswith(_PRIVATE_PREFIXES):
        headers["cache-control"] = "no-store"
    elif path != "/widget.js":  # the widget runs inside customers' pages: their policy rules
        headers.setdefault("content-security-policy", UI_POLICY)
