"""Changing a conversation: status, assignment, tags, priority.

Each change is recorded as an `activity` message sent by whoever made it (an agent, an
automation, the system), and published after commit. A change to what is already so (assign
to the current assignee, add a tag it has) is not an error and records nothing.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from desk.errors import Invalid, NotFound
from desk.models.conversations import Conversation, Priority, State, Status
from desk.models.messages import Sender
from desk.models.timestamps import iso, parse_iso
from desk.services.changes import Changes, activity, publish_changes, require_agent, who
from desk.services.desk import Desk
from desk.store import conversations as store
from desk.store import tags as tags_store
from desk.store import workspace as workspace_store
from desk.validation import clean_tag, future_moment

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_STATUS_WORDS = {
    "open": "reopened this",
    "pending": "marked this pending",
    "resolved": "resolved this",
    "snoozed": "snoozed this",
}


def _state(conn: sqlite3.Connection, conversation_id: int) -> State:
    state = store.get_state(conn, conversation_id)
    if state is None:
        raise NotFound(f"Conversation {conversation_id} not found.", code="conversation_not_found")
    return state


_LATEST_SNOOZE = datetime(9998, 12, 31, tzinfo=UTC)


def parse_snoozed_until(text: str | None, now: datetime) -> str:
    """A future moment in ISO 8601 with a time zone (`Z` or an offset), normalised to UTC `Z`."""
    if not text:
        raise Invalid(
            "snoozed_until is required to snooze (ISO 8601, e.g. 2026-12-01T09:00:00Z).",
            "snoozed_until",
            "snooze_time_required",
        )
    moment = future_moment(text, now, "snoozed_until")
    if moment >= _LATEST_SNOOZE:  # later, UTC or the workspace's time zone is past year 9999
        raise Invalid(
            "snoozed_until must be before the year 9999.", "snoozed_until", "too_far_ahead"
        )
    return iso(moment)


def human_time(moment: str, timezone: str, now: str) -> str:
    """An ISO UTC moment as people read it, in the workspace timezone and named after it:
    "Mon 30 Nov, 09:00 (Europe/Berlin)"; the year only when it is not the current one.
    Fixed English names, whatever the machine's locale."""
    zone = ZoneInfo(timezone)
    local = parse_iso(moment).astimezone(zone)
    year = f" {local.year}" if local.year != parse_iso(now).astimezone(zone).year else ""
    day = f"{_DAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]}{year}"
    return f"{day}, {local:%H:%M} ({timezone})"


def snoozed_words(until: str, timezone: str, now: str) -> str:
    """The activity line's words after the actor's name for a snooze."""
    return f"snoozed this until {human_time(until, timezone, now)}"


def _workspace_timezone(conn: sqlite3.Connection) -> str:
    workspace = workspace_store.get_workspace(conn)
    return workspace.timezone if workspace else "UTC"


def change_status(
    conn: sqlite3.Connection,
    conversation_id: int,
    status: Status,
    snoozed_until: str | None,
    actor: Sender,
    now: str,
    text: str | None = None,
    kind: str | None = None,
) -> int | None:
    """Set the status inside a transaction; returns the activity message's id (None if the
    status was already so). A caller's own `text` comes with its own `kind`."""
    state = _state(conn, conversation_id)
    if state.status == status and state.snoozed_until == snoozed_until:
        return None
    store.set_status(conn, conversation_id, status, snoozed_until, now)
    if text is not None:
        return activity(conn, conversation_id, actor, text, now, kind or f"status_{status}")
    if status == "snoozed" and snoozed_until is not None:
        text = f"{who(actor)} {snoozed_words(snoozed_until, _workspace_timezone(conn), now)}"
        return activity(conn, conversation_id, actor, text, now, "snoozed", until=snoozed_until)
    text = f"{who(actor)} {_STATUS_WORDS[status]}"
    return activity(conn, conversation_id, actor, text, now, f"status_{status}")


def status_until(status: Status, snoozed_until: str | None, now: datetime) -> str | None:
    """The checked `snoozed_until` of a status change: required with `snoozed` (a future
    moment, normalised to UTC), refused with the others."""
    if status == "snoozed":
        return parse_snoozed_until(snoozed_until, now)
    if snoozed_until is not None:
        raise Invalid("snoozed_until goes only with the status snoozed.", "snoozed_until")
    return None


def set_status(
    desk: Desk,
    actor: Sender,
    conversation_id: int,
    status: Status,
    snoozed_until: str | None = None,
) -> Conversation:
    until = status_until(status, snoozed_until, desk.now())
    changes = Changes(conversation_id=conversation_id)
    with desk.db.write() as conn:
        message_id = change_status(conn, conversation_id, status, until, actor, desk.now_iso())
        changes.messages += [message_id] if message_id else []
    return publish_changes(desk, changes)


def assign(desk: Desk, actor: Sender, conversation_id: int, agent_id: int | None) -> Conversation:
    changes = Changes(conversation_id=conversation_id)
    with desk.db.write() as conn:
        message_id = change_assignee(conn, conversation_id, agent_id, actor, desk.now_iso())
        changes.messages += [message_id] if message_id else []
    return publish_changes(desk, changes)


def add_tag(desk: Desk, actor: Sender, conversation_id: int, tag: str) -> Conversation:
    tag = clean_tag(tag)
    changes = Changes(conversation_id=conversation_id)
    with desk.db.write() as conn:
        message_id = change_add_tag(conn, conversation_id, tag, actor, desk.now_iso())
        changes.messages += [message_id] if message_id else []
    return publish_changes(desk, changes)


def remove_tag(desk: Desk, actor: Sender, conversation_id: int, tag: str) -> Conversation:
    changes = Changes(conversation_id=conversation_id)
    with desk.db.write() as conn:
        message_id = change_remove_tag(conn, conversation_id, tag, actor, desk.now_iso())
        changes.messages.append(message_id)
    return publish_changes(desk, changes)


def set_priority(
    desk: Desk, actor: Sender, conversation_id: int, priority: Priority
) -> Conversation:
    changes = Changes(conversation_id=conversation_id)
    with desk.db.write() as conn:
        message_id = change_priority(conn, conversation_id, priority, actor, desk.now_iso())
        changes.messages += [message_id] if message_id else []
    return publish_changes(desk, changes)


# The changes themselves, inside the caller's write transaction (one conversation's endpoint,
# or each conversation of a bulk action): each returns its activity message's id, None when
# it was already so.


def change_assignee(
    conn: sqlite3.Connection,
    conversation_id: int,
    agent_id: int | None,
    actor: Sender,
    now: str,
) -> int | None:
    state = _state(conn, conversation_id)
    if state.assignee_id == agent_id:
        if agent_id is not None:
            require_agent(conn, agent_id)
        return None
    if agent_id is None:
        kind, name = "unassigned", require_agent(conn, state.assignee_id or 0).name
        text = f"{who(actor)} unassigned {name}"
    else:
        kind, name = "assigned", require_agent(conn, agent_id).name
        text = f"{who(actor)} assigned this to {name}"
    store.set_assignee(conn, conversation_id, agent_id, now)
    return activity(conn, conversation_id, actor, text, now, kind, agent=name)


def change_add_tag(
    conn: sqlite3.Connection, conversation_id: int, tag: str, actor: Sender, now: str
) -> int | None:
    """Add a tag already cleaned (`clean_tag`)."""
    _state(conn, conversation_id)
    if not tags_store.add_tag(conn, conversation_id, tag):
        return None
    text = f"{who(actor)} added tag {tag}"
    return activity(conn, conversation_id, actor, text, now, "tag_added", tag=tag)


def change_remove_tag(
    conn: sqlite3.Connection, conversation_id: int, tag: str, actor: Sender, now: str
) -> int:
    """Remove a tag (any case); a tag the conversation does not have is NotFound."""
    tag = tag.strip().lower()
    _state(conn, conversation_id)
    if not tags_store.remove_tag(conn, conversation_id, tag):
        raise NotFound(f"This conversation has no tag {tag!r}.", code="tag_not_found")
    text = f"{who(actor)} removed tag {tag}"
    return activity(conn, conversation_id, actor, text, now, "tag_removed", tag=tag)


def change_priority(
    conn: sqlite3.Connection,
    conversation_id: int,
    priority: Priority,
    actor: Sender,
    now: str,
) -> int | None:
    if _state(conn, conversation_id).priority == priority:
        return None
    store.set_priority(conn, conversation_id, priority, now)
    text = f"{who(actor)} set the priority to {priority}"
    return activity(conn, conversation_id, actor, text, now, "priority", priority=priority)
