"""The contact directory's values."""

from __future__ import annotations

from typing import Literal

import msgspec

AttributeValue = str | int | float | bool
ContactSort = Literal["name", "created_desc"]


class Contact(msgspec.Struct, kw_only=True):
    id: int
    name: str | None
    email: str | None
    phone: str | None
    company: str | None
    notes: str
    custom_attributes: dict[str, AttributeValue]
    conversation_count: int
    created_at: str
    updated_at: str


class ContactCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    notes: str = ""
    custom_attributes: dict[str, AttributeValue] = msgspec.field(default_factory=dict)


class ContactChanges(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: str | msgspec.UnsetType | None = msgspec.UNSET
    email: str | msgspec.UnsetType | None = msgspec.UNSET
    phone: str | msgspec.UnsetType | None = msgspec.UNSET
    company: str | msgspec.UnsetType | None = msgspec.UNSET
    notes: str | msgspec.UnsetType | None = msgspec.UNSET
    # A key set to null removes it; the others are merged into the contact's attributes.
    custom_attributes: dict[str, AttributeValue | None] | msgspec.UnsetType = msgspec.UNSET
