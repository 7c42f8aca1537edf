"""Domain errors. Services raise these; the HTTP layer maps each to a status in one place."""

from __future__ import annotations

from pathlib import Path
from typing import Any


class DeskError(Exception):
    """Base: `message` is safe to show to the client (in English); `code` is a stable
    machine-readable key for it (`"disk_full"`) that a UI can act on or translate. Each class
    has a general code ("invalid", "not_found", ...); a raise that a person can meet in the UI
    names its own (`code="email_taken"`). Every code has a message in each of the UI's
    catalogues (desk/ui/i18n/*.json, `error.code.<code>`; tests/test_error_codes.py checks)."""

    code: str = "error"
    # Said instead of `message` to a client that is not a signed-in agent (a widget visitor,
    # a sign-in page), when `message` names things only the team should see (a path).
    public_message: str | None = None

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class Invalid(DeskError):
    """The request makes no sense (400). `field` names the offending input when known."""

    code = "invalid"

    def __init__(self, message: str, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message, code)
        self.field = field


class Unauthorized(DeskError):
    """No valid session, or wrong credentials (401)."""

    code = "unauthorized"


class Forbidden(DeskError):
    """Signed in, but not allowed (403)."""

    code = "forbidden"


class NotFound(DeskError):
    """The thing named does not exist (404). `field` names the input that named it, when it
    came in a body or query rather than the path."""

    code = "not_found"

    def __init__(self, message: str, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message, code)
        self.field = field


class Conflict(DeskError):
    """The request clashes with the current state (409)."""

    code = "conflict"


class ReplyCollision(Conflict):
    """A reply guarded by `after_message_id` met replies written since (409): `newer` are those
    replies (Messages), shown to the agent before anything is sent."""

    code = "reply_collision"

    def __init__(self, message: str, newer: list[Any]) -> None:
        super().__init__(message)
        self.newer = newer


class TooManyAttempts(DeskError):
    """Throttled (429); `retry_after` in whole seconds."""

    code = "too_many_attempts"

    def __init__(self, message: str, retry_after: int, code: str | None = None) -> None:
        super().__init__(message, code)
        self.retry_after = retry_after


class DiskFull(DeskError):
    """The disk holding Desk's data has no room for this write (507). Nothing of the write
    was kept; reads go on, and writes work again once there is room."""

    code = "disk_full"
    public_message = "The disk holding Desk's data is full, so this was not saved. Try later."

    def __init__(self, data_dir: Path) -> None:
        super().__init__(
            f"The disk holding Desk's data ({data_dir}) is full, so this was not saved. "
            "Free some space on it; Desk carries on by itself once there is room."
        )
        self.data_dir = data_dir


class DatabaseDamaged(DeskError):
    """The database file is damaged where this operation needed it (503)."""

    code = "database_damaged"
    public_message = "Desk's database is damaged; this cannot be done until it is restored."
