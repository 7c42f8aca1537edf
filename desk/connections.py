"""Bounded connections (issue 16, item 9): a request's headers must arrive within a deadline,
and past a number of open connections a request is refused with `503`.

uvicorn closes a connection idle *between* requests after `timeout_keep_alive`, but has no
deadline for reading a request's headers: a client that sends `GET / HTTP/1.1\\r\\nHost: x`
and then nothing (or one byte a minute) held its connection for as long as it liked, and
enough of them exhaust the server's connections (slowloris). This protocol arms a timer
when a connection opens and again when a response completes (the next request begins), and
disarms it once the request's headers are in; when it fires, the client gets a `408` and the
connection is closed. The timer runs from the start of the request, not from the last byte,
so trickling bytes does not extend it.

The deadline covers the request line and headers only: a body is bounded by the body limit,
and a stalled body holds one connection, which the connection limit bounds.

The limit is this protocol's rather than uvicorn's `limit_concurrency` (which counts the same
connections) so that the refusal is Desk's JSON error, `503` with `code:
too_many_connections` and `Connection: close`, like every other error.
"""

from __future__ import annotations

import asyncio
import json

import h11
from litestar.types import Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

TIMEOUT_BODY = json.dumps(
    {"error": "The request's headers did not arrive in time.", "code": "request_timeout"},
    separators=(",", ":"),
).encode()
TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\n"
    b"content-type: application/json\r\n"
    b"content-length: " + str(len(TIMEOUT_BODY)).encode() + b"\r\n"
    b"connection: close\r\n\r\n" + TIMEOUT_BODY
)


BUSY_BODY = json.dumps(
    {"error": "The server has too many open connections; try again shortly.",
     "code": "too_many_connections"},
    separators=(",", ":"),
).encode()  # fmt: skip


async def refuse_busy(scope: Scope, receive: Receive, send: Send) -> None:
    """The app a connection over the limit is given instead of Desk's."""
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(BUSY_BODY)).encode()),
                (b"connection", b"close"),
                (b"retry-after", b"10"),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": BUSY_BODY, "more_body": False})


def bounded_protocol(header_seconds: float, max_connections: int) -> type[H11Protocol]:
    """uvicorn's h11 protocol, closing a connection whose request headers take longer than
    `header_seconds` (from the connection's opening, or from the previous response's end),
    and answering `503` on a connection opened while `max_connections` are already open."""

    class BoundedProtocol(H11Protocol):
        _header_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)  # counts this one in self.connections
            if len(self.connections) > max_connections:
                self.app = refuse_busy  # this connection's requests get the 503
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            self._disarm_when_headers_are_in()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm()  # the next request on this connection has its own deadline
                self._disarm_when_headers_are_in()  # a pipelined one may be in already

        def _disarm_when_headers_are_in(self) -> None:
            # Their state leaves IDLE with the h11.Request event: headers complete.
            if self.conn.their_state is not h11.IDLE:
                self._disarm()

        def _arm(self) -> None:
            self._disarm()
            self._header_timer = self.loop.call_later(header_seconds, self._headers_too_slow)

        def _disarm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _headers_too_slow(self) -> None:
            self._header_timer = None
            if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
                return
            if self.conn.our_state is h11.IDLE:  # no response of ours is under way
                self.transport.write(TIMEOUT_RESPONSE)
            self.transport.close()

    return BoundedProtocol
