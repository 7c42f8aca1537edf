"""The Host check (API.md, Security rules): the server answers only to its own names.

DNS rebinding lets a web page an agent opens point its own name (`rebind.attacker.example`)
at this machine's loopback or LAN address; the browser then sends `Host` and `Origin` both
`rebind.attacker.example`, and same-origin rules no longer protect the API or the setup page.
So a request whose `Host` name (port ignored) is not one of the server's own is refused with
400 before routing, sessions or anything else. Its own names: loopback (`127.0.0.1`,
`localhost`, `::1`), the addresses it serves on (every LAN address when bound to all
interfaces), the host of `--public-url`, and the names given with `--allow-host`.

The same list decides which `Origin`s count as the server's own (desk/api/security.py).
A request without `Host` (HTTP/1.0; no browser sends one) names nothing foreign and is served.
"""

from __future__ import annotations

import functools
import ipaddress
import threading
import time
from urllib.parse import urlsplit

import msgspec
from litestar.types import Scope, Send

from desk.config import Settings
from desk.network import WILDCARDS, lan_addresses

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
REFRESH_SECONDS = 30.0  # a wildcard server re-reads its LAN addresses at most this often
REFUSED = "Unknown Host: this server answers only to its own names (see desk serve --allow-host)."


@functools.lru_cache(maxsize=512)  # every request asks about its Host, and there are few
def host_name(value: str) -> str | None:
    """The name in a `Host` value or URL authority, lower-case, without port, brackets or a
    trailing dot; None when it is not a host at all."""
    try:
        name = urlsplit("//" + value.strip()).hostname
    except ValueError:
        return None
    if not name:
        return None
    return _normal(name)


def _normal(name: str) -> str:
    name = name.strip().lower().rstrip(".")
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    try:
        return str(ipaddress.ip_address(name))  # `::0001` and `::1` are the same address
    except ValueError:
        return name


_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_key(url: str) -> str | None:
    """`scheme://name:port` of a URL or Origin, ports made explicit; None when malformed."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return None
    name = host_name(parts.netloc)
    if not name or port is None:
        return None
    return f"{parts.scheme.lower()}://{name}:{port}"


class HostAllowlist:
    """The server's own host names, from its settings (and its LAN addresses)."""

    def __init__(self, settings: Settings) -> None:
        names = set(LOOPBACK_NAMES)
        names.update(_normal(n) for n in settings.allow_hosts if n.strip())
        self.public_origin = origin_key(settings.public_url) if settings.public_url else None
        if settings.public_url:
            public = host_name(urlsplit(settings.public_url).netloc)
            if public:
                names.add(public)
        self._wildcard = settings.host in WILDCARDS
        self._ipv6 = settings.host == "::"
        if not self._wildcard:
            names.add(_normal(settings.host))
        self._fixed = frozenset(names)
        self._lan: frozenset[str] = frozenset()
        self._lan_read_at = -REFRESH_SECONDS
        self._lock = threading.Lock()

    def _lan_addresses(self) -> frozenset[str]:
        with self._lock:
            if time.monotonic() - self._lan_read_at >= REFRESH_SECONDS:
                found = set(lan_addresses(self._ipv6))
                if self._ipv6:  # `::` serves IPv4 too on most systems
                    found.update(lan_addresses(False))
                self._lan = frozenset(_normal(a) for a in found)
                self._lan_read_at = time.monotonic()
            return self._lan

    def names(self) -> list[str]:
        """The fixed names (not the LAN addresses), loopback first: for the start banner."""
        rest = sorted(self._fixed - LOOPBACK_NAMES)
        return ["127.0.0.1", "localhost", "::1", *rest]

    def allows(self, name: str | None) -> bool:
        if name is None:
            return False
        if name in self._fixed:
            return True
        if not self._wildcard:
            return False
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False  # a DNS name: only loopback, --allow-host and --public-url ones
        return name in self._lan_addresses()

    def allows_header(self, value: str | None) -> bool:
        return value is None or self.allows(host_name(value))


def host_header(scope: Scope) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"host":
            return bytes(value).decode("latin-1")
    return None


_BODY = msgspec.json.encode({"error": REFUSED, "code": "host_not_allowed"})
_HEADERS = [
    (b"content-type", b"application/json"),
    (b"content-length", str(len(_BODY)).encode()),
    (b"cache-control", b"no-store"),
]


async def refuse(scope: Scope, send: Send) -> None:
    """The answer to a foreign `Host` (desk/api/front.py asks `allows_header` first)."""
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008, "reason": ""})
        return
    await send({"type": "http.response.start", "status": 400, "headers": list(_HEADERS)})
    await send({"type": "http.response.body", "body": _BODY, "more_body": False})
