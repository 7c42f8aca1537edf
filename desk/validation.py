"""Input rules, one home for all of them: what a valid id, name, email, password, message body,
subject, tag or contact field is, and how emails compare. Every layer may use them; they
raise `Invalid` naming the field."""

from __future__ import annotations

import re
from typing import Any

from desk.errors import Invalid
from desk.models.contacts import AttributeValue

MAX_ID = 2**63 - 1  # SQLite's largest integer: a bigger id cannot exist (and cannot be bound)
MIN_PASSWORD = 8
MAX_PASSWORD = 1024
MAX_BODY = 20_000
MAX_SUBJECT = 200
MAX_TAG = 50
_TAG = re.compile(r"[\w\-. ]+")  # letters, digits, -, _, . and space
CONTACT_LIMITS = {"name": 200, "phone": 50, "company": 200, "external_id": 200}
MAX_NOTES = 5000
MAX_ATTRIBUTES = 50
MAX_ATTRIBUTE_KEY = 100
MAX_ATTRIBUTE_TEXT = 1000


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


def clean_contact_text(value: str | None, field: str) -> str | None:
    """A contact's name, phone, company or external id: trimmed, within its limit; empty means
    absent."""
    if value is None:
        return None
    text = value.strip()
    if len(text) > CONTACT_LIMITS[field]:
        raise Invalid(f"{field} must be at most {CONTACT_LIMITS[field]} characters.", field)
    return text or None


def clean_optional_email(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    return clean_email(value)


def clean_notes(value: str | None) -> str:
    notes = (value or "").strip()
    if len(notes) > MAX_NOTES:
        raise Invalid(f"notes must be at most {MAX_NOTES} characters.", "notes")
    return notes


def clean_attributes(
    attributes: dict[str, Any], base: dict[str, AttributeValue] | None = None
) -> dict[str, AttributeValue]:
    """Merge `attributes` into `base` key by key; a None value removes the key."""
    merged: dict[str, AttributeValue] = dict(base or {})
    for key, value in attributes.items():
        name = key.strip()
        if not name or len(name) > MAX_ATTRIBUTE_KEY:
            raise Invalid(
                f"custom_attributes keys must be 1..{MAX_ATTRIBUTE_KEY} characters.",
                "custom_attributes",
            )
        if value is None:
            merged.pop(name, None)
            continue
        if isinstance(value, str) and len(value) > MAX_ATTRIBUTE_TEXT:
            raise Invalid(
                f"custom_attributes.{name[:40]} must be at most {MAX_ATTRIBUTE_TEXT} characters.",
                "custom_attributes",
            )
        merged[name] = value
    if len(merged) > MAX_ATTRIBUTES:
        raise Invalid(
            f"custom_attributes may hold at most {MAX_ATTRIBUTES} keys.", "custom_attributes"
        )
    return merged
