"""Messages arriving from channels: a contact wrote (a hook, an email, the widget), so their
conversation continues, reopens or starts. The inbound side of every channel type lands here.
"""

from __future__ import annotations

import sqlite3

from desk.models.messages import Sender
from desk.services.changes import Changes, activity, publish_changes
from desk.services.desk import Desk
from desk.store import contacts as contacts_store
from desk.store import conversations as store
from desk.store import messages as messages_store
from desk.validation import clean_body, clean_subject


def contact_sender(conn: sqlite3.Connection, contact_id: int) -> Sender:
    contact = contacts_store.get_contact(conn, contact_id)
    name = (contact.name or contact.email or contact.phone or "") if contact else ""
    return Sender(type="contact", id=contact_id, name=name)


def receive_incoming(
    desk: Desk,
    *,
    channel_id: int,
    contact_id: int,
    body: str,
    thread_key: str | None = None,
    subject: str | None = None,
    external_id: str | None = None,
) -> tuple[int, int]:
    """A contact wrote through a channel (hook, email, widget). Returns (conversation, message).

    With a `thread_key`, the conversation with that key on this channel continues (a new one
    starts if there is none); without one, the contact's latest conversation on this channel
    that is not resolved continues, else a new one starts. A snoozed or resolved conversation
    reopens, and a pending one (waiting on the customer) becomes open. The message is unread
    for the team and waits for a reply.
    """
    body = clean_body(body)
    now = desk.now_iso()
    changes = Changes()
    with desk.db.write() as conn:
        message_id = record_incoming(
            conn,
            changes,
            now,
            channel_id=channel_id,
            contact_id=contact_id,
            body=body,
            thread_key=thread_key,
            subject=subject,
            external_id=external_id,
        )
    publish_changes(desk, changes)
    return changes.conversation_id, message_id


def record_incoming(
    conn: sqlite3.Connection,
    changes: Changes,
    now: str,
    *,
    channel_id: int,
    contact_id: int,
    body: str,
    thread_key: str | None,
    subject: str | None,
    external_id: str | None,
) -> int:
    """`receive_incoming` inside the caller's transaction (`body` already cleaned); publish
    `changes` after the commit. Returns the message's id."""
    if thread_key is not None:
        found = store.find_by_thread(conn, channel_id, thread_key)
    else:
        found = store.find_unresolved_of_contact(conn, channel_id, contact_id)
    if found is None:
        found = store.insert_conversation(
            conn,
            channel_id=channel_id,
            contact_id=contact_id,
            subject=clean_subject(subject or _subject_from(body)),
            priority="normal",
            assignee_id=None,
            thread_key=thread_key,
            now=now,
        )
        changes.created = True
    changes.conversation_id = found
    state = store.get_state(conn, found)
    assert state is not None
    if state.status in ("snoozed", "resolved", "pending"):
        store.set_status(conn, found, "open", None, now)
        changes.messages.append(
            activity(
                conn,
                found,
                Sender(type="system"),
                "Reopened: the contact wrote.",
                now,
                "reopened_contact_wrote",
            )
        )
    message_id = messages_store.insert_message(
        conn,
        conversation_id=found,
        type="incoming",
        body=body,
        sender=contact_sender(conn, contact_id),
        now=now,
        external_id=external_id,
        unread=True,
    )
    changes.messages.append(message_id)
    return message_id


def _subject_from(body: str) -> str:
    first_line = body.strip().split("\n", 1)[0].strip()
    return first_line[:80]
