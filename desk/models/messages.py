"""Messages, who sent them, their delivery, and an outgoing message waiting to be delivered."""

from __future__ import annotations

from typing import Any, Literal

import msgspec

MessageType = Literal["incoming", "outgoing", "note", "activity"]
SenderType = Literal["contact", "agent", "automation", "system"]
DeliveryStatus = Literal["queued", "sent", "failed"]


class Sender(msgspec.Struct, kw_only=True):
    type: SenderType
    id: int | None = None
    name: str = ""


class Delivery(msgspec.Struct, kw_only=True):
    status: DeliveryStatus | None = None
    error: str | None = None


class Message(msgspec.Struct, kw_only=True):
    """A message exactly as the API returns it."""

    id: int
    conversation_id: int
    type: MessageType
    body: str
    sender: Sender
    delivery: Delivery
    created_at: str


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
