"""Security headers on every response (API.md): `X-Content-Type-Options: nosniff` and
`Referrer-Policy: same-origin` everywhere, `Cache-Control: no-store` on every `/api/` and
`/widget/{t}/` answer (files and exports included), and for the UI a Content-Security-Policy:
scripts, styles and everything else from Desk itself only, no inline script or style (no
`'unsafe-inline'`, no `'unsafe-eval'`: the UI sets styles through the CSSOM and the widget
adopts a constructed stylesheet, which a policy allows), images also as `data:`/`blob:`,
and no framing (`frame-ancestors 'none'`, against clickjacking), plugins or `<base>`.

Added by the front door (desk/api/front.py) as each response starts, so answers made outside
the routes (the Host check, 404s) get them too.
"""

from __future__ import annotations

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
_NOSNIFF = (b"x-content-type-options", b"nosniff")
_REFERRER = (b"referrer-policy", b"same-origin")
_NO_STORE = (b"cache-control", b"no-store")
_POLICY = (b"content-security-policy", UI_POLICY.encode())


def add_security_headers(message: Message, scope: Scope) -> None:
    """On the raw header list (every response passes here: no header object per answer)."""
    if message["type"] != "http.response.start":
        return
    headers = message.get("headers")
    if not isinstance(headers, list):
        headers = message["headers"] = list(headers or ())
    names = {bytes(name).lower() for name, _ in headers}
    if _NOSNIFF[0] not in names:
        headers.append(_NOSNIFF)
    if _REFERRER[0] not in names:
        headers.append(_REFERRER)
    path = str(scope.get("path", ""))
    if path.startswith(_PRIVATE_PREFIXES):
        if _NO_STORE[0] in names:  # replaces whatever the route said
            headers[:] = [h for h in headers if bytes(h[0]).lower() != _NO_STORE[0]]
        headers.append(_NO_STORE)
    elif path != "/widget.js" and _POLICY[0] not in names:
        # the widget runs inside customers' pages: their policy rules
        headers.append(_POLICY)
