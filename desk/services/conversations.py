"""The inbox: listing, opening and starting conversations.

Changes to a conversation (status, assignment, tags, priority) live in `services.triage`;
the snooze wake-up in `services.snooze`; agents' replies and notes in `services.messages`;
what contacts write through channels in `services.incoming`.
Every change is written in one transaction and published (`conversation.*`, `message.*`,
`data` = the object as the API returns it) only after it committed.
"""

from __future__ import annotations

import re
import sqlite3

import msgspec

from desk.errors import Invalid, NotFound
from desk.models.agents import Agent
from desk.models.conversations import (
    NOT_RESOLVED,
    Conversation,
    Counts,
    Filters,
    ListQuery,
    NewConversation,
    Status,
)
from desk.services import contacts as contacts_service
from desk.services import search as search_service
from desk.services import views as views_service
from desk.services.changes import (
    Changes,
    agent_sender,
    publish_changes,
    require_agent,
    require_channel,
)
from desk.services.desk import Desk
from desk.services.incoming import contact_sender
from desk.services.messages import insert_post
from desk.store import contacts as contacts_store
from desk.store import conversations as store
from desk.store import inbox as inbox_store
from desk.store import messages as messages_store
from desk.store import tags as tags_store
from desk.store import totals as totals_store
from desk.store.paging import page_offset
from desk.validation import MAX_ID, clean_body, clean_subject, clean_tag

_AGENT_ID = re.compile(r"[0-9]{1,19}")


def conversation_exists(desk: Desk, conversation_id: int) -> bool:
    if not 0 < conversation_id <= MAX_ID:
        return False
    with desk.db.read() as conn:
        return store.conversation_exists(conn, conversation_id)


def _filters(me: Agent, query: ListQuery) -> Filters:
    statuses: tuple[Status, ...] | None = NOT_RESOLVED
    if query.status == "all":
        statuses = None
    elif query.status is not None:
        statuses = (query.status,)
    filters = Filters(
        statuses=statuses,
        channel_type=query.channel_type,
        channel_id=query.channel_id,
        tag=clean_tag(query.tag, "tag") if query.tag is not None else None,
        contact_id=query.contact_id,
        priority=query.priority,
        match=search_service.fts_query(query.search),
        failed=query.failed,
        sort=query.sort or "last_activity_desc",
    )
    if query.assignee == "me":
        filters.assignee_id = me.id
    elif query.assignee == "unassigned":
        filters.unassigned = True
    elif query.assignee is not None:
        if not _AGENT_ID.fullmatch(query.assignee) or not 0 < int(query.assignee) <= MAX_ID:
            raise Invalid("assignee must be me, unassigned or an agent id.", "assignee")
        filters.assignee_id = int(query.assignee)
    return filters


# A list page without a search, this near the top, walks an index to the page and reads its
# total from the per-thread cache (counted again after a commit): well under a millisecond
# at 100,000 conversations, less than sending it to a worker thread costs.
QUICK_LIST_ROWS = 500


def quick_list(query: ListQuery, page: int, per_page: int) -> bool:
    """Whether this page is cheap enough to read on the event loop (see QUICK_LIST_ROWS)."""
    return query.search is None and page * per_page <= QUICK_LIST_ROWS


def _with_view(query: ListQuery, stored: ListQuery) -> ListQuery:
    """A saved view's filters, with those given explicitly in place of its own."""
    given = {
        name: value for name, value in msgspec.structs.asdict(query).items() if value is not None
    }
    return msgspec.structs.replace(stored, **given)


def _list_filters(me: Agent, query: ListQuery) -> Filters:
    filters = _filters(me, query)
    filters.pin_id = search_service.conversation_number(query.search, MAX_ID)
    return filters


def _spell_out(
    conn: sqlite3.Connection, filters: Filters, text: str | None
) -> search_service.SearchQueries | None:
    """The search's queries, its last word spelt out as the indexed words it starts, read in
    the list's own transaction (the same match as the prefix, but cheap to probe and count)."""
    queries = search_service.search_queries(text, conn)
    filters.match = queries.match if queries else None
    return queries


def list_conversations(
    desk: Desk,
    me: Agent,
    query: ListQuery,
    page: int,
    per_page: int,
    view_id: int | None = None,
) -> tuple[list[Conversation], int, bool, str | None]:
    """A page, its total, whether a search's total stopped counting at 10,000, and for a
    search that found nothing a corrected search that finds something ("Did you mean …?"),
    else None. Searched rows carry their matching message line. With `view_id`, the saved
    view's filters apply, those given in `query` overriding its own."""
    if view_id is not None:
        with desk.db.read() as conn:
            row = views_service.visible_view(conn, me, view_id, "view")
        query = _with_view(query, views_service.to_view(row).filters)
    filters = _list_filters(me, query)
    # A transaction of its own: the list's cached totals key on the data version read first.
    with desk.db.read() as conn:
        queries = _spell_out(conn, filters, query.search)
        items, total, capped = inbox_store.list_conversations(
            conn, filters, limit=per_page, offset=page_offset(page, per_page)
        )
        if queries is None:
            return items, total, capped, None
        search_service.add_snippets(conn, items, queries.bodies)
        suggestion = search_service.did_you_mean(conn, query.search) if total == 0 else None
    return items, total, capped, suggestion


def get_conversation(desk: Desk, conversation_id: int) -> Conversation:
    """Open a conversation: the team has now seen it, so its unread count goes to 0."""
    conversation = read_conversation(desk, conversation_id)
    if conversation.unread_count == 0:
        return conversation  # nothing to reset: no write, no event
    with desk.db.write() as conn:
        changed = store.mark_read(conn, conversation_id)
        updated = store.get_conversation(conn, conversation_id)
    if updated is None:
        raise NotFound(f"Conversation {conversation_id} not found.", code="conversation_not_found")
    if changed:
        desk.events.publish("conversation.updated", updated)
    return updated


def read_conversation(desk: Desk, conversation_id: int) -> Conversation:
    """The conversation as it is, without marking it read."""
    with desk.db.read() as conn:
        conversation = store.get_conversation(conn, conversation_id)
    if conversation is None:
        raise NotFound(f"Conversation {conversation_id} not found.", code="conversation_not_found")
    return conversation


def counts(desk: Desk, me: Agent) -> Counts:
    """The fixed views' numbers, and each saved view's list total (as `?view=` would say)."""
    with desk.db.read() as conn:
        found = totals_store.counts(conn, me.id)
        saved = views_service.visible_views(conn, me)
    for view in saved:
        filters = _list_filters(me, view.filters)
        # One transaction each: the list's cached totals key on the data version read first.
        with desk.db.read() as conn:
            _spell_out(conn, filters, view.filters.search)
            _, total, _ = inbox_store.list_conversations(conn, filters, limit=0, offset=0)
        found.views[str(view.id)] = total
    return found


def create_conversation(desk: Desk, me: Agent, data: NewConversation) -> Conversation:
    """An agent starts (or logs) a conversation, optionally with its first message."""
    subject = clean_subject(data.subject or "")
    tags = sorted({clean_tag(tag, "tags") for tag in data.tags})
    body = _first_message(data)
    now = desk.now_iso()
    changes = Changes(created=True)
    with desk.db.write() as conn:
        channel = require_channel(conn, data.channel_id)
        if data.assignee_id is not None:
            require_agent(conn, data.assignee_id)
        contact_id = _contact_for(conn, now, data)
        conversation_id = store.insert_conversation(
            conn,
            channel_id=channel.id,
            contact_id=contact_id,
            subject=subject,
            priority=data.priority,
            assignee_id=data.assignee_id,
            thread_key=None,
            now=now,
        )
        changes.conversation_id = conversation_id
        for tag in tags:
            tags_store.add_tag(conn, conversation_id, tag)
        if body is not None:
            _log_first_message(conn, changes, contact_id, me, data, body, now)
    return publish_changes(desk, changes)


def _first_message(data: NewConversation) -> str | None:
    if data.message is None:
        return None
    if not data.message.strip():
        return None
    return clean_body(data.message, "message")


def _contact_for(conn: sqlite3.Connection, now: str, data: NewConversation) -> int:
    if data.contact_id is not None and data.contact is not None:
        raise Invalid("Give either contact_id or contact, not both.", "contact")
    if data.contact_id is not None:
        if not contacts_store.contact_exists(conn, data.contact_id):
            raise NotFound(f"Contact {data.contact_id} not found.", code="contact_not_found")
        return data.contact_id
    if data.contact is None:
        raise Invalid("contact_id or contact is required.", "contact", "contact_needs_identity")
    return contacts_service.resolve_contact(
        conn, now, name=data.contact.name, email=data.contact.email, phone=data.contact.phone
    )


def _log_first_message(
    conn: sqlite3.Connection,
    changes: Changes,
    contact_id: int,
    me: Agent,
    data: NewConversation,
    body: str,
    now: str,
) -> None:
    if data.message_type == "outgoing":  # a reply, delivered like any other
        insert_post(conn, data.channel_id, changes, "outgoing", body, agent_sender(me), now)
        return
    # What a contact said, logged by an agent (a call, a walk-in): not unread for the team.
    message_id = messages_store.insert_message(
        conn,
        conversation_id=changes.conversation_id,
        type="incoming",
        body=body,
        sender=contact_sender(conn, contact_id),
        now=now,
    )
    changes.messages.append(message_id)
