"""The one way Desk makes HTTP requests to other servers (webhooks, the AI provider).

API.md's rules for outgoing HTTP, in one place:
- no redirects: a 3xx is the answer (a key or a signed body must not travel on to wherever the
  answer points);
- no proxies from the environment (receivers are usually on loopback or the LAN);
- no URL with a user or password (refused when saved: agents would see them);
- never a link-local or cloud-metadata address (169.254.0.0/16, fe80::/10, IPv4-mapped forms
  included): checked when the URL is saved and on every resolved address at connect time, so a
  name that resolves there (or is re-pointed there later) is refused too;
- errors name only scheme, host and port (`location`).
"""

from __future__ import annotations

import http.client
import socket
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from desk.validation import forbidden_address, url_location


class RefusedAddress(OSError):
    """The host resolves only to addresses Desk never calls."""


def location(url: str) -> str:
    return url_location(url)


def _guarded_connection(
    address: tuple[str, int],
    timeout: float | object = socket._GLOBAL_DEFAULT_TIMEOUT,  # type: ignore[attr-defined]
    source_address: tuple[str, int] | None = None,
    **_: Any,
) -> socket.socket:
    """`socket.create_connection`, but only to resolved addresses that are allowed."""
    host, port = address
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    allowed = [info for info in infos if not forbidden_address(str(info[4][0]))]
    if not allowed:
        raise RefusedAddress("the address is link-local or cloud metadata, which Desk never calls")
    error: OSError | None = None
    for family, kind, proto, _name, sockaddr in allowed:
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:  # type: ignore[attr-defined]
                sock.settimeout(timeout)  # type: ignore[arg-type]
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            sock.close()
            error = exc
    assert error is not None
    raise error


class _HTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_connection


class _HTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_connection


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPSConnection, req, context=self._context)  # type: ignore[attr-defined]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer we do not follow (it surfaces as an HTTPError with its code)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(
    urllib.request.ProxyHandler({}), _NoRedirects(), _HTTPHandler(), _HTTPSHandler()
)


def open_url(request: urllib.request.Request, timeout: float) -> Any:
    """Open `request` under the rules above (a context manager, like `urlopen`). A URL with
    credentials is refused here too (one saved before the rule)."""
    if "@" in urlsplit(request.full_url).netloc:
        raise RefusedAddress("the URL carries a user name or password")
    return _OPENER.open(request, timeout=timeout)
