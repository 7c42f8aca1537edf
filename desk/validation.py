"""Input rules, one home for all of them: what a valid id, name, email, password, message body,
subject or tag is, and how emails compare. Every layer may use them; they raise `Invalid`
naming the field."""

from __future__ import annotations

import re

from desk.errors import Invalid

MAX_ID = 2**63 - 1  # SQLite's largest integer: a bigger id cannot exist (and cannot be bound)
MIN_PASSWORD = 8
MAX_PASSWORD = 1024
MAX_BODY = 20_000
MAX_SUBJECT = 200
MAX_TAG = 50
_TAG = re.compile(r"[\w\-. ]+")  # letters, digits, -, _, . and space


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


def clean_body(body: str, field_name: str = "body") -> str:
    text = body.strip()
    if not text:
        raise Invalid(f"{field_name} must not be empty.", field_name)
    if len(text) > MAX_BODY:
        raise Invalid(f"{field_name} must be at most {MAX_BODY:,} characters.", field_name)
    return text


def clean_subject(subject: str) -> str:
    text = subject.strip()
    if len(text) > MAX_SUBJECT:
        raise Invalid(f"subject must be at most {MAX_SUBJECT} characters.", "subject")
    return text


def clean_tag(tag: str, field_name: str = "tag") -> str:
    """Tags are lower-case, trimmed, 1..50 letters, digits, `-`, `_`, `.` or spaces."""
    text = tag.strip().lower()
    if not text or len(text) > MAX_TAG or not _TAG.fullmatch(text):
        raise Invalid(
            f"{field_name}: a tag is 1 to {MAX_TAG} letters, digits, spaces, '-', '_' or '.'.",
            field_name,
        )
    return text
