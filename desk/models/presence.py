"""Presence: which agent has which conversation open, and whether they are typing."""

from __future__ import annotations

from typing import Literal

import msgspec

PresenceState = Literal["viewing", "typing", "left"]


class PresenceAgent(msgspec.Struct, kw_only=True):
    id: int
    name: str


class Presence(msgspec.Struct, kw_only=True):
    """The `presence` event's data, and what the presence endpoints answer."""

    conversation_id: int
    agent: PresenceAgent
    state: PresenceState


class PresenceChange(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    state: PresenceState
