"""Saved views: a name for a set of the inbox list's filters, private or shared."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from desk.models.conversations import ListQuery
from desk.validation import MAX_ID

ViewId = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]


class Owner(msgspec.Struct, kw_only=True):
    id: int | None  # null once the agent was deleted (their shared views stay)
    name: str


class View(msgspec.Struct, kw_only=True):
    id: int
    name: str
    filters: ListQuery  # only the filters set, by the list's parameter names
    shared: bool
    owner: Owner
    created_at: str
    updated_at: str


class ViewRow(msgspec.Struct, kw_only=True):
    """A view as stored: its filters still JSON text."""

    id: int
    name: str
    filters: str
    shared: bool
    owner_id: int | None
    owner_name: str
    created_at: str
    updated_at: str


class ViewCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: str
    # Checked by the service (so an unknown key or a bad value gets its own error code).
    filters: dict[str, Any] = {}
    shared: bool = False


class ViewChanges(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: str | msgspec.UnsetType = msgspec.UNSET
    filters: dict[str, Any] | msgspec.UnsetType = msgspec.UNSET
    shared: bool | msgspec.UnsetType = msgspec.UNSET


class ViewOrder(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    ids: Annotated[list[ViewId], msgspec.Meta(min_length=1, max_length=500)]
