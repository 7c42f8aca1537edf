"""Plain domain values shared by store, services and api."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

import msgspec

Role = Literal["admin", "agent"]


def iso(moment: datetime) -> str:
    """UTC, second precision, `Z` suffix: the one timestamp format of the API and the store."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


class Agent(msgspec.Struct, kw_only=True):
    id: int
    name: str
    email: str
    role: Role
    created_at: str
    last_seen_at: str | None = None


class TeamMember(msgspec.Struct, kw_only=True):
    id: int
    name: str
    email: str
    role: Role


class ChannelRef(msgspec.Struct, kw_only=True):
    """What every agent may know of a channel: enough to filter by it and start a conversation."""

    id: int
    name: str
    type: str
    active: bool


class Credentials(msgspec.Struct, kw_only=True):
    agent_id: int
    password_hash: str


class Session(msgspec.Struct, kw_only=True):
    id: int
    agent_id: int
    created_at: str
    last_seen_at: str
    expires_at: str


class AiSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    provider: Literal["builtin", "openai_compatible"] = "builtin"
    base_url: str | None = None
    model: str | None = None


class AutoReply(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    enabled: bool = False
    body: str = (
        "Thanks for your message! We're outside our business hours right now and "
        "will reply as soon as we're back."
    )


BusinessHours = dict[str, list[list[str]]]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def default_business_hours() -> BusinessHours:
    return {day: ([["09:00", "17:00"]] if day not in ("sat", "sun") else []) for day in WEEKDAYS}


class Workspace(msgspec.Struct, kw_only=True):
    name: str
    timezone: str
    business_hours: BusinessHours
    auto_reply: AutoReply
    ai: AiSettings
    ai_api_key: str | None
    updated_at: str
