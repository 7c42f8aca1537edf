"""Canned replies: the team's shared answers. Anyone lists, creates and edits them; the author
or an admin deletes one. Their bodies may use the automations' placeholders, filled for one
conversation by `render_reply` (the agent who renders it is `{{agent.name}}`)."""

from __future__ import annotations

import sqlite3

import msgspec

from desk.errors import Conflict, Forbidden, NotFound
from desk.models.agents import Agent
from desk.models.canned_replies import (
    CannedReply,
    CannedReplyChanges,
    CannedReplyCreate,
    Rendered,
)
from desk.services.automation_rules import check_placeholders, fill
from desk.services.desk import Desk
from desk.store import canned_replies as store
from desk.store import conversations as conversations_store
from desk.store.paging import page_offset
from desk.validation import MAX_ID, clean_body, clean_name, clean_shortcut

MAX_TITLE = 100
MAX_SEARCH = 100


def reply_exists(desk: Desk, reply_id: int) -> bool:
    if not 0 < reply_id <= MAX_ID:
        return False
    with desk.db.read() as conn:
        return store.reply_exists(conn, reply_id)


def list_replies(
    desk: Desk, search: str | None, page: int, per_page: int
) -> tuple[list[CannedReply], int]:
    prefix = (search or "").strip().lower().removeprefix("/")[:MAX_SEARCH]
    with desk.db.read() as conn:
        return store.list_replies(conn, prefix or None, per_page, page_offset(page, per_page))


def _clean_body(body: str) -> str:
    text = clean_body(body)
    check_placeholders(text, "body: ", "body")
    return text


def create_reply(desk: Desk, me: Agent, data: CannedReplyCreate) -> CannedReply:
    shortcut = clean_shortcut(data.shortcut)
    title = clean_name(data.title, "title", MAX_TITLE)
    body = _clean_body(data.body)
    with desk.db.write() as conn:
        if store.shortcut_taken(conn, shortcut):
            raise Conflict(
                f"A canned reply with the shortcut /{shortcut} already exists.", "shortcut_taken"
            )
        reply_id = store.insert_reply(
            conn,
            shortcut=shortcut,
            title=title,
            body=body,
            author_id=me.id,
            author_name=me.name,
            now=desk.now_iso(),
        )
        return _get(conn, reply_id)


def update_reply(desk: Desk, reply_id: int, changes: CannedReplyChanges) -> CannedReply:
    with desk.db.write() as conn:
        current = _get(conn, reply_id)
        shortcut = current.shortcut
        if changes.shortcut is not msgspec.UNSET:
            shortcut = clean_shortcut(changes.shortcut)
        title = current.title
        if changes.title is not msgspec.UNSET:
            title = clean_name(changes.title, "title", MAX_TITLE)
        body = current.body
        if changes.body is not msgspec.UNSET:
            body = _clean_body(changes.body)
        if store.shortcut_taken(conn, shortcut, except_id=reply_id):
            raise Conflict(
                f"A canned reply with the shortcut /{shortcut} already exists.", "shortcut_taken"
            )
        store.update_reply(conn, reply_id, shortcut, title, body, desk.now_iso())
        return _get(conn, reply_id)


def delete_reply(desk: Desk, me: Agent, reply_id: int) -> None:
    with desk.db.write() as conn:
        current = _get(conn, reply_id)
        if me.role != "admin" and current.created_by.id != me.id:
            raise Forbidden("Only its author or an admin can delete a canned reply.", "not_author")
        store.delete_reply(conn, reply_id)


def render_reply(desk: Desk, me: Agent, reply_id: int, conversation_id: int) -> Rendered:
    """The reply's body with the placeholders filled for this conversation."""
    with desk.db.read() as conn:
        reply = _get(conn, reply_id)
        conversation = conversations_store.get_conversation(conn, conversation_id)
    if conversation is None:
        raise NotFound(
            f"Conversation {conversation_id} not found.",
            "conversation_id",
            code="conversation_not_found",
        )
    contact = conversation.contact.name or ""
    return Rendered(body=fill(reply.body, contact, conversation.id, me.name))


def _get(conn: sqlite3.Connection, reply_id: int) -> CannedReply:
    reply = store.get_reply(conn, reply_id)
    if reply is None:
        raise NotFound(f"Canned reply {reply_id} not found.", code="canned_reply_not_found")
    return reply
