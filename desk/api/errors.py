"""The one error shape, `{"error": "..."}`, built here for every failure of every route."""

from __future__ import annotations

import logging
import uuid
from http import HTTPStatus
from typing import Any

import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec

from desk.errors import (
    Conflict,
    DatabaseDamaged,
    DeskError,
    DiskFull,
    Forbidden,
    Invalid,
    NotFound,
    ReplyCollision,
    TooManyAttempts,
    Unauthorized,
)
from desk.models.messages import Message
from desk.services import health

log = logging.getLogger("desk.api")


class TooLarge(DeskError):
    """The body is over the limit (413)."""

    code = "too_large"


class ErrorBody(msgspec.Struct, omit_defaults=True):
    error: str
    field: str | None = None
    code: str | None = None


class CollisionBody(msgspec.Struct):
    """409 of a reply guarded by `after_message_id`: the replies written since."""

    error: str
    code: str
    newer: list[Message]


_STATUS = {
    Invalid: 400,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    TooLarge: 413,
    TooManyAttempts: 429,
    DatabaseDamaged: 503,
    DiskFull: 507,
}

_DESCRIPTIONS = {
    400: "Invalid request: malformed JSON, a wrong type, a missing or unknown field",
    401: "No, expired or revoked session; or wrong credentials",
    403: "The role may not do this, or the request came from another origin",
    404: "Unknown id",
    409: "Conflicts with the current state",
    413: "Body larger than 1 MiB",
    429: "Too many failed sign-ins; see Retry-After",
    503: "The database is damaged (code database_damaged): restore it from a backup",
    507: "The disk holding Desk's data is full (code disk_full): nothing was saved",
}

# Litestar's own messages for statuses it raises itself, reworded for people.
_DEFAULT_MESSAGES = {
    401: "Sign in first.",
    403: "You may not do this.",
    404: "Not found.",
    405: "Method not allowed for this URL.",
    413: "The request body is too large (limit 1 MiB).",
}

# The codes of Litestar's own refusals, by status (a DeskError carries its own).
HTTP_CODES = {
    400: "invalid",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "too_many_attempts",
}
HTTP_OTHER = "http_error"
INVALID_JSON = "invalid_json"
INTERNAL = "internal"

# msgspec's decode errors as Litestar passes them on: `{` is "Input data was truncated", 1e999
# is "Number out of range", `\xff` is "JSON is malformed".
_JSON_WORDS = ("json", "truncated", "out of range", "decode")


def error_responses(*codes: int) -> dict[int, ResponseSpec]:
    """OpenAPI declarations of the error statuses a route can answer."""
    return {
        # No generated examples: they are random Faker text, and would pull Faker (~800 files
        # unpacked at every start) into the single executable.
        code: ResponseSpec(
            data_container=ErrorBody, description=_DESCRIPTIONS[code], generate_examples=False
        )
        for code in codes
    }


def collision_response() -> dict[int, ResponseSpec]:
    """OpenAPI declaration of the reply guard's 409 (its body carries `newer`)."""
    return {
        409: ResponseSpec(
            data_container=CollisionBody,
            description="A teammate replied after `after_message_id`: `newer` holds the "
            "replies, nothing was sent",
            generate_examples=False,
        )
    }


def _body(
    message: str, field: str | None = None, status: int = 400, code: str | None = None
) -> Response[ErrorBody]:
    return Response(
        ErrorBody(error=message, field=field, code=code),
        status_code=status,
        media_type=MediaType.JSON,
    )


def status_of(exc: DeskError) -> int:
    """The HTTP status a domain error answers."""
    return next(code for cls, code in _STATUS.items() if isinstance(exc, cls))


def handle_desk_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, DeskError)
    status = status_of(exc)
    message = exc.message
    if exc.public_message is not None and request.scope.get("user") is None:
        message = exc.public_message  # no paths for visitors and signed-out clients
    if isinstance(exc, ReplyCollision):
        return Response(
            CollisionBody(error=message, code=exc.code or "", newer=exc.newer),
            status_code=status,
            media_type=MediaType.JSON,
        )
    response = _body(message, getattr(exc, "field", None), status, exc.code)
    if isinstance(exc, TooManyAttempts):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def handle_http_exception(_: Request[Any, Any, Any], exc: Exception) -> Response[ErrorBody]:
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    if isinstance(exc, ValidationException):
        message, field = _validation_message(exc)
        json_broken = message == "The request body is not valid JSON."
        return _body(message, field, 400, INVALID_JSON if json_broken else HTTP_CODES[400])
    if status >= 500:
        return handle_unexpected(_, exc)
    message = _DEFAULT_MESSAGES.get(status) or HTTPStatus(status).phrase
    code = HTTP_CODES.get(status, HTTP_OTHER)
    if status == 400 and any(word in str(exc.detail).lower() for word in _JSON_WORDS):
        message, code = "The request body is not valid JSON.", INVALID_JSON
    response = _body(message, None, status, code)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[ErrorBody]:
    # A full disk or a damaged file met outside a database transaction (a file write):
    # the machine's fault, answered as such (507 / 503), never a bare 500.
    desk = request.app.state.get("desk")
    translated = health.machine_fault(desk, exc) if desk is not None else None
    if translated is not None:
        return handle_desk_error(request, translated)
    request_id = uuid.uuid4().hex[:12]
    log.error("request %s failed", request_id, exc_info=exc)
    return _body(f"Internal error (request id {request_id}).", None, 500, INTERNAL)


def _validation_message(exc: ValidationException) -> tuple[str, str | None]:
    """Turn Litestar/msgspec validation details into one sentence and the field's name."""
    extra = exc.extra if isinstance(exc.extra, list) else []
    for item in extra:
        if not isinstance(item, dict) or not item.get("message"):
            continue
        message = str(item["message"]).rstrip(".")
        key = str(item.get("key") or "")
        source = str(getattr(item.get("source"), "value", item.get("source")) or "")
        if source in ("query", "path", "header", "cookie"):
            return f"Invalid {source} parameter {key}: {message}.", key or None
        if message == "'data'":
            return "The request body is empty; send a JSON object.", None
        return message + ".", _field_from(message, "" if key == "data" else key)
    detail = str(exc.detail or "")
    if "json" in detail.lower() or "decode" in detail.lower():
        return "The request body is not valid JSON.", None
    return "The request body is not valid.", None


def _field_from(message: str, prefix: str) -> str | None:
    """The dotted field a msgspec message is about (`... - at `$.contact.email``)."""
    path = prefix
    if "at `$." in message:
        path = message.split("at `$.", 1)[1].split("`", 1)[0].split("[", 1)[0]
        path = f"{prefix}.{path}" if prefix else path
    for phrase in ("unknown field `", "required field `"):
        if phrase in message:
            name = message.split(phrase, 1)[1].split("`", 1)[0]
            path = f"{path}.{name}" if path else name
    return path.split("[", 1)[0] or None


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    DeskError: handle_desk_error,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}
