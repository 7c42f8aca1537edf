"""The workspace settings every agent sees and admins change: name, timezone, business hours,
out-of-hours auto-reply, AI provider."""

from __future__ import annotations

import re
import sqlite3
import zoneinfo

import msgspec

from desk.errors import Invalid
from desk.models.workspace import (
    WEEKDAYS,
    AiSettings,
    AiUpdate,
    AutoReply,
    BusinessHours,
    SettingsView,
    Workspace,
    WorkspaceChanges,
    default_business_hours,
)
from desk.services.desk import Desk
from desk.store import agents as agents_store
from desk.store import channels as channels_store
from desk.store import workspace as workspace_store
from desk.validation import check_http_url, clean_name

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")


def new_workspace(name: str, now: str) -> Workspace:
    return Workspace(
        name=name,
        timezone="UTC",
        business_hours=default_business_hours(),
        auto_reply=AutoReply(),
        ai=AiSettings(),
        ai_api_key=None,
        updated_at=now,
    )


def _stored_or_default(desk: Desk, conn: sqlite3.Connection) -> Workspace:
    """The workspace row, or the defaults while setup has not run."""
    return workspace_store.get_workspace(conn) or new_workspace("Desk", desk.now_iso())


def ensure_workspace(desk: Desk, name: str = "Desk") -> None:
    """Create the workspace row with defaults if setup never ran (`desk create-admin` first)."""
    with desk.db.write() as conn:
        if workspace_store.get_workspace(conn) is None:
            workspace_store.save_workspace(conn, new_workspace(name, desk.now_iso()))


def get_workspace(desk: Desk) -> Workspace:
    with desk.db.read() as conn:
        return _stored_or_default(desk, conn)


def get_settings(desk: Desk) -> SettingsView:
    with desk.db.read() as conn:
        workspace = _stored_or_default(desk, conn)
        team = agents_store.list_team(conn)
        channels = channels_store.list_channel_refs(conn)
    return SettingsView(workspace=workspace, channels=channels, team=team)


def update_workspace(desk: Desk, changes: WorkspaceChanges) -> SettingsView:
    with desk.db.write() as conn:
        current = _stored_or_default(desk, conn)
        updated = _apply_changes(current, changes)
        updated = msgspec.structs.replace(updated, updated_at=desk.now_iso())
        workspace_store.save_workspace(conn, updated)
    return get_settings(desk)


def _apply_changes(current: Workspace, changes: WorkspaceChanges) -> Workspace:
    updated = current
    if changes.name is not msgspec.UNSET:
        updated = msgspec.structs.replace(updated, name=clean_name(changes.name))
    if changes.timezone is not msgspec.UNSET:
        updated = msgspec.structs.replace(updated, timezone=check_timezone(changes.timezone))
    if changes.business_hours is not msgspec.UNSET:
        hours = check_business_hours(changes.business_hours)
        updated = msgspec.structs.replace(updated, business_hours=hours)
    if changes.auto_reply is not msgspec.UNSET:
        reply = changes.auto_reply
        if reply.enabled and not reply.body.strip():
            raise Invalid(
                "auto_reply.body must not be empty when enabled.", "auto_reply.body", "required"
            )
        if len(reply.body) > 5000:
            raise Invalid("auto_reply.body must be at most 5000 characters.", "auto_reply.body")
        updated = msgspec.structs.replace(updated, auto_reply=reply)
    if changes.ai is not msgspec.UNSET:
        updated = _apply_ai(updated, changes.ai)
    return updated


def _apply_ai(current: Workspace, change: AiUpdate) -> Workspace:
    ai = current.ai
    key = current.ai_api_key
    if change.provider is not msgspec.UNSET:
        ai = msgspec.structs.replace(ai, provider=change.provider)
    if change.base_url is not msgspec.UNSET:
        url = (change.base_url or "").strip() or None
        if url and not re.match(r"^https?://[^\s/]+", url):
            raise Invalid(
                "ai.base_url must be an http:// or https:// URL.", "ai.base_url", "invalid_url"
            )
        url = check_http_url(url, "ai.base_url")  # no credentials, no link-local addresses
        ai = msgspec.structs.replace(ai, base_url=url)
    if change.model is not msgspec.UNSET:
        model = (change.model or "").strip() or None
        if model and len(model) > 200:
            raise Invalid("ai.model must be at most 200 characters.", "ai.model")
        ai = msgspec.structs.replace(ai, model=model)
    if change.api_key is not msgspec.UNSET:
        key = (change.api_key or "").strip() or None
    if ai.provider == "openai_compatible" and not (ai.base_url and ai.model):
        raise Invalid("ai.base_url and ai.model are required for openai_compatible.", "ai")
    return msgspec.structs.replace(current, ai=ai, ai_api_key=key)


def check_timezone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise Invalid(f"Unknown timezone: {name[:64]}.", "timezone", "unknown_timezone") from None
    return name


def check_business_hours(hours: BusinessHours) -> BusinessHours:
    unknown = set(hours) - set(WEEKDAYS)
    if unknown:
        raise Invalid(
            f"Unknown day in business_hours: {sorted(unknown)[0][:10]}.", "business_hours"
        )
    cleaned: BusinessHours = {}
    for day in WEEKDAYS:
        spans = hours.get(day, [])
        for span in spans:
            if len(span) != 2 or not all(_HHMM.match(t) for t in span) or span[0] >= span[1]:
                raise Invalid(
                    f'business_hours.{day} needs [start, end] pairs like ["09:00", "17:00"].',
                    "business_hours",
                )
        cleaned[day] = [list(span) for span in spans]
    return cleaned
