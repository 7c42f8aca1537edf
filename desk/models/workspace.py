"""The workspace: its settings (business hours, out-of-hours auto-reply, AI provider), what
every agent sees of them, and the changes an admin sends."""

from __future__ import annotations

from typing import Literal

import msgspec

from desk.models.agents import TeamMember
from desk.models.channels import ChannelRef


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


class SettingsView(msgspec.Struct, kw_only=True):
    workspace: Workspace
    channels: list[ChannelRef]
    team: list[TeamMember]


class AiUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    provider: Literal["builtin", "openai_compatible"] | msgspec.UnsetType = msgspec.UNSET
    base_url: str | msgspec.UnsetType | None = msgspec.UNSET
    model: str | msgspec.UnsetType | None = msgspec.UNSET
    api_key: str | msgspec.UnsetType | None = msgspec.UNSET


class WorkspaceChanges(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: str | msgspec.UnsetType = msgspec.UNSET
    timezone: str | msgspec.UnsetType = msgspec.UNSET
    business_hours: BusinessHours | msgspec.UnsetType = msgspec.UNSET
    auto_reply: AutoReply | msgspec.UnsetType = msgspec.UNSET
    ai: AiUpdate | msgspec.UnsetType = msgspec.UNSET
