"""Bulk actions: one change applied to many conversations (`POST /api/conversations/bulk`).

An action is the body of the matching single-conversation endpoint plus its `type`.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from desk.models.conversations import PositiveId, Priority, Status

MAX_BULK_IDS = 100


class _Action(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, tag_field="type"):
    pass


class SetStatus(_Action, tag="set_status"):
    status: Status
    snoozed_until: str | None = None


class Assign(_Action, tag="assign"):
    agent_id: PositiveId | None  # required; null unassigns


class AddTag(_Action, tag="add_tag"):
    tag: str


class RemoveTag(_Action, tag="remove_tag"):
    tag: str


class SetPriority(_Action, tag="set_priority"):
    priority: Priority


BulkAction = SetStatus | Assign | AddTag | RemoveTag | SetPriority


class BulkRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    ids: Annotated[list[PositiveId], msgspec.Meta(min_length=1, max_length=MAX_BULK_IDS)]
    action: BulkAction


class BulkResult(msgspec.Struct, kw_only=True, omit_defaults=True):
    """One id's outcome: `ok`, or the status and error its single endpoint would answer."""

    id: int
    ok: bool
    status: int | None = None
    error: str | None = None


class BulkResults(msgspec.Struct, kw_only=True):
    results: list[BulkResult]
