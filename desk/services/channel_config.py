"""Each channel type's `config`: which keys it has, their types, defaults and secrets.

`clean_config(type, given, current)` checks a config as a client sent it (POST: everything;
PATCH: the keys to change, merged over the stored config, so an omitted secret is kept) and
returns the config to store. `public_config` is what a client may read: secrets replaced by
`<name>_set`. Read-only keys the server adds on read (`inbound_url`, ...) are ignored when a
client sends them back, so GET-edit-PATCH works.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, urlsplit

from desk.errors import Invalid
from desk.services.validation import clean_email

READ_ONLY_KEYS = frozenset(
    {"inbound_url", "signing_secret", "public_token", "embed_snippet", "identity_secret"}
)
DEFAULT_GREETING = "Hi! How can we help?"
DEFAULT_COLOR = "#3b82f6"
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_TLS = ("ssl", "starttls", "none")
MAX_TEXT = 500
MAX_URL = 2000
MAX_ORIGINS = 50
MAX_GREETINGS = 50


def _text(value: Any, field: str, limit: int = MAX_TEXT, *, required: bool = False) -> str:
    if not isinstance(value, str):
        raise Invalid(f"{field} must be a string.", field)
    text = value.strip()
    if required and not text:
        raise Invalid(f"{field} must not be empty.", field)
    if len(text) > limit:
        raise Invalid(f"{field} must be at most {limit} characters.", field)
    return text


def _port(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
        raise Invalid(f"{field} must be a port number (1..65535).", field)
    return value


def _host(value: Any, field: str) -> str:
    host = _text(value, field, 253, required=True)
    if any(c.isspace() or c in "/:@" for c in host):
        raise Invalid(f"{field} must be a host name or address, like mail.example.com.", field)
    return host


def _tls(value: Any, field: str) -> str:
    if value not in _TLS:
        raise Invalid(f"{field} must be one of ssl, starttls, none.", field)
    return str(value)


def _poll(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 10 <= value <= 86400:
        raise Invalid(f"{field} must be a whole number of seconds (10..86400).", field)
    return value


def _email(value: Any, field: str) -> str:
    return clean_email(_text(value, field, 254, required=True), field)


def _line(value: Any, field: str, limit: int, *, required: bool = False) -> str:
    """One line of text: it goes into an IMAP command or a mail header, where a line break
    (`"x\r\nBcc: ..."`) would start a command or header of its own."""
    text = _text(value, field, limit, required=required)
    if any(ord(char) < 32 or ord(char) == 127 for char in text):
        raise Invalid(f"{field} must be one line without control characters.", field)
    return text


def _secret(value: Any, field: str) -> str:
    return _line(value, field, 1000)


def _split(url: str, field: str, message: str) -> SplitResult:
    """urlsplit, with a malformed URL (`http://[::1`, port 99999) as a 400, not a crash."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a port that is not a number in 0..65535
    except ValueError:
        raise Invalid(message, field) from None
    return parts


def _webhook_url(value: Any, field: str) -> str | None:
    if value is None:
        return None
    url = _text(value, field, MAX_URL)
    if not url:
        return None
    parts = _split(url, field, f"{field} must be an http:// or https:// URL.")
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in url:
        raise Invalid(f"{field} must be an http:// or https:// URL.", field)
    return url


def _origins(value: Any, field: str) -> list[str]:
    if not isinstance(value, list) or len(value) > MAX_ORIGINS:
        raise Invalid(f"{field} must be a list of up to {MAX_ORIGINS} origins.", field)
    origins = []
    for item in value:
        origin = _text(item, field, 300).rstrip("/")
        parts = _split(origin, field, f"{field} entries must be origins like https://shop.example.")
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


def _color(value: Any, field: str) -> str:
    if not isinstance(value, str) or not _COLOR.match(value):
        raise Invalid(f"{field} must be a colour like #3b82f6.", field)
    return value.lower()


def _greetings(value: Any, field: str) -> dict[str, str]:
    """Per-language greetings: {"de": "Hallo! ..."}, keyed by ISO 639 language code."""
    if not isinstance(value, dict) or len(value) > MAX_GREETINGS:
        raise Invalid(f"{field} must be an object of up to {MAX_GREETINGS} greetings.", field)
    greetings = {}
    for key, text in value.items():
        language = key.strip().lower()
        if not _LANGUAGE.match(language):
            raise Invalid(f"{field} keys must be language codes like de or fr.", field)
        greetings[language] = _text(text, f"{field}.{language}", required=True)
    return greetings


@dataclass(frozen=True)
class Key:
    check: Callable[[Any, str], Any]
    default: Any = None
    required: bool = False
    secret: bool = False
    nullable: bool = False


SCHEMAS: dict[str, dict[str, Key]] = {
    "phone": {},
    "api": {"webhook_url": Key(_webhook_url, None, nullable=True)},
    "web_chat": {
        "allowed_origins": Key(_origins, []),
        "greeting": Key(lambda v, f: _text(v, f), DEFAULT_GREETING),
        "greetings": Key(_greetings, {}),
        "color": Key(_color, DEFAULT_COLOR),
    },
    "email": {
        "imap_host": Key(_host, required=True),
        "imap_port": Key(_port, required=True),
        "imap_user": Key(lambda v, f: _line(v, f, 254), ""),
        "imap_password": Key(_secret, "", secret=True),
        "imap_tls": Key(_tls, "ssl"),
        "imap_folder": Key(lambda v, f: _line(v, f, 200, required=True), "INBOX"),
        "smtp_host": Key(_host, required=True),
        "smtp_port": Key(_port, required=True),
        "smtp_user": Key(lambda v, f: _line(v, f, 254), ""),
        "smtp_password": Key(_secret, "", secret=True),
        "smtp_tls": Key(_tls, "starttls"),
        "from_address": Key(_email, required=True),
        "from_name": Key(lambda v, f: _line(v, f, 200), ""),
        "poll_seconds": Key(_poll, 60),
    },
}


def clean_config(
    channel_type: str, given: dict[str, Any], current: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The config to store: `given` merged over `current`, every key checked, defaults
    filled in. A null resets a key to its default (or clears a secret)."""
    schema = SCHEMAS[channel_type]
    merged = dict(current or {})
    for key, value in given.items():
        if key in READ_ONLY_KEYS or (key.endswith("_set") and key[:-4] in schema):
            continue  # the server's own read-only wiring, echoed back by a GET-edit-PATCH
        if key not in schema:
            name = f"config.{key[:60]}"
            raise Invalid(f"Unknown key {name} for a {channel_type} channel.", name)
        if value is None and not schema[key].nullable:
            merged.pop(key, None)
        else:
            merged[key] = value
    cleaned: dict[str, Any] = {}
    for key, spec in schema.items():
        field = f"config.{key}"
        if key not in merged or (merged[key] is None and not spec.nullable):
            if spec.required:
                raise Invalid(f"{field} is required for a {channel_type} channel.", field)
            cleaned[key] = copy.deepcopy(spec.default)
            continue
        cleaned[key] = spec.check(merged[key], field)
    return cleaned


def public_config(channel_type: str, config: dict[str, Any]) -> dict[str, Any]:
    """The config as a client may see it: each secret replaced by `<name>_set`."""
    visible: dict[str, Any] = {}
    for key, spec in SCHEMAS[channel_type].items():
        if spec.secret:
            visible[f"{key}_set"] = bool(config.get(key))
        else:
            visible[key] = config.get(key, spec.default)
    return visible
