"""Small input rules shared by several services (names, emails, passwords)."""

from __future__ import annotations

from desk.errors import Invalid

MIN_PASSWORD = 8
MAX_PASSWORD = 1024


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
