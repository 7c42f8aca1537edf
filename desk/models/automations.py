"""Automations: event + conditions + actions rules, and what their conditions read."""

from __future__ import annotations

from typing import Any

import msgspec


class Condition(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    field: str
    operator: str
    value: Any = None


class Action(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    type: str
    value: Any = None


class Automation(msgspec.Struct, kw_only=True):
    """An automation exactly as the API returns it."""

    id: int
    name: str
    event: str
    active: bool
    conditions: list[Condition]
    actions: list[Action]
    after_minutes: int | None
    run_count: int
    last_run_at: str | None
    created_at: str


class Context(msgspec.Struct, kw_only=True):
    """What conditions and templates may refer to."""

    conversation_id: int
    channel_id: int
    channel_type: str
    subject: str
    status: str
    priority: str
    assignee_id: int | None
    assignee_name: str
    contact_name: str
    contact_email: str
    tags: list[str]
    latest_incoming: str


class Draft(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The body of POST /api/automations."""

    name: str
    event: str
    conditions: list[Condition] = []
    actions: list[Action]
    active: bool = True
    after_minutes: int | None = None


class AutomationChanges(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The body of PATCH /api/automations/{id}: any of the fields of a Draft; what is left out
    stays as it is (`after_minutes` goes when `event` changes away from conversation_waiting)."""

    name: str | msgspec.UnsetType = msgspec.UNSET
    event: str | msgspec.UnsetType = msgspec.UNSET
    conditions: list[Condition] | msgspec.UnsetType = msgspec.UNSET
    actions: list[Action] | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET
    after_minutes: int | msgspec.UnsetType | None = msgspec.UNSET
