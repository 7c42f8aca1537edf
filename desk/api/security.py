"""Who is asking, and may they: one hook every route passes.

`check_access`, the app's `before_request` hook, puts the signed-in agent in the scope, notes a
body sent to a route that takes none, then applies the API's precedence in one place
(`authorize`) — 401, then 403 (origin, role), then 404 (unknown id in the path), then 413 and
400 (body rules) — before Litestar reads the body. Routes declare what they need with
`access(...)` in `opt` (desk/api/access.py).

Why a `before_request` hook and not a guard or a middleware: a sync guard runs in a worker
thread and every guard call copies the route handler; a middleware is one more ASGI layer
(and Litestar then adds another exception layer around each route), all costing more than the
checks themselves. The hook runs in the route, on the Request Litestar builds anyway; an error
it raises is answered by the app's exception handlers. `check_routes` refuses a route that
would not run it. The /widget/ routes keep `authorize_request` as a guard, so their own
middleware (CORS) still wraps its errors.
"""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import SplitResult, urlsplit

import anyio.to_thread
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.handlers import HTTPRouteHandler
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Receive, ReceiveMessage, Scope

from desk.api.access import Access
from desk.api.errors import TooLarge
from desk.api.hosts import HostAllowlist, host_header, host_name, origin_key
from desk.errors import Forbidden, Invalid, NotFound, Unauthorized
from desk.services import auth
from desk.services.desk import Desk
from desk.validation import MAX_ID

SESSION_COOKIE = "desk_session"
SCHEMA_PATH = "/api/schema"  # the OpenAPI document is public (API.md)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _session_token(scope: Scope) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            token = _cookie_value(bytes(value), SESSION_COOKIE)
            if token is not None:
                return token
    return None


@functools.lru_cache(maxsize=1024)  # a browser sends the same Cookie header on every request
def _cookie_value(header: bytes, name: str) -> str | None:
    for part in header.decode("latin-1").split(";"):
        k, _, v = part.strip().partition("=")
        if k == name:
            return v
    return None


DATA_VERSION = "desk.data_version"  # scope key: `desk.data_version()`, read on the event loop


async def _sign_in(scope: Scope) -> None:
    """Put the signed-in agent (or None) in `scope["user"]` and the session in `scope["auth"]`;
    with a session cookie, the database's version read for it in `scope[DATA_VERSION]` (a
    handler on the event loop hands it to its own caches: one read per request)."""
    scope["user"] = None
    scope["auth"] = None
    token = _session_token(scope)
    if token and scope["path"].startswith("/api/"):
        desk: Desk = scope["litestar_app"].state.desk
        # Read on the event loop (cached, or an indexed lookup: cheaper than a thread hop,
        # and WAL readers never wait on the writer); a thread only for a write.
        version = scope[DATA_VERSION] = desk.data_version()  # type: ignore[literal-required]
        signed_in = auth.cached_session(desk, token, version)
        if isinstance(signed_in, auth.NeedsWrite):
            signed_in = await anyio.to_thread.run_sync(auth.resolve_session, desk, token)
        if signed_in is not None:
            scope["user"] = signed_in.agent
            scope["auth"] = signed_in


STRAY_BODY = "desk.stray_body"  # scope key: a body sent to a route that takes none
_MAX_EMPTY_OBJECT = 64  # `{}` with generous whitespace; anything longer is not an empty object


async def _note_stray_body(scope: Scope, receive: Receive) -> Receive:
    """Routes that take no body (toggle, retry, logout, deletes) accept none or `{}` (API.md).

    Anything else (`{"active": false}` to toggle) would be silently ignored, so it is noted
    here for `authorize`, which refuses it with 400 after its 401/403/404/413 checks. The body
    read is replayed to the app unchanged (the `receive` returned). For a route whose handler
    takes no `data`, and a method that may carry a body.
    """
    body, messages = bytearray(), list[ReceiveMessage]()
    while len(body) <= _MAX_EMPTY_OBJECT:
        message = await receive()
        messages.append(message)
        chunk = message.get("body", b"")
        body += chunk if isinstance(chunk, bytes) else b""
        if message["type"] != "http.request" or not message.get("more_body"):
            break
    scope[STRAY_BODY] = bytes(body).strip() not in (b"", b"{}")  # type: ignore[literal-required]
    queued = iter(messages)

    async def replay() -> ReceiveMessage:
        return next(queued, None) or await receive()

    return replay


@functools.lru_cache(maxsize=1024)  # Desk has about 200 routes; tests build many apps
def _route_facts(handler: BaseRouteHandler) -> tuple[Access, bool]:
    """What a route needs, and whether it takes a body (`data`): its `opt` is read once."""
    takes_body = (
        not isinstance(handler, HTTPRouteHandler)
        or "data" in handler.parsed_fn_signature.parameters
    )
    return Access.of(handler.opt), takes_body


def _access_of(handler: BaseRouteHandler) -> Access:
    return _route_facts(handler)[0]


async def _note_body_of(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """`_note_stray_body` for a route that takes no body; the connection then reads what was
    read again, unchanged."""
    method = connection.scope.get("method", "GET")
    if method not in SAFE_METHODS and not _route_facts(connection.scope["route_handler"])[1]:
        connection.receive = await _note_stray_body(connection.scope, connection.receive)


async def check_access(request: Request[Any, Any, Any]) -> None:
    """The app's `before_request` hook: session, stray body, then `authorize` (the /widget/
    routes: their guard does, in their own order, before this)."""
    await _sign_in(request.scope)
    needs = _access_of(request.scope["route_handler"])
    if needs.widget is None:
        await _note_body_of(request)
        authorize(request, needs)


def _origin_matches(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    """No `Origin` (not a browser), or one of the server's own names (the Host list) with the
    request's own scheme and port, or the `--public-url` origin. `Origin: null` is foreign."""
    origin = connection.headers.get("origin")
    if origin is None:
        return True  # not a browser: nothing to forge
    hosts: HostAllowlist = connection.app.state.hosts
    own_scheme = str(connection.scope.get("scheme", "http"))
    host = connection.headers.get("host", "")
    try:  # a malformed Origin or Host (`http://[::1`, port 99999) names no site of ours
        parts = urlsplit(origin)
        own = urlsplit(f"{own_scheme}://{host}")
        their_port = parts.port or _DEFAULT_PORTS.get(parts.scheme)
        own_port = own.port or _DEFAULT_PORTS.get(own_scheme)
    except ValueError:
        return False
    if not hosts.allows(host_name(parts.netloc)):
        return False
    if hosts.public_origin is not None and origin_key(origin) == hosts.public_origin:
        return True  # the browser reached Desk through its public address (a proxy)
    return (parts.scheme, their_port) == (own_scheme, own_port)


def check_body_rules(connection: ASGIConnection[Any, Any, Any, Any], limit: int) -> None:
    headers = connection.headers
    length_text = headers.get("content-length")
    chunked = "chunked" in headers.get("transfer-encoding", "").lower()
    try:
        length = int(length_text) if length_text is not None else 0
    except ValueError:
        raise Invalid("Content-Length is not a number.") from None
    if length < 0:
        raise Invalid("Content-Length is not a number.")
    if length > limit:
        raise TooLarge("The request body is too large (limit 1 MiB).")
    if length or chunked:
        media_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if media_type != "application/json":
            raise Invalid("The request body must be JSON (Content-Type: application/json).")
    if connection.scope.get(STRAY_BODY):
        raise Invalid("This request takes no body: send none, or {}.")


def _check_file_rules(
    connection: ASGIConnection[Any, Any, Any, Any],
    limit: int,
    media_type: str,
    wrong_type: tuple[str, str | None],
) -> None:
    """A file as the body (an upload, a CSV): of `media_type`, within the route's own limit."""
    headers = connection.headers
    try:
        length = int(headers.get("content-length") or 0)
    except ValueError:
        raise Invalid("Content-Length is not a number.") from None
    if length > limit:
        raise TooLarge(
            f"The file is too large (limit {limit // (1024 * 1024)} MiB).", "file_too_large"
        )
    if headers.get("content-type", "").split(";", 1)[0].strip().lower() != media_type:
        raise Invalid(*wrong_type)


_NOT_MULTIPART = ("Send the file as multipart/form-data, in a part named file.", None)
_NOT_CSV = ("Send the file as the body, with Content-Type: text/csv.", "file")


async def authorize_request(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    """`authorize` as a Litestar guard (the /widget/ routes'). Async: Litestar would run a sync
    guard in a worker thread. Guards run before `check_access`, so it notes the body itself.
    The route's own handler from the scope: Litestar hands a guard a copy of it."""
    await _note_body_of(connection)
    authorize(connection, _access_of(connection.scope["route_handler"]))


@functools.lru_cache(maxsize=512)  # every request asks about its Host, and there are few
def _port_is_valid(host: str) -> bool:
    """Whether the `Host` can make the request's URL: handlers read `request.url`, and Litestar
    builds it from the header as this does, raising for a port like `desk:99999`."""
    try:
        _ = SplitResult("http", host, "", "", "").port
    except ValueError:
        return False
    return True


def authorize(connection: ASGIConnection[Any, Any, Any, Any], needs: Access) -> None:
    """The API's precedence for a route that needs `needs`. Its one database read, a path id's
    existence, is a primary-key probe, done on the event loop (WAL: it never waits)."""
    if not _port_is_valid(host_header(connection.scope) or ""):
        raise Invalid("The Host header is not a valid host name and port.")
    agent = connection.scope.get("user")
    path = str(connection.scope.get("path", ""))  # not connection.url: a bad Host breaks it
    public = needs.public or path.startswith(SCHEMA_PATH)
    if not public and agent is None:
        raise Unauthorized("Sign in first.")
    state_changing = connection.scope.get("method", "GET") not in SAFE_METHODS
    if state_changing and path.startswith("/api/") and not _origin_matches(connection):
        raise Forbidden(
            "Request refused: it came from another site (Origin mismatch).", "other_origin"
        )
    if needs.admin and (agent is None or agent.role != "admin"):
        raise Forbidden("Only an admin can do this.", "admins_only")
    desk: Desk = connection.app.state.desk
    for param, value in connection.path_params.items():
        # Ids are positive 64-bit integers; anything else names nothing (and must not reach
        # SQLite, which cannot bind a larger integer).
        if isinstance(value, int) and not 0 < value <= MAX_ID:
            raise NotFound(f"{param.removesuffix('_id').capitalize()} {value} not found.")
    for param, exists in needs.exists.items():
        value = connection.path_params.get(param)
        if value is not None and not exists(desk, value):
            raise NotFound(f"{param.removesuffix('_id').capitalize()} {value} not found.")
    if state_changing and needs.upload_limit:
        _check_file_rules(connection, needs.upload_limit, "multipart/form-data", _NOT_MULTIPART)
    elif state_changing and needs.csv_limit:
        _check_file_rules(connection, needs.csv_limit, "text/csv", _NOT_CSV)
    elif state_changing and needs.widget is None:  # the widget's guard checks them in its order
        check_body_rules(connection, desk.settings.max_body_bytes)
