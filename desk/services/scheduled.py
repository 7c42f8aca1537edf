"""Scheduled send: a reply written now that goes out at a chosen time (at most 30 days ahead).

It is stored at once (a `messages` row with its `send_at`, m009), so it survives a
restart; the thread shows it with its time (`delivery.status` `scheduled`, `send_at`), and
its author or an admin can change its text or time, or cancel it, until it goes. Then the
background job (`send_due`) writes it as an ordinary reply by the same agent, at the time it
goes: a new message, with a new id, handed to the same delivery queue as any reply (so a
failure shows as for any reply), and the waiting row is deleted (`message.deleted`). A reply
to a conversation resolved meanwhile reopens it, unless it was scheduled with `keep_status`.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime, timedelta

from desk.errors import Conflict, Forbidden, Invalid, NotFound
from desk.models.agents import Agent
from desk.models.messages import Message, Sender
from desk.models.timestamps import iso
from desk.services import attachments
from desk.services.changes import Changes, agent_sender, publish_changes
from desk.services.desk import Desk
from desk.services.messages import (
    check_after_id,
    insert_post,
    refuse_collision,
    reopen_by_reply,
)
from desk.store import conversations as conversations_store
from desk.store import messages as messages_store
from desk.store import scheduled as store
from desk.validation import clean_body, future_moment

log = logging.getLogger("desk.scheduled")

MAX_AHEAD = timedelta(days=30)
SEND_EVERY_SECONDS = 5.0  # how often the background job looks for replies that are due
BATCH = 100


def parse_send_at(text: str, now: datetime) -> str:
    """A future moment within MAX_AHEAD, ISO 8601 with a time zone, as UTC `Z`."""
    moment = future_moment(text, now, "send_at")
    if moment > now + MAX_AHEAD:
        raise Invalid("send_at must be at most 30 days ahead.", "send_at", "too_far_ahead")
    return iso(moment)


def schedule_reply(
    desk: Desk,
    me: Agent,
    conversation_id: int,
    body: str,
    send_at: str,
    keep_status: bool = False,
    attachment_ids: list[int] | None = None,
    after_message_id: int | None = None,
) -> Message:
    """Store a reply to go out at `send_at`; nothing is delivered or counted before then.
    `after_message_id` guards it as it guards a reply sent now."""
    attachment_ids = attachment_ids or []
    check_after_id(desk, conversation_id, after_message_id)
    body = body.strip() if attachment_ids and not body.strip() else clean_body(body)
    when = parse_send_at(send_at, desk.now())
    sender = agent_sender(me)
    with desk.db.write() as conn:
        if conversations_store.get_state(conn, conversation_id) is None:
            raise NotFound(
                f"Conversation {conversation_id} not found.", code="conversation_not_found"
            )
        refuse_collision(conn, conversation_id, after_message_id)
        attachments.check_uploads(conn, me, attachment_ids)
        message_id = messages_store.insert_message(
            conn,
            conversation_id=conversation_id,
            type="outgoing",
            body=body,
            sender=sender,
            now=desk.now_iso(),
            send_at=when,
            send_keep_status=keep_status,
        )
        attachments.use_uploads(conn, me, attachment_ids, message_id)
        message = messages_store.get_message(conn, message_id)
    assert message is not None
    desk.events.publish("message.created", message, private=True)  # agents only, never a widget
    return message


def _check(conn: sqlite3.Connection, me: Agent, message_id: int) -> store.ScheduledSend:
    """The scheduled reply `message_id`, if `me` may change it (its author or an admin)."""
    found = store.get(conn, message_id)
    if found is None:
        if messages_store.get_message(conn, message_id) is None:
            raise NotFound(f"Message {message_id} not found.", code="message_not_found")
        raise Conflict("Only a scheduled message can be changed or cancelled.", "not_scheduled")
    if me.role != "admin" and not (found.sender_type == "agent" and found.sender_id == me.id):
        raise Forbidden("Only its author or an admin can change a scheduled message.", "not_author")
    return found


def edit_scheduled(
    desk: Desk, me: Agent, message_id: int, body: str | None, send_at: str | None
) -> Message:
    """Change the text or the time of a scheduled reply."""
    new_body = clean_body(body) if body is not None else None
    when = parse_send_at(send_at, desk.now()) if send_at is not None else None
    with desk.db.write() as conn:
        _check(conn, me, message_id)
        store.update(conn, message_id, new_body, when)
        message = messages_store.get_message(conn, message_id)
    assert message is not None
    desk.events.publish("message.updated", message, private=True)
    return message


def cancel_scheduled(desk: Desk, me: Agent, message_id: int) -> int:
    """Delete a scheduled reply before it goes; its files become unused uploads again."""
    with desk.db.write() as conn:
        found = _check(conn, me, message_id)
        store.release_attachments(conn, message_id)
        store.delete_message(conn, message_id)
    desk.events.publish(
        "message.deleted", {"id": message_id, "conversation_id": found.conversation_id}
    )
    return message_id


# -- the background job --------------------------------------------------------------------


def send_due(desk: Desk) -> int:
    """Send every scheduled reply whose time has come; returns how many went."""
    with desk.db.read() as conn:
        due = store.due(conn, desk.now_iso(), BATCH)
    sent = 0
    for message_id in due:
        try:
            sent += _send_one(desk, message_id)
        except NotFound:  # its conversation went meanwhile (erasure, merge)
            continue
    return sent


def _send_one(desk: Desk, message_id: int) -> int:
    now = desk.now_iso()
    with desk.db.write() as conn:
        found = store.get(conn, message_id)
        if found is None or found.send_at > now:  # cancelled or moved meanwhile
            return 0
        changes = Changes(conversation_id=found.conversation_id)
        sender = Sender(type="agent", id=found.sender_id, name=found.sender_name)
        state = conversations_store.get_state(conn, found.conversation_id)
        if state is not None and state.status == "resolved" and not found.keep_status:
            reopen_by_reply(conn, found.conversation_id, sender, now, changes)
        new_id = insert_post(conn, found.channel_id, changes, "outgoing", found.body, sender, now)
        store.move_attachments(conn, message_id, new_id)
        store.delete_message(conn, message_id)
    desk.events.publish(
        "message.deleted", {"id": message_id, "conversation_id": found.conversation_id}
    )
    publish_changes(desk, changes)
    return 1
