"""Input rules, one home for all of them: what a valid id, name, email or password is, and how
emails compare. Every layer may use them; they raise `Invalid` naming the field."""

from __future__ import annotations

from desk.errors import Invalid

MAX_ID = 2**63 - 1  # SQLite's largest integer: a bigger id cannot exist (and cannot be bound)
MIN_PASSWORD = 8
MAX_PASSWORD = 1024


def email_key(email: str) -> str:
    """Emails compare case-insensitively and ignore surrounding space."""
    return email.strip().casefold()


def clean_name(value: str, field: str = "name", limit: int = 100) -> str:
    name = value.strip()
    if not name:
        raise Invalid(f"{field} must not be empty.", field)
    if len(name) > limit:
        raise Invalid(f"{field} must be at most {limit} characters.", field)
    return name


def clean_email(value: str, field: str = "email") -> str:
    email = value.strip()
    local, at, domain = email.rpartition("@")
    if not at or not local or not domain or " " in email or len(email) > 254:
        raise Invalid(f"{field} must be an email address like name@example.com.", field)
    return email


def check_password(value: str, field: str = "password") -> str:
    if len(value) < MIN_PASSWORD:
        raise Invalid(f"{field} must be at least {MIN_PASSWORD} characters.", field)
    if len(value) > MAX_PASSWORD:
        raise Invalid(f"{field} must be at most {MAX_PASSWORD} characters.", field)
    return value
