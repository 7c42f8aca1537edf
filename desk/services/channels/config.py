"""A channel's `config`, checked against its type's keys (each type's module declares them).

`clean_config(type, given, current)` checks a config as a client sent it (POST: everything;
PATCH: the keys to change, merged over the stored config, so an omitted secret is kept) and
returns the config to store. `public_config` is what a client may read: secrets replaced by
`<name>_set`. Read-only keys the server adds on read (`inbound_url`, ...) are ignored when a
client sends them back, so GET-edit-PATCH works.
"""

from __future__ import annotations

import copy
from typing import Any

from desk.errors import Invalid
from desk.services.channels.registry import WIRING_KEYS, adapter_for


def clean_config(
    channel_type: str, given: dict[str, Any], current: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The config to store: `given` merged over `current`, every key checked, defaults
    filled in. A null resets a key to its default (or clears a secret)."""
    schema = adapter_for(channel_type).config_keys
    merged = dict(current or {})
    for key, value in given.items():
        if key in WIRING_KEYS or (key.endswith("_set") and key[:-4] in schema):
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
    for key, spec in adapter_for(channel_type).config_keys.items():
        if spec.secret:
            visible[f"{key}_set"] = bool(config.get(key))
        else:
            visible[key] = config.get(key, spec.default)
    return visible
