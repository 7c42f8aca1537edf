"""Domain errors. Services raise these; the HTTP layer maps each to a status in one place."""

from __future__ import annotations


class DeskError(Exception):
    """Base: `message` is safe to show to the client."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Invalid(DeskError):
    """The request makes no sense (400). `field` names the offending input when known."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Unauthorized(DeskError):
    """No valid session, or wrong credentials (401)."""


class Forbidden(DeskError):
    """Signed in, but not allowed (403)."""


class NotFound(DeskError):
    """The thing named does not exist (404). `field` names the input that named it, when it
    came in a body or query rather than the path."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Conflict(DeskError):
    """The request clashes with the current state (409)."""


class TooManyAttempts(DeskError):
    """Throttled (429); `retry_after` in whole seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
