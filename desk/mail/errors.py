"""The one error the mail package raises: its message is safe to show to an admin (no
passwords, no stack traces) and says whether trying again later can help."""

from __future__ import annotations


class MailError(Exception):
    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        # A permanent error will fail the same way on every retry (a 5xx answer).
        self.permanent = permanent
