"""Snoozed conversations wake up: a background job reopens those whose time has come."""

from __future__ import annotations

from desk.models.messages import Sender
from desk.services.changes import Changes, publish_changes
from desk.services.desk import Desk
from desk.services.triage import change_status
from desk.store import conversations as store

WAKE_EVERY_SECONDS = 15.0
SYSTEM = Sender(type="system", name="Desk")


def wake_due(desk: Desk) -> int:
    """Reopen every snoozed conversation whose `snoozed_until` has passed (by the Desk's
    clock), each with an activity line and events. Returns how many woke up."""
    now = desk.now_iso()
    with desk.db.read() as conn:  # most passes find nothing: no write lock for them
        if not store.due_snoozed(conn, now, limit=1):
            return 0
    woken: list[Changes] = []
    with desk.db.write() as conn:
        for conversation_id in store.due_snoozed(conn, now):
            changes = Changes(conversation_id=conversation_id)
            message_id = change_status(
                conn,
                conversation_id,
                "open",
                None,
                SYSTEM,
                now,
                "Snooze ended: reopened",
                "snooze_ended",
            )
            if message_id is not None:
                changes.messages.append(message_id)
                woken.append(changes)
    for changes in woken:
        publish_changes(desk, changes)
    return len(woken)


def wake_job(desk: Desk) -> None:
    """The background job's body (every WAKE_EVERY_SECONDS)."""
    wake_due(desk)
