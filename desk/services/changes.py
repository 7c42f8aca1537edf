"""What one inbox transaction changed (`Changes`), the activity lines it writes, and publishing
its events once it committed. Shared by every service that changes conversations."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from desk.errors import NotFound
from desk.models.agents import Agent
from desk.models.channels import ChannelRecord
from desk.models.conversations import Conversation
from desk.models.messages import Activity, Sender
from desk.services import delivery
from desk.services.desk import Desk
from desk.store import agents as agents_store
from desk.store import channels as channels_store
from desk.store import conversations as conversations_store
from desk.store import messages as messages_store


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
        raise NotFound(f"Channel {channel_id} not found.", code="channel_not_found")
    return channel


def require_agent(conn: sqlite3.Connection, agent_id: int) -> Agent:
    agent = agents_store.get_agent(conn, agent_id)
    if agent is None:
        raise NotFound(f"Agent {agent_id} not found.", code="agent_not_found")
    return agent


def activity(
    conn: sqlite3.Connection,
    conversation_id: int,
    actor: Sender,
    text: str,
    now: str,
    kind: str,
    **params: str | int,
) -> int:
    """The system's record of a change, sent by whoever caused it: `text` in English, and
    `kind` with `params` as data the UI words in the agent's language (`activity.<kind>`)."""
    return messages_store.insert_message(
        conn,
        conversation_id=conversation_id,
        type="activity",
        body=text,
        sender=actor,
        now=now,
        activity=Activity(kind=kind, params=dict(params)),
    )


@dataclass
class Changes:
    """What one transaction did, to publish once it committed."""

    conversation_id: int = 0
    created: bool = False
    messages: list[int] = field(default_factory=list)
    queued: bool = False  # an outgoing message waits in the delivery queue
    touched: bool = False  # the conversation changed without a message (its failed_count)


def publish_changes(desk: Desk, changes: Changes) -> Conversation:
    """Publish the events of a committed change; returns the conversation as it now is."""
    with desk.db.read() as conn:
        conversation = conversations_store.get_conversation(conn, changes.conversation_id)
        messages = [messages_store.get_message(conn, i) for i in changes.messages]
    assert conversation is not None
    if not (changes.created or changes.messages or changes.touched):
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
