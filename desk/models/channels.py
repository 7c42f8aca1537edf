"""Channels: as stored, as the API shows them, and what admins send to make or change one."""

from __future__ import annotations

from typing import Any, Literal

import msgspec


class ChannelRef(msgspec.Struct, kw_only=True):
    """What every agent may know of a channel: enough to filter by it and start a conversation."""

    id: int
    name: str
    type: str
    active: bool


class ChannelRecord(msgspec.Struct, kw_only=True):
    """A channel as stored: config with its secrets, the inbound/public token, the signing
    secret. Never returned to a client as is."""

    id: int
    name: str
    type: str
    active: bool
    config: dict[str, Any]
    token: str
    signing_secret: str
    created_at: str
    updated_at: str


ChannelType = Literal["web_chat", "email", "api", "phone"]


class Channel(msgspec.Struct, kw_only=True):
    """A channel as the API shows it: secrets hidden, wiring fields added to `config`."""

    id: int
    name: str
    type: ChannelType
    active: bool
    config: dict[str, Any]
    created_at: str
    updated_at: str


class ChannelCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: str
    type: ChannelType
    config: dict[str, Any] = msgspec.field(default_factory=dict)
    active: bool = True


class ChannelChanges(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: str | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET
    # Merged over the stored config: keys left out (a secret, say) keep their value.
    config: dict[str, Any] | msgspec.UnsetType = msgspec.UNSET
