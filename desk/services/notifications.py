"""Notifications: an agent is told when a conversation arrives through a channel, when the
contact writes again in a conversation assigned to them, and when a teammate mentions them in a
note (`@Their Name`), each as they chose (`NotificationSettings`, defaults for what they never
set).

A listener on the event bus writes them (in the publisher's thread, after its commit: a few
small inserts) and publishes `notification.created` to that agent's streams only; the UI shows
the list, the unread count and, where the agent allowed it, the browser's notification.
"""

from __future__ import annotations

import logging
import re
from functools import partial
from typing import Any

import msgspec

from desk.errors import Invalid, NotFound
from desk.models.agents import Agent
from desk.models.conversations import Conversation
from desk.models.messages import Message
from desk.models.notifications import Notification, NotificationKind, NotificationSettings
from desk.services.desk import Desk
from desk.services.events import Event
from desk.store import agents as agents_store
from desk.store import notifications as store
from desk.store.paging import page_offset

log = logging.getLogger("desk.notifications")

PREVIEW = 140


def install(desk: Desk) -> None:
    desk.events.add_listener(partial(_on_event, desk))


def _on_event(desk: Desk, event: Event) -> None:
    if event.agent_id is not None:
        return
    try:
        if event.kind == "conversation.created" and isinstance(event.data, Conversation):
            _new_conversation(desk, event.data)
        elif event.kind == "message.created" and isinstance(event.data, Message):
            if event.data.type == "incoming":
                _reply(desk, event.data)
            elif event.data.type == "note" and event.data.sender.type == "agent":
                _mentions(desk, event.data)
    except Exception:  # telling people must never break what they are told about
        log.exception("notifications for %s failed", event.kind)


def settings_of(prefs: dict[str, Any]) -> NotificationSettings:
    known = {k: v for k, v in prefs.items() if k in NotificationSettings.__struct_fields__}
    return msgspec.convert(known, NotificationSettings)


def _tell(
    desk: Desk,
    agent_ids: list[int],
    pref: str,
    kind: NotificationKind,
    conversation_id: int,
    message_id: int | None,
    actor: str,
    preview: str,
) -> None:
    made: list[tuple[int, Notification]] = []
    with desk.db.write() as conn:
        prefs = store.get_prefs(conn, agent_ids)
        for agent_id in agent_ids:
            if not getattr(settings_of(prefs.get(agent_id, {})), pref):
                continue
            if message_id is not None and store.told_about(conn, agent_id, message_id):
                continue  # a new conversation's first message is not also "a reply"
            made.append(
                (
                    agent_id,
                    store.insert(
                        conn,
                        agent_id=agent_id,
                        kind=kind,
                        conversation_id=conversation_id,
                        message_id=message_id,
                        actor=actor,
                        preview=preview[:PREVIEW],
                        now=desk.now_iso(),
                    ),
                )
            )
    for agent_id, notification in made:
        desk.events.publish("notification.created", notification, agent_id=agent_id)


def _new_conversation(desk: Desk, conversation: Conversation) -> None:
    last = conversation.last_message
    if last is None or last.type != "incoming" or conversation.unread_count <= 0:
        return  # logged or started by an agent: nobody needs telling
    with desk.db.read() as conn:
        everyone = store.agent_ids(conn)
    actor = conversation.contact.name or conversation.contact.email or ""
    _tell(
        desk,
        everyone,
        "new_conversations",
        "new_conversation",
        conversation.id,
        last.id,
        actor or "",
        last.preview,
    )


def _reply(desk: Desk, message: Message) -> None:
    if message.sender.type != "contact":
        return
    with desk.db.read() as conn:
        assignee, contact = store.conversation_facts(conn, message.conversation_id)
    if assignee is None:
        return
    _tell(
        desk,
        [assignee],
        "assigned_replies",
        "assigned_reply",
        message.conversation_id,
        message.id,
        message.sender.name or contact,
        message.body,
    )


def mentioned(body: str, team: list[tuple[int, str]]) -> list[int]:
    """The ids of the teammates a note names as `@Full Name` (any case), longest names first
    so "@Sam Agent" is not also "@Sam"."""
    found: list[int] = []
    rest = body
    for agent_id, name in sorted(team, key=lambda member: -len(member[1])):
        if not name.strip():
            continue
        pattern = re.compile(r"(?<![\w@])@" + re.escape(name.strip()) + r"(?!\w)", re.IGNORECASE)
        if pattern.search(rest):
            found.append(agent_id)
            rest = pattern.sub(" ", rest)
    return found


def _mentions(desk: Desk, note: Message) -> None:
    if "@" not in note.body:
        return
    with desk.db.read() as conn:
        team = [(m.id, m.name) for m in agents_store.list_team(conn)]
    ids = [i for i in mentioned(note.body, team) if i != note.sender.id]
    if ids:
        _tell(
            desk,
            ids,
            "mentions",
            "mention",
            note.conversation_id,
            note.id,
            note.sender.name,
            note.body,
        )


# -- the API's side ---------------------------------------------------------------------------


def list_notifications(
    desk: Desk,
    me: Agent,
    kind: NotificationKind | None,
    unread: bool,
    page: int,
    per_page: int,
) -> tuple[list[Notification], int, int]:
    """A page of my notifications, newest first; with the total and my unread count."""
    with desk.db.read() as conn:
        items, total = store.list_for(
            conn, me.id, kind, unread, per_page, page_offset(page, per_page)
        )
        return items, total, store.unread_count(conn, me.id)


def mark_read(
    desk: Desk,
    me: Agent,
    ids: list[int] | None,
    all: bool,
    conversation_id: int | None,
) -> int:
    """Mark my notifications read: these ids, all, or those of one conversation. Returns how
    many are still unread. An id that is not one of mine: 404, and nothing changes."""
    given = sum([ids is not None, all, conversation_id is not None])
    if given != 1:
        raise Invalid("Give exactly one of ids, all or conversation_id.", "ids")
    now = desk.now_iso()
    with desk.db.write() as conn:
        if ids is not None:
            missing = set(ids) - store.owned_ids(conn, me.id, ids)
            if missing:
                raise NotFound(
                    f"Notification {min(missing)} not found.", "ids", code="notification_not_found"
                )
            store.mark_read(conn, me.id, ids, now)
        elif all:
            store.mark_read(conn, me.id, None, now)
        else:
            assert conversation_id is not None
            store.mark_conversation_read(conn, me.id, conversation_id, now)
        return store.unread_count(conn, me.id)


def get_settings(desk: Desk, me: Agent) -> NotificationSettings:
    with desk.db.read() as conn:
        return settings_of(store.get_prefs(conn, [me.id]).get(me.id, {}))


def update_settings(desk: Desk, me: Agent, changes: dict[str, bool]) -> NotificationSettings:
    with desk.db.write() as conn:
        current = msgspec.to_builtins(settings_of(store.get_prefs(conn, [me.id]).get(me.id, {})))
        current.update(changes)
        store.set_prefs(conn, me.id, current)
        return settings_of(current)
