"""Merging: two conversations about one thing, or two contacts who are one person.

Each merge is one write transaction (`store.merges`); its events go out after the commit:
`conversation.merged` `{"id", "into"}` (open screens follow the survivor), the survivor's
`conversation.updated` and its `activity` line; `contact.merged` `{"id", "into"}` and a
`conversation.updated` for each conversation that changed contact (at most
MAX_LIVE_UPDATES). A reply posted to the merged conversation while it is merged either
committed before (and moved with the rest) or finds it gone (404): no message is lost or in
two conversations.
"""

from __future__ import annotations

from typing import Any

from desk.errors import Conflict, Invalid, NotFound
from desk.models.agents import Agent
from desk.models.contacts import Contact
from desk.models.conversations import Conversation
from desk.services.changes import Changes, activity, agent_sender, publish_changes
from desk.services.channels import web_chat_live
from desk.services.desk import Desk
from desk.store import contacts as contacts_store
from desk.store import conversations as conversations_store
from desk.store import merges as store
from desk.store import search as search_store

MAX_LIVE_UPDATES = 100


def merge_conversation(desk: Desk, me: Agent, conversation_id: int, into: int) -> Conversation:
    """Merge `conversation_id` into `into` (the survivor, which is returned)."""
    if into == conversation_id:
        raise Invalid("A conversation cannot be merged into itself.", "into", "merge_into_itself")
    now = desk.now_iso()
    changes = Changes(conversation_id=into)
    with desk.db.write() as conn:
        source = conversations_store.get_conversation(conn, conversation_id)
        if source is None:
            raise NotFound(
                f"Conversation {conversation_id} not found.", code="conversation_not_found"
            )
        survivor = conversations_store.get_state(conn, into)
        if survivor is None:
            raise NotFound(f"Conversation {into} not found.", "into", code="conversation_not_found")
        if survivor.contact_id != source.contact.id:
            raise Conflict(
                "These conversations are with different contacts: merge the contacts first.",
                "merge_different_contacts",
            )
        visitors = [
            int(row[0])
            for row in conn.execute(
                "SELECT id FROM web_chat_visitors WHERE conversation_id = ?", (conversation_id,)
            )
        ]
        moved = store.merge_conversation(conn, conversation_id, into, now)
        subject = f" “{source.subject}”" if source.subject else ""
        text = (
            f"{me.name} merged conversation #{conversation_id}{subject} into this one"
            f" ({moved} message{'' if moved == 1 else 's'})"
        )
        changes.messages.append(
            activity(
                conn,
                into,
                agent_sender(me),
                text,
                now,
                "merged",
                id=conversation_id,
                subject=source.subject or "",
                count=moved,
            )
        )
    for visitor_id in visitors:
        web_chat_live.bind(desk, visitor_id, into)
    desk.events.publish("conversation.merged", {"id": conversation_id, "into": into})
    return publish_changes(desk, changes)


def merge_contact(desk: Desk, contact_id: int, into: int) -> Contact:
    """Merge contact `contact_id` into `into` (the survivor, which is returned): every
    conversation moves; details and custom attributes `into` lacks are taken over."""
    if into == contact_id:
        raise Invalid("A contact cannot be merged into itself.", "into", "merge_into_itself")
    now = desk.now_iso()
    with desk.db.write() as conn:
        source = contacts_store.get_contact(conn, contact_id)
        if source is None:
            raise NotFound(f"Contact {contact_id} not found.", code="contact_not_found")
        survivor = contacts_store.get_contact(conn, into)
        if survivor is None:
            raise NotFound(f"Contact {into} not found.", "into", code="contact_not_found")
        external_id = conn.execute(
            "SELECT external_id FROM contacts WHERE id = ?", (contact_id,)
        ).fetchone()[0]
        survivor_external = conn.execute(
            "SELECT external_id FROM contacts WHERE id = ?", (into,)
        ).fetchone()[0]
        moved = store.merge_contact(conn, contact_id, into)
        columns = _missing(source, survivor)
        if external_id and not survivor_external:
            columns["external_id"] = external_id
        contacts_store.update_contact(conn, into, columns, now)
        search_store.refresh_people(conn, into)
        merged = contacts_store.get_contact(conn, into)
        live = conversations_store.get_many(conn, moved[:MAX_LIVE_UPDATES])
    assert merged is not None
    desk.events.publish("contact.merged", {"id": contact_id, "into": into})
    for conversation in live:
        desk.events.publish("conversation.updated", conversation)
    return merged


def _missing(source: Contact, survivor: Contact) -> dict[str, Any]:
    """What the survivor lacks and the merged contact has."""
    columns: dict[str, Any] = {}
    for name in ("name", "email", "phone", "company", "notes"):
        if not getattr(survivor, name) and getattr(source, name):
            columns[name] = getattr(source, name)
    extra = {
        k: v for k, v in source.custom_attributes.items() if k not in survivor.custom_attributes
    }
    if extra:
        columns["custom_attributes"] = {**survivor.custom_attributes, **extra}
    return columns
