"""Canned replies: the team's shared answers."""

from __future__ import annotations

import msgspec


class Author(msgspec.Struct, kw_only=True):
    id: int | None  # null once the agent was deleted; the name stays
    name: str


class CannedReply(msgspec.Struct, kw_only=True):
    id: int
    shortcut: str
    title: str
    body: str
    created_by: Author
    created_at: str
    updated_at: str


class CannedReplyCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    shortcut: str
    title: str
    body: str


class CannedReplyChanges(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    shortcut: str | msgspec.UnsetType = msgspec.UNSET
    title: str | msgspec.UnsetType = msgspec.UNSET
    body: str | msgspec.UnsetType = msgspec.UNSET


class Rendered(msgspec.Struct, kw_only=True):
    body: str
