"""What the inbox services share: input rules, activity records, and publishing after commit."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field

from desk.errors import Invalid, NotFound
from desk.models import Agent
from desk.services import delivery
from desk.services.context import Desk
from desk.store import agents as agents_store
from desk.store import channels as channels_store
from desk.store import conversations as conversations_store
from desk.store import messages as messages_store
from desk.store.channels import ChannelRecord
from desk.store.conversations import Conversation
from desk.store.messages import Sender

MAX_BODY = 20_000
MAX_SUBJECT = 200
MAX_TAG = 50
_TAG = re.compile(r"[\w\-. ]+")  # letters, digits, -, _, . and space


def clean_body(body: str, field_name: str = "body") -> str:
    text = body.strip()
    if not text:
        raise Invalid(f"{field_name} must not be empty.", field_name)
    if len(text) > MAX_BODY:
        raise Invalid(f"{field_name} must be at most {MAX_BODY:,} characters.", field_name)
    return text


def clean_subject(subject: str) -> str:
    text = subject.strip()
    if len(text) > MAX_SUBJECT:
        raise Invalid(f"subject must be at most {MAX_SUBJECT} characters.", "subject")
    return text


def clean_tag(tag: str, field_name: str = "tag") -> str:
    """Tags are lower-case, trimmed, 1..50 letters, digits, `-`, `_`, `.` or spaces."""
    text = tag.strip().lower()
    if not text or len(text) > MAX_TAG or not _TAG.fullmatch(text):
        raise Invalid(
            f"{field_name}: a tag is 1 to {MAX_TAG} letters, digits, spaces, '-', '_' or '.'.",
            field_name,
        )
    return text


def agent_sender(agent: Agent) -> Sender:
    return Sender(type="agent", id=agent.id, name=agent.name)


def who(actor: Sender) -> str:
    """How an activity line names whoever caused it."""
    if actor.type == "automation":
        return f"Automation {actor.name}"
    return actor.name or "Desk"


def require_channel(conn: sqlite3.Connection, channel_id: int) -> ChannelRecord:
    channel = channels_store.get_channel(conn, channel_id)
    if channel is None:
        raise NotFound(f"Channel {channel_id} not found.")
    return channel


def require_agent(conn: sqlite3.Connection, agent_id: int) -> Agent:
    agent = agents_store.get_agent(conn, agent_id)
    if agent is None:
        raise NotFound(f"Agent {agent_id} not found.")
    return agent


def activity(
    conn: sqlite3.Connection, conversation_id: int, actor: Sender, text: str, now: str
) -> int:
    """The system's record of a change, sent by whoever caused it."""
    return messages_store.insert_message(
        conn, conversation_id=conversation_id, type="activity", body=text, sender=actor, now=now
    )


@dataclass
class Changes:
    """What one transaction did, to publish once it committed."""

    conversation_id: int = 0
    created: bool = False
    messages: list[int] = field(default_factory=list)
    queued: bool = False  # an outgoing message waits in the delivery queue


def publish_changes(desk: Desk, changes: Changes) -> Conversation:
    """Publish the events of a committed change; returns the conversation as it now is."""
    with desk.db.read() as conn:
        conversation = conversations_store.get_conversation(conn, changes.conversation_id)
        messages = [messages_store.get_message(conn, i) for i in changes.messages]
    assert conversation is not None
    if not (changes.created or changes.messages):
        return conversation  # nothing changed: nothing to tell anyone
    kind = "conversation.created" if changes.created else "conversation.updated"
    desk.events.publish(kind, conversation)
    for message in messages:
        if message is not None:
            private = message.type in ("note", "activity")
            desk.events.publish("message.created", message, private=private)
    if changes.queued:
        delivery.kick(desk)
    return conversation
