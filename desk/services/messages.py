"""Agents' replies and private notes, and reading a conversation's messages."""

from __future__ import annotations

import sqlite3

from desk.errors import Invalid, NotFound, ReplyCollision
from desk.models.agents import Agent
from desk.models.messages import Message, MessageType, PostType, Sender
from desk.services import attachments, delivery
from desk.services.changes import Changes, agent_sender, publish_changes, require_channel
from desk.services.channels.registry import adapter_for
from desk.services.desk import Desk
from desk.services.triage import change_status
from desk.store import conversations as conversations_store
from desk.store import drafts as drafts_store
from desk.store import messages as store
from desk.store.paging import page_offset
from desk.validation import clean_body


def list_messages(
    desk: Desk, conversation_id: int, page: int, per_page: int, newest_first: bool = False
) -> tuple[list[Message], int]:
    with desk.db.read() as conn:
        if not conversations_store.conversation_exists(conn, conversation_id):
            raise NotFound(
                f"Conversation {conversation_id} not found.", code="conversation_not_found"
            )
        total = store.count_messages(conn, conversation_id)
        if page_offset(page, per_page) >= total:  # past the end
            return [], total
        items = store.list_messages(
            conn,
            conversation_id,
            limit=per_page,
            offset=page_offset(page, per_page),
            newest_first=newest_first,
        )
    return items, total


def post_message(
    desk: Desk,
    me: Agent,
    conversation_id: int,
    body: str,
    type: PostType = "outgoing",
    keep_status: bool = False,
    attachment_ids: list[int] | None = None,
    after_message_id: int | None = None,
) -> Message:
    """An agent replies (delivered through the channel) or writes a private note, with the
    agent's uploads as attachments (then the body may be empty).

    A reply to a resolved conversation reopens it, unless `keep_status`. With
    `after_message_id` (the newest message the agent saw), nothing is written if a reply was
    written after it: `ReplyCollision` names those replies.
    """
    attachment_ids = attachment_ids or []
    check_after_id(desk, conversation_id, after_message_id)
    body = body.strip() if attachment_ids and not body.strip() else clean_body(body)
    sender = agent_sender(me)
    now = desk.now_iso()
    changes = Changes(conversation_id=conversation_id)
    with desk.db.write() as conn:
        state = conversations_store.get_state(conn, conversation_id)
        if state is None:
            raise NotFound(
                f"Conversation {conversation_id} not found.", code="conversation_not_found"
            )
        refuse_collision(conn, conversation_id, after_message_id)
        if type == "outgoing" and state.status == "resolved" and not keep_status:
            reopen_by_reply(conn, conversation_id, sender, now, changes)
        attachments.check_uploads(conn, me, attachment_ids)
        message_id = insert_post(conn, state.channel_id, changes, type, body, sender, now)
        attachments.use_uploads(conn, me, attachment_ids, message_id)
        # What was sent is no longer a draft (the other tab's text stays).
        side = "note" if type == "note" else "reply"
        drafts_store.clear_side(conn, me.id, conversation_id, side, now)
        message = store.get_message(conn, message_id)
    publish_changes(desk, changes)
    assert message is not None
    return message


NEWER_SHOWN = 20  # the replies a collision names, at most (oldest first)


def check_after_id(desk: Desk, conversation_id: int, after_message_id: int | None) -> None:
    """`after_message_id` names a message of this conversation: unknown → 404, another
    conversation's → 400 (checked before the body, as API.md orders errors)."""
    if after_message_id is None:
        return
    with desk.db.read() as conn:
        found = store.conversation_of(conn, after_message_id)
    if found is None:
        raise NotFound(
            f"Message {after_message_id} not found.", "after_message_id", code="message_not_found"
        )
    if found != conversation_id:
        raise Invalid(
            f"Message {after_message_id} is not in conversation {conversation_id}.",
            "after_message_id",
        )


def refuse_collision(
    conn: sqlite3.Connection, conversation_id: int, after_message_id: int | None
) -> None:
    """In the caller's write transaction (no reply can slip in between): refuse when replies
    were written after `after_message_id`."""
    if after_message_id is None:
        return
    newer = store.replies_after(conn, conversation_id, after_message_id, limit=NEWER_SHOWN)
    if newer:
        who = ", ".join(dict.fromkeys(m.sender.name or "" for m in newer if m.sender.name))
        raise ReplyCollision(
            f"{who or 'Someone'} replied after message {after_message_id}; nothing was sent.",
            newer,
        )


def reopen_by_reply(
    conn: sqlite3.Connection, conversation_id: int, sender: Sender, now: str, changes: Changes
) -> None:
    """A reply reopens its resolved conversation, with the activity line that says so."""
    reopened = change_status(
        conn,
        conversation_id,
        "open",
        None,
        sender,
        now,
        f"{sender.name} reopened this by replying",
        "reopened_by_reply",
    )
    changes.messages += [reopened] if reopened else []


def insert_post(
    conn: sqlite3.Connection,
    channel_id: int,
    changes: Changes,
    type: MessageType,
    body: str,
    sender: Sender,
    now: str,
) -> int:
    """Write a reply or note in the caller's transaction; a reply is handed to delivery."""
    status = None
    if type == "outgoing":
        status = adapter_for(require_channel(conn, channel_id).type).reply_status
    message_id = store.insert_message(
        conn,
        conversation_id=changes.conversation_id,
        type=type,
        body=body,
        sender=sender,
        now=now,
        delivery_status=status,
    )
    if status == "queued":
        delivery.enqueue(conn, message_id, now)
        changes.queued = True
    changes.messages.append(message_id)
    return message_id
