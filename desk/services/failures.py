"""Replies that did not go out: they cannot hide.

When an outgoing message ends `failed` (the delivery worker gave up, or a bounce came back),
its conversation carries the failure (`failed_count`, kept by m010's triggers; the "Failed to
send" view lists them) and, if it was resolved meanwhile ("Send and resolve"), reopens, since
the contact got no answer. Analytics stops counting the reply (m010) and the first response
and the wait are recomputed without it (`store.messages.recount_replies`). Retrying puts it
back in the queue and undoes all of that until the next outcome. Dismissing it (the agent dealt
with it another way: phoned, wrote from elsewhere) keeps it `failed` and out of analytics but
takes it out of `failed_count`, so the conversation leaves the view (m020).
"""

from __future__ import annotations

import sqlite3

from desk.errors import Conflict, NotFound
from desk.models.agents import Agent
from desk.models.messages import Message, Sender
from desk.services import delivery
from desk.services.changes import Changes, activity, agent_sender, publish_changes
from desk.services.desk import Desk
from desk.store import conversations as conversations_store
from desk.store import messages as messages_store
from desk.store import outbox as outbox_store

REOPENED = "Reopened: a reply could not be delivered."
DISMISSED = "{name} dismissed a reply that could not be delivered."


def mark_failed(conn: sqlite3.Connection, message_id: int, error: str, now: str) -> Changes:
    """In the caller's transaction: an outgoing message ended `failed`. Publish the returned
    changes after the commit (`conversation.updated` even when nothing reopened: its
    `failed_count` moved)."""
    outbox_store.remove(conn, message_id)
    conversation_id = outbox_store.set_delivery(conn, message_id, "failed", error)
    changes = Changes(conversation_id=conversation_id or 0, touched=conversation_id is not None)
    state = conversations_store.get_state(conn, conversation_id) if conversation_id else None
    if state is not None and state.status == "resolved":
        conversations_store.set_status(conn, state.id, "open", None, now)
        changes.messages.append(
            activity(conn, state.id, Sender(type="system"), REOPENED, now, "reopened_undelivered")
        )
    return changes


def publish_failure(desk: Desk, message_id: int, changes: Changes) -> None:
    """After the commit: the message's new state, then its conversation's."""
    with desk.db.read() as conn:
        message = messages_store.get_message(conn, message_id)
    if message is not None:
        desk.events.publish("message.updated", message)
    if changes.touched:
        publish_changes(desk, changes)


def message_exists(desk: Desk, message_id: int) -> bool:
    with desk.db.read() as conn:
        return outbox_store.delivery_status(conn, message_id) is not None


def retry_message(desk: Desk, message_id: int) -> Message:
    """Put a `failed` outgoing message back in the queue."""
    with desk.db.write() as conn:
        found = outbox_store.delivery_status(conn, message_id)
        if found is None:
            raise NotFound(f"Message {message_id} not found.", code="message_not_found")
        message_type, status = found
        if message_type != "outgoing" or status != "failed":
            raise Conflict("Only a failed outgoing message can be retried.", "not_retryable")
        conversation_id = outbox_store.set_delivery(conn, message_id, "queued", None)
        delivery.enqueue(conn, message_id, desk.now())
        message = messages_store.get_message(conn, message_id)
    assert message is not None
    desk.events.publish("message.updated", message)
    if conversation_id is not None:  # one failure fewer
        publish_changes(desk, Changes(conversation_id=conversation_id, touched=True))
    delivery.kick(desk)
    return message


def dismiss_message(desk: Desk, agent: Agent, message_id: int) -> Message:
    """Take a `failed` outgoing message out of its conversation's failures (any agent). It
    stays `failed`; an activity line says who dismissed it. Dismissing it again changes
    nothing; a retry is still possible."""
    now = desk.now_iso()
    with desk.db.write() as conn:
        found = outbox_store.delivery_status(conn, message_id)
        if found is None:
            raise NotFound(f"Message {message_id} not found.")
        message_type, status = found
        if message_type != "outgoing" or status != "failed":
            raise Conflict("Only a failed outgoing message can be dismissed.")
        changes = Changes()
        if outbox_store.dismiss_failure(conn, message_id, now):
            message = messages_store.get_message(conn, message_id)
            assert message is not None
            changes = Changes(conversation_id=message.conversation_id, touched=True)
            text = DISMISSED.format(name=agent.name)
            changes.messages.append(
                activity(
                    conn,
                    message.conversation_id,
                    agent_sender(agent),
                    text,
                    now,
                    "reply_dismissed",
                )
            )
        message = messages_store.get_message(conn, message_id)
    assert message is not None
    if changes.touched:  # one failure fewer
        desk.events.publish("message.updated", message)
        publish_changes(desk, changes)
    return message
