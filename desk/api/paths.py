"""Malformed paths end as 404 before routing (API.md: never a 500).

A NUL byte (`/index.html%00.js`) cannot name a file or a route: the static files' `stat` would
raise `embedded null byte`. Invalid escapes (`%ff`) already decode to names nothing matches.
"""

from __future__ import annotations

import msgspec
from litestar.types import Scope, Send

_BODY = msgspec.json.encode({"error": "Not found.", "code": "not_found"})
_HEADERS = [
    (b"content-type", b"application/json"),
    (b"content-length", str(len(_BODY)).encode()),
]


def is_malformed(scope: Scope) -> bool:
    """A path with a NUL byte (decoded or raw)."""
    return "\x00" in scope.get("path", "")


async def not_found(send: Send) -> None:
    await send({"type": "http.response.start", "status": 404, "headers": list(_HEADERS)})
    await send({"type": "http.response.body", "body": _BODY, "more_body": False})
