"""Conversations: as the API shows them, their state, the inbox list's filters and counts,
and what starts one."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from desk.models.channels import ChannelType
from desk.validation import MAX_ID, MAX_SUBJECT

Status = Literal["open", "pending", "snoozed", "resolved"]
StatusFilter = Literal["open", "pending", "snoozed", "resolved", "all"]
Priority = Literal["low", "normal", "high", "urgent"]
Sort = Literal[
    "last_activity_desc", "created_desc", "created_asc", "priority_desc", "waiting_longest"
]
NOT_RESOLVED: tuple[Status, ...] = ("open", "pending", "snoozed")


class ContactRef(msgspec.Struct, kw_only=True):
    id: int
    name: str | None
    email: str | None


class AgentRef(msgspec.Struct, kw_only=True):
    id: int
    name: str


class LastMessage(msgspec.Struct, kw_only=True):
    id: int
    type: str
    preview: str
    created_at: str


class VisitorPresence(msgspec.Struct, kw_only=True):
    """A web-chat conversation's visitor: their widget's live stream is open now, or when it
    last talked to Desk."""

    online: bool
    last_seen_at: str


class Conversation(msgspec.Struct, kw_only=True):
    """A conversation exactly as the API returns it."""

    id: int
    subject: str
    status: Status
    snoozed_until: str | None
    priority: Priority
    channel_id: int
    channel_type: str
    channel_name: str
    contact: ContactRef
    assignee: AgentRef | None
    tags: list[str]
    unread_count: int
    last_message: LastMessage | None
    created_at: str
    updated_at: str
    last_activity_at: str
    failed_count: int = 0  # outgoing messages that failed to send (until retried)
    # The first incoming message since the last agent reply, while open or pending.
    waiting_since: str | None = None
    visitor: VisitorPresence | None = None  # web chat only
    # In a search's results: the line of a message that matched, else null.
    snippet: str | None = None


class State(msgspec.Struct, kw_only=True):
    """The columns the services decide on."""

    id: int
    channel_id: int
    contact_id: int
    status: Status
    snoozed_until: str | None
    priority: Priority
    assignee_id: int | None
    unread_count: int


class Filters(msgspec.Struct, kw_only=True):
    """What the inbox list asks for; every field already validated by the service."""

    statuses: tuple[Status, ...] | None = NOT_RESOLVED  # None: every status
    channel_type: str | None = None
    channel_id: int | None = None
    tag: str | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    contact_id: int | None = None
    priority: Priority | None = None
    match: str | None = None  # an FTS5 query over search_index
    failed: bool | None = None  # True: with a failed reply; False: without
    sort: Sort = "last_activity_desc"
    pin_id: int | None = None  # a search for "123" / "#123": that conversation first, if it fits
    exclude_id: int | None = None  # internal: the pinned one, left out of the rest


class Counts(msgspec.Struct, kw_only=True):
    """The numbers the inbox's views show (`open` = every status but resolved)."""

    mine: int
    unassigned: int
    open: int
    open_only: int  # status open: the "Open" view
    pending: int
    snoozed: int
    resolved: int
    unread: int
    failed: int  # conversations with a reply that failed to send, whatever their status
    # Saved views the agent sees: view id (as a string, a JSON key) → its list's total.
    views: dict[str, int] = {}


AssigneeFilter = str  # "me", "unassigned" or an agent id
PositiveId = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]


class ListQuery(msgspec.Struct, kw_only=True, omit_defaults=True, forbid_unknown_fields=True):
    """The inbox list's filters as the API receives them (None: not given), and as a saved
    view stores them (`GET /api/conversations`'s parameters, by the same names)."""

    status: StatusFilter | None = None  # None: every status but resolved
    channel_type: ChannelType | None = None
    channel_id: PositiveId | None = None
    tag: str | None = None
    assignee: AssigneeFilter | None = None
    contact_id: PositiveId | None = None
    priority: Priority | None = None
    search: str | None = None
    failed: bool | None = None
    sort: Sort | None = None  # None: last_activity_desc


class ContactInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A contact given inline: an existing one with this email is reused."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None


class NewConversation(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The body of POST /api/conversations."""

    channel_id: PositiveId
    contact_id: PositiveId | None = None
    contact: ContactInput | None = None
    subject: Annotated[str, msgspec.Meta(max_length=MAX_SUBJECT)] | None = None  # optional
    message: str | None = None
    message_type: Literal["incoming", "outgoing"] = "incoming"
    priority: Priority = "normal"
    tags: list[str] = []
    assignee_id: PositiveId | None = None
