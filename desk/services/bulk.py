"""Bulk actions: one change to many conversations, each changed exactly as its single
endpoint would change it (`services.triage`: the same rules, activity lines and events, so
automations see them too).

The action is checked once, before anything is written: an invalid one (a malformed tag, a
past snooze time, an unknown agent) refuses the whole request. Then every conversation
changes in one write transaction, each inside its own savepoint: one that fails (unknown, or
a tag it does not have) is left as it was and reported, the others go on. Events go out per
changed conversation once the transaction committed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from desk.errors import Conflict, DeskError, Forbidden, Invalid, NotFound
from desk.models.agents import Agent
from desk.models.bulk import AddTag, Assign, BulkAction, BulkRequest, RemoveTag, SetStatus
from desk.models.messages import Sender
from desk.services import triage
from desk.services.changes import Changes, agent_sender, publish_changes, require_agent
from desk.services.desk import Desk
from desk.store.db import savepoint
from desk.validation import clean_tag

# One conversation's change inside the transaction: its activity message's id, or None when
# it was already so.
Change = Callable[[sqlite3.Connection, int, Sender, str], int | None]

# What may fail for one conversation without stopping the others; anything else (a full
# disk, a damaged file) fails the whole request and nothing of it stays.
_PER_ID = (NotFound, Invalid, Conflict, Forbidden)


def apply(desk: Desk, me: Agent, request: BulkRequest) -> list[tuple[int, DeskError | None]]:
    """Apply `request.action` to each of `request.ids`; per id, None or what refused it."""
    if len(set(request.ids)) != len(request.ids):
        raise Invalid("ids must not repeat.", "ids")
    change = _checked(desk, request.action)
    actor = agent_sender(me)
    now = desk.now_iso()
    outcomes: list[tuple[int, DeskError | None]] = []
    changed: list[Changes] = []
    with desk.db.write() as conn:
        for conversation_id in request.ids:
            try:
                with savepoint(conn, "bulk_item"):
                    message_id = change(conn, conversation_id, actor, now)
            except _PER_ID as exc:
                outcomes.append((conversation_id, exc))
                continue
            outcomes.append((conversation_id, None))
            if message_id is not None:
                changed.append(Changes(conversation_id=conversation_id, messages=[message_id]))
    for changes in changed:
        publish_changes(desk, changes)
    return outcomes


def _checked(desk: Desk, action: BulkAction) -> Change:
    """The action's change, once its values passed the single endpoint's checks (`400`
    naming `action.<field>` otherwise)."""
    try:
        return _change(desk, action)
    except Invalid as exc:
        raise Invalid(exc.message, f"action.{exc.field}" if exc.field else "action") from None


def _change(desk: Desk, action: BulkAction) -> Change:
    if isinstance(action, SetStatus):
        status = action.status
        until = triage.status_until(status, action.snoozed_until, desk.now())
        return lambda conn, cid, actor, now: triage.change_status(
            conn, cid, status, until, actor, now
        )
    if isinstance(action, Assign):
        agent_id = action.agent_id
        if agent_id is not None:
            _require_agent(desk, agent_id)
        return lambda conn, cid, actor, now: triage.change_assignee(conn, cid, agent_id, actor, now)
    if isinstance(action, AddTag):
        tag = clean_tag(action.tag)
        return lambda conn, cid, actor, now: triage.change_add_tag(conn, cid, tag, actor, now)
    if isinstance(action, RemoveTag):
        removed = clean_tag(action.tag)
        return lambda conn, cid, actor, now: triage.change_remove_tag(
            conn, cid, removed, actor, now
        )
    priority = action.priority
    return lambda conn, cid, actor, now: triage.change_priority(conn, cid, priority, actor, now)


def _require_agent(desk: Desk, agent_id: int) -> None:
    with desk.db.read() as conn:
        try:
            require_agent(conn, agent_id)
        except NotFound as exc:
            raise Invalid(exc.message, "agent_id") from None
