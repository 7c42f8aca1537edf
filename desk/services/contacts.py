"""The contact directory: who writes to the team. Emails are unique (case-insensitively);
deleting a contact erases their conversations and messages."""

from __future__ import annotations

import sqlite3
from typing import Any

import msgspec

from desk.errors import Conflict, Invalid, NotFound
from desk.models.contacts import Contact, ContactChanges, ContactCreate, ContactSort
from desk.models.conversations import Filters
from desk.services.desk import Desk
from desk.store import attachments as attachments_store
from desk.store import contacts as contacts_store
from desk.store import conversations as conversations_store
from desk.store import emails as emails_store
from desk.store import inbox as inbox_store
from desk.store import search as search_store
from desk.store.files import FileStore
from desk.store.paging import page_offset
from desk.validation import (
    clean_attributes,
    clean_contact_text,
    clean_notes,
    clean_optional_email,
)

MAX_LIVE_UPDATES = 100  # conversations re-sent live after a contact's name or email changes


def _require_identity(name: str | None, email: str | None, phone: str | None) -> None:
    if not (name or email or phone):
        raise Invalid(
            "A contact needs at least a name, an email or a phone.",
            "name",
            "contact_needs_identity",
        )


def contact_exists(desk: Desk, contact_id: int) -> bool:
    with desk.db.read() as conn:
        return contacts_store.contact_exists(conn, contact_id)


def get_contact(desk: Desk, contact_id: int) -> Contact:
    with desk.db.read() as conn:
        contact = contacts_store.get_contact(conn, contact_id)
    if contact is None:
        raise NotFound(f"Contact {contact_id} not found.", code="contact_not_found")
    return contact


def list_contacts(
    desk: Desk, *, search: str | None, sort: ContactSort, page: int, per_page: int
) -> tuple[list[Contact], int]:
    with desk.db.read() as conn:
        return contacts_store.list_contacts(
            conn, search=search, sort=sort, limit=per_page, offset=page_offset(page, per_page)
        )


def create_contact(desk: Desk, data: ContactCreate) -> Contact:
    name = clean_contact_text(data.name, "name")
    email = clean_optional_email(data.email)
    phone = clean_contact_text(data.phone, "phone")
    _require_identity(name, email, phone)
    company = clean_contact_text(data.company, "company")
    notes = clean_notes(data.notes)
    attributes = clean_attributes(data.custom_attributes)
    with desk.db.write() as conn:
        if email and contacts_store.email_taken(conn, email):
            raise Conflict("A contact with this email already exists.", "email_taken")
        contact_id = contacts_store.insert_contact(
            conn,
            name=name,
            email=email,
            phone=phone,
            company=company,
            notes=notes,
            custom_attributes=attributes,
            now=desk.now_iso(),
        )
        contact = contacts_store.get_contact(conn, contact_id)
    assert contact is not None
    return contact


def _changed_columns(changes: ContactChanges, current: Contact) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    if changes.name is not msgspec.UNSET:
        columns["name"] = clean_contact_text(changes.name, "name")
    if changes.email is not msgspec.UNSET:
        columns["email"] = clean_optional_email(changes.email)
    if changes.phone is not msgspec.UNSET:
        columns["phone"] = clean_contact_text(changes.phone, "phone")
    if changes.company is not msgspec.UNSET:
        columns["company"] = clean_contact_text(changes.company, "company")
    if changes.notes is not msgspec.UNSET:
        columns["notes"] = clean_notes(changes.notes)
    if changes.custom_attributes is not msgspec.UNSET:
        columns["custom_attributes"] = clean_attributes(
            changes.custom_attributes, current.custom_attributes
        )
    _require_identity(
        columns.get("name", current.name),
        columns.get("email", current.email),
        columns.get("phone", current.phone),
    )
    return columns


def update_contact(desk: Desk, contact_id: int, changes: ContactChanges) -> Contact:
    with desk.db.write() as conn:
        current = contacts_store.get_contact(conn, contact_id)
        if current is None:
            raise NotFound(f"Contact {contact_id} not found.", code="contact_not_found")
        columns = _changed_columns(changes, current)
        email = columns.get("email")
        if email and contacts_store.email_taken(conn, email, except_id=contact_id):
            raise Conflict("A contact with this email already exists.", "email_taken")
        contacts_store.update_contact(conn, contact_id, columns, desk.now_iso())
        if columns.keys() & {"name", "email", "phone"}:
            # their conversations are found by the contact's name, email and phone
            search_store.refresh_people(conn, contact_id)
        updated = contacts_store.get_contact(conn, contact_id)
    assert updated is not None
    if columns.keys() & {"name", "email"}:
        _publish_conversations_of(desk, contact_id)
    return updated


def _publish_conversations_of(desk: Desk, contact_id: int) -> None:
    """Open inboxes show the contact's name and email on each conversation: send the latest
    ones that are not resolved again (at most MAX_LIVE_UPDATES), so no inbox shows a stale name."""
    with desk.db.read() as conn:
        conversations, _, _ = inbox_store.list_conversations(
            conn, Filters(contact_id=contact_id), limit=MAX_LIVE_UPDATES, offset=0
        )
    for conversation in conversations:
        desk.events.publish("conversation.updated", conversation)


def delete_contact(desk: Desk, contact_id: int) -> None:
    """Erasure: the contact, their conversations, messages, queued deliveries, web-chat
    visitors, and the files of their attachments and emails (those no other message shares).
    Open inboxes (and the contact's open widget streams) hear `conversation.deleted`."""
    with desk.db.write() as conn:
        if not contacts_store.contact_exists(conn, contact_id):
            raise NotFound(f"Contact {contact_id} not found.", code="contact_not_found")
        erased = conversations_store.ids_of_contact(conn, contact_id)
        stored = attachments_store.files_of_contact(conn, contact_id)
        stored += emails_store.raw_files_of_contact(conn, contact_id)
        contacts_store.delete_contact(conn, contact_id)
        FileStore(desk.settings.data_dir).remove_unused(conn, stored)
    for conversation_id in erased:
        desk.events.publish("conversation.deleted", {"id": conversation_id})


def resolve_contact(
    conn: sqlite3.Connection,
    now: str,
    *,
    name: str | None,
    email: str | None,
    phone: str | None,
    external_id: str | None = None,
) -> int:
    """The existing contact with this email, else external id, else phone; else a new one.

    Runs inside the caller's write transaction (creating a conversation, an inbound hook).
    Errors name the field as `contact.<name>`.
    """
    try:
        return _resolve(conn, now, name=name, email=email, phone=phone, external_id=external_id)
    except Invalid as exc:
        field = exc.field or "contact"
        if field == "contact":
            raise
        raise Invalid(f"contact.{exc.message}", f"contact.{field}") from None


def _resolve(
    conn: sqlite3.Connection,
    now: str,
    *,
    name: str | None,
    email: str | None,
    phone: str | None,
    external_id: str | None,
) -> int:
    name = clean_contact_text(name, "name")
    email = clean_optional_email(email)
    phone = clean_contact_text(phone, "phone")
    external_id = clean_contact_text(external_id, "external_id")
    found = contacts_store.find_contact_id(conn, email=email, phone=phone, external_id=external_id)
    if found is not None:
        # Another system may know more of them now (an email next to its own id, say).
        added = contacts_store.fill_in(
            conn, found, name=name, email=email, phone=phone, external_id=external_id, now=now
        )
        if set(added) & {"name", "email", "phone"}:
            search_store.refresh_people(conn, found)
        return found
    if not (name or email or phone):
        if not external_id:
            raise Invalid(
                "contact needs a name, an email or a phone.", "contact", "contact_needs_identity"
            )
        name = external_id  # a contact known only by another system's id shows that id
    return contacts_store.insert_contact(
        conn, name=name, email=email, phone=phone, external_id=external_id, now=now
    )
