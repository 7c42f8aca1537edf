"""Notifications an agent gets, and what each agent chose to be told about."""

from __future__ import annotations

from typing import Literal

import msgspec

NotificationKind = Literal["new_conversation", "assigned_reply", "mention"]


class Notification(msgspec.Struct, kw_only=True):
    id: int
    kind: NotificationKind
    conversation_id: int
    message_id: int | None
    actor: str  # who wrote: the contact (new conversation, reply) or the agent (mention)
    preview: str  # the first 140 characters of what they wrote
    created_at: str
    read: bool


class NotificationSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """An agent's choices (every key optional on update)."""

    new_conversations: bool = True  # a conversation arrives through a channel
    assigned_replies: bool = True  # the contact writes in a conversation assigned to me
    mentions: bool = True  # a teammate names me in a note (@Name)
    desktop: bool = True  # the browser's notification, where the agent allowed it
    sound: bool = False
