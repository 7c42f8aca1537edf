"""Messages, who sent them, their delivery, and an outgoing message waiting to be delivered."""

from __future__ import annotations

from typing import Any, Literal

import msgspec

MessageType = Literal["incoming", "outgoing", "note", "activity"]
SenderType = Literal["contact", "agent", "automation", "system"]
DeliveryStatus = Literal["queued", "sent", "failed"]
# How the API shows a message: also `scheduled`, a reply waiting for its `send_at`.
ShownStatus = Literal["queued", "sent", "failed", "scheduled"]


class Sender(msgspec.Struct, kw_only=True):
    type: SenderType
    id: int | None = None
    name: str = ""


class Delivery(msgspec.Struct, kw_only=True):
    status: ShownStatus | None = None
    error: str | None = None
    # A `failed` reply an agent dismissed: when (it no longer counts as the conversation's
    # failure); null otherwise.
    dismissed_at: str | None = None


class Attachment(msgspec.Struct, kw_only=True):
    """A file on a message (or an agent's upload), as the API shows it."""

    id: int
    filename: str
    content_type: str
    size: int


class EmailInfo(msgspec.Struct, kw_only=True):
    """How a message looked as an email: its subject and sender (for incoming mail, whether
    the original is kept for "View original")."""

    subject: str
    from_name: str
    from_address: str
    has_original: bool


class Activity(msgspec.Struct, kw_only=True):
    """What an activity line records, as data: `kind` ("assigned", "tag_added", ...) and its
    `params` ({"agent": "Sam"}); the UI words it in the agent's language (`activity.<kind>`)."""

    kind: str
    params: dict[str, str | int] = msgspec.field(default_factory=dict)


class Message(msgspec.Struct, kw_only=True):
    """A message exactly as the API returns it."""

    id: int
    conversation_id: int
    type: MessageType
    body: str
    sender: Sender
    delivery: Delivery
    created_at: str
    attachments: list[Attachment] = msgspec.field(default_factory=list)
    email: EmailInfo | None = None
    send_at: str | None = None  # a scheduled reply: when it goes out (else null)
    activity: Activity | None = None  # an activity line's data (null for older lines)


class DeliveryJob(msgspec.Struct, kw_only=True):
    """Everything a channel adapter needs to deliver one outgoing message."""

    message_id: int
    message_type: str
    body: str
    sender_type: str
    sender_id: int | None
    sender_name: str
    created_at: str
    conversation_id: int
    subject: str
    thread_key: str | None
    contact_id: int
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    contact_external_id: str | None
    channel_id: int
    channel_type: str
    channel_active: bool
    channel_config: dict[str, Any]
    signing_secret: str


PostType = Literal["outgoing", "note"]
