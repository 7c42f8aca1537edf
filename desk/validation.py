"""Input rules, one home for all of them: what a valid id, name, email, password, message body,
subject, tag, contact field or channel config value is, and how emails compare. Every layer
may use them; they raise `Invalid` naming the field."""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime
from typing import Any
from urllib.parse import SplitResult, urlsplit

from desk.errors import Invalid
from desk.models.contacts import AttributeValue

MAX_ID = 2**63 - 1  # SQLite's largest integer: a bigger id cannot exist (and cannot be bound)
MIN_PASSWORD = 8
MAX_PASSWORD = 1024
MAX_BODY = 20_000
MAX_SUBJECT = 200
MAX_TAG = 50
_TAG = re.compile(r"[\w\-. ]+")  # letters, digits, -, _, . and space
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_TLS = ("ssl", "starttls", "none")
MAX_TEXT = 500
MAX_URL = 2000
MAX_ORIGINS = 50
MAX_GREETINGS = 50
_LANGUAGE = re.compile(r"[a-z]{2,3}")  # an ISO 639 language code
UI_LANGUAGES = ("en", "de", "fr", "es")  # the agent UI's catalogues, desk/ui/i18n/
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
        raise Invalid(f"{field} must not be empty.", field, "required")
    if len(name) > limit:
        raise Invalid(f"{field} must be at most {limit} characters.", field, "too_long")
    return name


def clean_email(value: str, field: str = "email") -> str:
    email = value.strip()
    local, at, domain = email.rpartition("@")
    if not at or not local or not domain or " " in email or len(email) > 254:
        raise Invalid(
            f"{field} must be an email address like name@example.com.", field, "invalid_email"
        )
    return email


def check_password(value: str, field: str = "password") -> str:
    if len(value) < MIN_PASSWORD:
        raise Invalid(
            f"{field} must be at least {MIN_PASSWORD} characters.", field, "password_short"
        )
    if len(value) > MAX_PASSWORD:
        raise Invalid(f"{field} must be at most {MAX_PASSWORD} characters.", field, "too_long")
    return value


def check_ui_language(value: str | None, field: str = "language") -> str | None:
    """One of the agent UI's languages, or None (the browser's)."""
    if value is not None and value not in UI_LANGUAGES:
        raise Invalid(f"The language must be one of {', '.join(UI_LANGUAGES)}, or null.", field)
    return value


def clean_body(body: str, field_name: str = "body") -> str:
    text = body.strip()
    if not text:
        raise Invalid(f"{field_name} must not be empty.", field_name, "required")
    if len(text) > MAX_BODY:
        raise Invalid(
            f"{field_name} must be at most {MAX_BODY:,} characters.", field_name, "too_long"
        )
    return text


_SHORTCUT = re.compile(r"[a-z0-9_-]{1,32}")


def clean_shortcut(value: str, field: str = "shortcut") -> str:
    """A canned reply's shortcut: 1..32 of a-z, 0-9, `-`, `_` (trimmed, lower-cased; a leading
    `/`, as typed in the composer, is dropped)."""
    shortcut = value.strip().lower().removeprefix("/")
    if not _SHORTCUT.fullmatch(shortcut):
        raise Invalid(f"{field} must be 1 to 32 of a-z, 0-9, - and _.", field, "invalid_shortcut")
    return shortcut


def clean_subject(subject: str) -> str:
    text = subject.strip()
    if len(text) > MAX_SUBJECT:
        raise Invalid(f"subject must be at most {MAX_SUBJECT} characters.", "subject", "too_long")
    return text


def clean_tag(tag: str, field_name: str = "tag") -> str:
    """Tags are lower-case, trimmed, 1..50 letters, digits, `-`, `_`, `.` or spaces."""
    text = tag.strip().lower()
    if not text or len(text) > MAX_TAG or not _TAG.fullmatch(text):
        raise Invalid(
            f"{field_name}: a tag is 1 to {MAX_TAG} letters, digits, spaces, '-', '_' or '.'.",
            field_name,
            "invalid_tag",
        )
    return text


def clean_contact_text(value: str | None, field: str) -> str | None:
    """A contact's name, phone, company or external id: trimmed, within its limit; empty means
    absent."""
    if value is None:
        return None
    text = value.strip()
    if len(text) > CONTACT_LIMITS[field]:
        raise Invalid(
            f"{field} must be at most {CONTACT_LIMITS[field]} characters.", field, "too_long"
        )
    return text or None


def clean_optional_email(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    return clean_email(value)


def clean_notes(value: str | None) -> str:
    notes = (value or "").strip()
    if len(notes) > MAX_NOTES:
        raise Invalid(f"notes must be at most {MAX_NOTES} characters.", "notes", "too_long")
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


# -- channel config values (the keys of each type: desk/services/channels/) ---------------


def check_text(value: Any, field: str, limit: int = MAX_TEXT, *, required: bool = False) -> str:
    if not isinstance(value, str):
        raise Invalid(f"{field} must be a string.", field)
    text = value.strip()
    if required and not text:
        raise Invalid(f"{field} must not be empty.", field, "required")
    if len(text) > limit:
        raise Invalid(f"{field} must be at most {limit} characters.", field, "too_long")
    return text


def check_port(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
        raise Invalid(f"{field} must be a port number (1..65535).", field, "invalid_port")
    return value


def check_host(value: Any, field: str) -> str:
    host = check_text(value, field, 253, required=True)
    if any(c.isspace() or c in "/:@" for c in host):
        raise Invalid(
            f"{field} must be a host name or address, like mail.example.com.", field, "invalid_host"
        )
    return host


def check_tls(value: Any, field: str) -> str:
    if value not in _TLS:
        raise Invalid(f"{field} must be one of ssl, starttls, none.", field)
    return str(value)


def check_poll_seconds(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 10 <= value <= 86400:
        raise Invalid(f"{field} must be a whole number of seconds (10..86400).", field)
    return value


def check_config_email(value: Any, field: str) -> str:
    return clean_email(check_text(value, field, 254, required=True), field)


def check_line(value: Any, field: str, limit: int, *, required: bool = False) -> str:
    """One line of text: it goes into an IMAP command or a mail header, where a line break
    (`"x\r\nBcc: ..."`) would start a command or header of its own."""
    text = check_text(value, field, limit, required=required)
    if any(ord(char) < 32 or ord(char) == 127 for char in text):
        raise Invalid(f"{field} must be one line without control characters.", field)
    return text


def check_secret(value: Any, field: str) -> str:
    return check_line(value, field, 1000)


def _split_url(url: str, field: str, message: str) -> SplitResult:
    """urlsplit, with a malformed URL (`http://[::1`, port 99999) as a 400, not a crash."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a port that is not a number in 0..65535
    except ValueError:
        raise Invalid(message, field) from None
    return parts


def check_http_url(value: Any, field: str) -> str | None:
    if value is None:
        return None
    url = check_text(value, field, MAX_URL)
    if not url:
        return None
    parts = _split_url(url, field, f"{field} must be an http:// or https:// URL.")
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in url:
        raise Invalid(f"{field} must be an http:// or https:// URL.", field, "invalid_url")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise Invalid(
            f"{field} must not carry a user name or password (agents would see them); use the"
            " API key or signing secret instead.",
            field,
        )
    if forbidden_address(parts.hostname):
        raise Invalid(
            f"{field} points at a link-local or cloud-metadata address, which Desk never calls.",
            field,
        )
    return url


def forbidden_address(host: str) -> bool:
    """A link-local or cloud-metadata address (169.254.0.0/16, fe80::/10, and their
    IPv4-mapped and -compatible forms), which outgoing requests never reach. Loopback and LAN
    addresses are allowed: that is where a desk's neighbours live."""
    try:
        address = ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        return False  # a name: checked on every resolved address at connect time
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or _ipv4_compatible(address)
        if mapped is not None:
            address = mapped
    return address.is_link_local or str(address) in METADATA_ADDRESSES


METADATA_ADDRESSES = frozenset({"fd00:ec2::254"})  # AWS IMDS over IPv6 (a ULA, not link-local)


def _ipv4_compatible(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """`::169.254.169.254` (the deprecated IPv4-compatible form) and NAT64 `64:ff9b::/96`."""
    value = int(address)
    if value >> 32 == 0 and value > 0xFFFF:
        return ipaddress.IPv4Address(value & 0xFFFFFFFF)
    if address in ipaddress.IPv6Network("64:ff9b::/96"):
        return ipaddress.IPv4Address(value & 0xFFFFFFFF)
    return None


def without_credentials(url: str | None) -> str | None:
    """A URL as agents may see it: a user or password saved before they were refused is cut."""
    if not url or "@" not in url:
        return url
    parts = urlsplit(url)
    return parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]).geturl()


def url_location(url: str) -> str:
    """`scheme://host:port` of a URL: what an error may show (never a path, user or password)."""
    try:
        parts = urlsplit(url)
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        return "(a malformed URL)"
    host = parts.hostname or ""
    shown = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{shown}:{port}"


def check_origins(value: Any, field: str) -> list[str]:
    if not isinstance(value, list) or len(value) > MAX_ORIGINS:
        raise Invalid(f"{field} must be a list of up to {MAX_ORIGINS} origins.", field)
    origins = []
    for item in value:
        origin = check_text(item, field, 300).rstrip("/")
        parts = _split_url(
            origin, field, f"{field} entries must be origins like https://shop.example."
        )
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or parts.path
            or parts.query
            or parts.fragment
            or "@" in parts.netloc
        ):
            raise Invalid(f"{field} entries must be origins like https://shop.example.", field)
        origins.append(origin.lower())
    return origins


def check_color(value: Any, field: str) -> str:
    if not isinstance(value, str) or not _COLOR.match(value):
        raise Invalid(f"{field} must be a colour like #3b82f6.", field)
    return value.lower()


def check_greetings(value: Any, field: str) -> dict[str, str]:
    """Greetings per visitor language: {"de": "Hallo! ..."}, keyed by ISO 639 code."""
    if not isinstance(value, dict) or len(value) > MAX_GREETINGS:
        raise Invalid(f"{field} must be an object of up to {MAX_GREETINGS} greetings.", field)
    greetings = {}
    for key, text in value.items():
        language = key.strip().lower()
        if not _LANGUAGE.fullmatch(language):
            raise Invalid(f"{field} keys must be language codes like de or fr.", field)
        greetings[language] = check_text(text, f"{field}.{language}", required=True)
    return greetings


def future_moment(text: str, now: datetime, field: str) -> datetime:
    """An ISO 8601 time with a time zone, later than `now`; else Invalid naming `field`."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise Invalid(
            f"{field} must be an ISO 8601 time like 2026-12-01T09:00:00Z.", field
        ) from None
    if moment.tzinfo is None:
        raise Invalid(f"{field} needs a time zone: end it with Z for UTC.", field)
    if moment <= now:
        raise Invalid(f"{field} must be in the future.", field)
    return moment
