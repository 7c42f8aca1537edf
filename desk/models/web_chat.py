"""The web chat widget's visitors: as stored, and what the visitor API takes and answers."""

from __future__ import annotations

from typing import Any, Literal

import msgspec

# What a visitor sees of a conversation: what they and the team said; never notes or activity.
VISIBLE_TYPES = ("incoming", "outgoing")


class Visitor(msgspec.Struct, kw_only=True):
    """A visitor token's holder (the token itself is never stored, only its hash)."""

    id: int
    channel_id: int
    name: str | None
    email: str | None
    email_verified: bool
    contact_id: int | None
    conversation_id: int | None
    last_seen_at: str


class VisibleMessage(msgspec.Struct, kw_only=True):
    """A message of the visitor's conversation as stored (incoming or outgoing only)."""

    id: int
    type: str
    body: str
    sender_type: str
    sender_name: str
    created_at: str


class WidgetConfig(msgspec.Struct, kw_only=True):
    workspace: str
    greeting: str
    color: str
    online: bool


class VisitorCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: str | None = None
    email: str | None = None
    email_hmac: str | None = None


class VisitorToken(msgspec.Struct, kw_only=True):
    visitor_token: str


class VisitorPost(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    body: str


class WidgetSender(msgspec.Struct, kw_only=True):
    type: Literal["contact", "agent", "automation", "system"]
    name: str | None


class WidgetMessage(msgspec.Struct, kw_only=True):
    """A message as a visitor sees it: agents by first name, automations unnamed."""

    id: int
    type: Literal["incoming", "outgoing"]
    body: str
    sender: WidgetSender
    attachments: list[Any]
    created_at: str


class WidgetPage(msgspec.Struct, kw_only=True):
    items: list[WidgetMessage]
    status: str | None
