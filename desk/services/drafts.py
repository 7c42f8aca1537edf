"""Drafts: each agent's unsent reply and note per conversation, kept on the server so they
survive switching conversations, reloads, restarts of the window (whose local server gets a new
port, hence a new browser origin and empty browser storage, at every start) and another browser.

Sending clears the side that was sent (`services.messages.post_message`). Drafts are private to
their agent: nothing about them is published on the event stream.
"""

from __future__ import annotations

from desk.errors import NotFound
from desk.models.agents import Agent
from desk.models.drafts import Draft, DraftChange
from desk.services.desk import Desk
from desk.store import conversations as conversations_store
from desk.store import drafts as store
from desk.store.paging import page_offset


def _empty(conversation_id: int) -> Draft:
    return Draft(conversation_id=conversation_id, reply="", note="", updated_at=None)


def get_draft(desk: Desk, me: Agent, conversation_id: int) -> Draft:
    with desk.db.read() as conn:
        return store.get_draft(conn, me.id, conversation_id) or _empty(conversation_id)


def put_draft(desk: Desk, me: Agent, conversation_id: int, change: DraftChange) -> Draft:
    """Replace the sides given; both sides empty afterwards removes the draft."""
    now = desk.now_iso()
    with desk.db.write() as conn:
        if not conversations_store.conversation_exists(conn, conversation_id):
            raise NotFound(
                f"Conversation {conversation_id} not found.", code="conversation_not_found"
            )
        old = store.get_draft(conn, me.id, conversation_id) or _empty(conversation_id)
        reply = old.reply if change.reply is None else change.reply
        note = old.note if change.note is None else change.note
        store.put_draft(conn, me.id, conversation_id, reply, note, now)
        return store.get_draft(conn, me.id, conversation_id) or _empty(conversation_id)


def delete_draft(desk: Desk, me: Agent, conversation_id: int) -> None:
    """Discard this agent's draft (no draft is not an error: the end state is the same)."""
    with desk.db.write() as conn:
        store.delete_draft(conn, me.id, conversation_id)


def list_drafts(desk: Desk, me: Agent, page: int, per_page: int) -> tuple[list[Draft], int]:
    with desk.db.read() as conn:
        return store.list_drafts(conn, me.id, limit=per_page, offset=page_offset(page, per_page))
