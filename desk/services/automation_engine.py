"""The automations engine: runs admins' rules on the inbox's events.

The engine listens to the inbox's events (`desk.events`). The listener only queues them;
a worker thread (or, in tests, `run_pending`) maps them to automation events
(`conversation.created` -> conversation_created; an incoming `message.created` ->
message_received; a `conversation.updated` whose status or assignee differs from the last
one seen -> status_changed / conversation_assigned) and runs the matching active
automations whose conditions all hold. Actions go through the inbox's own services, sent by
the automation; while they run, a thread-local flag marks every event they cause, and
those never trigger automations (no loops). An action that fails is recorded in the run's
activity line and does not stop the others.

`conversation_waiting` is checked by a background job every minute (`tick`): each open or
pending conversation whose `waiting_since` is N minutes old fires once per wait. The
workspace's out-of-hours `auto_reply` goes once per conversation and closed period when a
contact writes.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from array import array
from collections.abc import Iterable
from datetime import timedelta
from typing import Any, NamedTuple

from desk.errors import DeskError, Invalid, NotFound
from desk.models.automations import Action, Automation
from desk.models.messages import MessageType, Sender
from desk.models.timestamps import iso
from desk.services import messages, triage, workspace
from desk.services.automation_rules import closed_since, holds, in_business_hours, render
from desk.services.changes import Changes, activity, publish_changes
from desk.services.desk import Desk
from desk.services.events import Event
from desk.store import automations as store
from desk.store import conversations as conversations_store

log = logging.getLogger("desk.automations")

WAITING_EVERY_SECONDS = 60.0
WAITING_BATCH = 500
AUTO_REPLY = Sender(type="automation", id=None, name="Auto-reply")
_KINDS = ("conversation.created", "conversation.updated", "message.created")
_running = threading.local()  # .active is True while an automation acts in this thread


class Pending(NamedTuple):
    event: Event
    caused_by_automation: bool


def _field(data: Any, name: str) -> Any:
    return data.get(name) if isinstance(data, dict) else getattr(data, name, None)


class States:
    """The last (status, assignee) seen of every conversation, 8 bytes each (100,000
    conversations: under 1 MB), in an array indexed by conversation id."""

    STATUSES = ("open", "pending", "snoozed", "resolved")

    def __init__(self, batches: Iterable[list[tuple[int, int]]] = ()) -> None:
        """From `store.conversation_state_codes(conn, States.STATUSES)`: a million rows load
        in well under a second, the GIL handed to the event loop between batches."""
        self.codes = array("q")
        for batch in batches:
            codes = self._room_for(max(row[0] for row in batch)) if batch else self.codes
            for conversation_id, code in batch:
                codes[conversation_id] = code
            time.sleep(0)

    def get(self, conversation_id: int) -> tuple[str, int | None] | None:
        if conversation_id >= len(self.codes) or self.codes[conversation_id] < 0:
            return None
        code = self.codes[conversation_id]
        status = self.STATUSES[code & 7] if code & 7 < len(self.STATUSES) else ""
        return status, (code >> 3) or None

    def _room_for(self, conversation_id: int) -> array[int]:
        if conversation_id >= len(self.codes):
            self.codes.extend([-1] * (conversation_id + 1024 - len(self.codes)))
        return self.codes

    def __setitem__(self, conversation_id: int, state: tuple[str, int | None]) -> None:
        self._room_for(conversation_id)
        status = self.STATUSES.index(state[0]) if state[0] in self.STATUSES else 7
        self.codes[conversation_id] = ((state[1] or 0) << 3) | status


class Engine:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.pending: queue.SimpleQueue[Pending] = queue.SimpleQueue()
        self.lock = threading.RLock()  # one run at a time: worker thread and waiting job
        with desk.db.read() as conn:
            self.states = States(store.conversation_state_codes(conn, States.STATUSES))
        self.thread: threading.Thread | None = None
        desk.events.add_listener(self.listen)

    def listen(self, event: Event) -> None:
        """Runs in the publisher's thread: only queue."""
        if event.kind in _KINDS:
            self.pending.put(Pending(event, bool(getattr(_running, "active", False))))

    def start_thread(self) -> None:
        if self.thread is None or not self.thread.is_alive():
            self.thread = threading.Thread(target=self._work, name="desk-automations", daemon=True)
            self.thread.start()

    def _work(self) -> None:
        while True:
            item = self.pending.get()
            try:
                self.process(item)
            except Exception:
                log.exception("automation engine failed on %s", item.event.kind)

    def run_pending(self) -> int:
        """Process every queued event in this thread (tests; events caused meanwhile too)."""
        done = 0
        while True:
            try:
                item = self.pending.get_nowait()
            except queue.Empty:
                return done
            self.process(item)
            done += 1

    def process(self, item: Pending) -> None:
        data, kind = item.event.data, item.event.kind
        if kind == "message.created":
            if _field(data, "type") == "incoming" and not item.caused_by_automation:
                conversation_id = int(_field(data, "conversation_id"))
                self.fire("message_received", conversation_id, str(_field(data, "body")))
                self.auto_reply(conversation_id)
            return
        conversation_id = int(_field(data, "id"))
        assignee = _field(data, "assignee")
        new = (str(_field(data, "status")), _field(assignee, "id") if assignee else None)
        old = self.states.get(conversation_id)
        self.states[conversation_id] = new
        if item.caused_by_automation:
            return
        if kind == "conversation.created":
            self.fire("conversation_created", conversation_id)
        elif old is not None:
            if old[0] != new[0]:
                self.fire("status_changed", conversation_id)
            if old[1] != new[1] and new[1] is not None:
                self.fire("conversation_assigned", conversation_id)

    def fire(self, event: str, conversation_id: int, message_body: str | None = None) -> None:
        with self.desk.db.read() as conn:
            automations = store.active_for_event(conn, event)
        for automation in automations:
            self.run(automation, conversation_id, message_body)

    def run(self, automation: Automation, conversation_id: int, body: str | None) -> bool:
        """Run one automation on one conversation if its conditions hold."""
        with self.lock:
            with self.desk.db.read() as conn:
                context = store.get_context(conn, conversation_id)
            if context is None:
                return False
            in_hours = in_business_hours(workspace.get_workspace(self.desk), self.desk.now())
            text = context.latest_incoming if body is None else body
            if not all(holds(c, context, text, in_hours) for c in automation.conditions):
                return False
            _running.active = True
            try:
                self._act_all(automation, conversation_id)
            finally:
                _running.active = False
            return True

    def _act_all(self, automation: Automation, conversation_id: int) -> None:
        actor = Sender(type="automation", id=automation.id, name=automation.name)
        failures: list[str] = []
        for action in automation.actions:
            try:
                act(self.desk, actor, conversation_id, action)
            except DeskError as exc:
                failures.append(f"{action.type}: {exc.message}")
            except Exception:
                log.exception("automation %s: %s failed", automation.id, action.type)
                failures.append(f"{action.type}: unexpected error")
        text = f"Automation {automation.name} ran"
        kind, params = "automation_ran", dict[str, str | int](automation=automation.name)
        if failures:
            kind = "automation_failed"
            params |= {"failed": len(failures), "total": len(automation.actions)}
            params["details"] = "; ".join(failures)
            text += f"; {len(failures)} of {len(automation.actions)} actions failed: "
            text += "; ".join(failures)
        now = self.desk.now_iso()
        changes = Changes(conversation_id=conversation_id)
        with self.desk.db.write() as conn:
            store.record_run(conn, automation.id, now)
            if conversations_store.conversation_exists(conn, conversation_id):
                changes.messages.append(
                    activity(conn, conversation_id, actor, text, now, kind, **params)
                )
        if changes.messages:
            publish_changes(self.desk, changes)

    def auto_reply(self, conversation_id: int) -> None:
        """The workspace's out-of-hours reply, once per conversation and closed period (the
        gap between two business-hours intervals): a contact who writes three times overnight
        gets one auto-reply, and one again the next night."""
        ws = workspace.get_workspace(self.desk)
        since = closed_since(ws, self.desk.now())
        if not ws.auto_reply.enabled or since is None:
            return
        began = iso(since) if since.year > 1 else ""  # "": one closed period, forever
        with self.desk.db.write() as conn:
            if not store.mark_auto_replied(conn, conversation_id, self.desk.now_iso(), began):
                return
            context = store.get_context(conn, conversation_id)
        if context is None:
            return
        _running.active = True
        try:
            post(self.desk, AUTO_REPLY, conversation_id, render(ws.auto_reply.body, context))
        finally:
            _running.active = False

    def check_waiting(self) -> int:
        """Fire `conversation_waiting` automations for waits that reached their N minutes."""
        fired = 0
        with self.desk.db.read() as conn:
            automations = store.active_for_event(conn, "conversation_waiting")
        for automation in automations:
            minutes = automation.after_minutes or 1
            cutoff = iso(self.desk.now() - timedelta(minutes=minutes))
            with self.desk.db.read() as conn:
                due = store.due_waits(conn, automation.id, cutoff, WAITING_BATCH)
            for conversation_id, since in due:
                with self.desk.db.write() as conn:  # once per wait, whatever happens next
                    store.mark_waited(conn, automation.id, conversation_id, since)
                fired += self.run(automation, conversation_id, None)
        return fired


def act(desk: Desk, actor: Sender, conversation_id: int, action: Action) -> None:
    """One action through the inbox's services; raises DeskError when it cannot be done."""
    value = action.value
    if action.type == "assign_agent":
        triage.assign(desk, actor, conversation_id, int(value))
    elif action.type == "assign_round_robin":
        with desk.db.write() as conn:
            agent_id = store.next_round_robin(conn, desk.now_iso())
        if agent_id is None:
            raise Invalid("There is no agent to assign.")
        triage.assign(desk, actor, conversation_id, agent_id)
    elif action.type == "add_tag":
        triage.add_tag(desk, actor, conversation_id, value)
    elif action.type == "remove_tag":
        _remove_tag(desk, actor, conversation_id, value)
    elif action.type == "set_status":
        triage.set_status(desk, actor, conversation_id, value)
    elif action.type == "set_priority":
        triage.set_priority(desk, actor, conversation_id, value)
    elif action.type in ("send_reply", "add_note"):
        with desk.db.read() as conn:
            context = store.get_context(conn, conversation_id)
        if context is None:
            raise NotFound(
                f"Conversation {conversation_id} not found.", code="conversation_not_found"
            )
        kind: MessageType = "outgoing" if action.type == "send_reply" else "note"
        post(desk, actor, conversation_id, render(str(value), context), kind)


def _remove_tag(desk: Desk, actor: Sender, conversation_id: int, tag: str) -> None:
    with desk.db.read() as conn:
        context = store.get_context(conn, conversation_id)
    if context is not None and tag in context.tags:  # a tag already gone is no failure
        triage.remove_tag(desk, actor, conversation_id, tag)


def post(
    desk: Desk, actor: Sender, conversation_id: int, body: str, kind: MessageType = "outgoing"
) -> int:
    """A reply (delivered through the conversation's channel) or a note sent by `actor`."""
    now = desk.now_iso()
    changes = Changes(conversation_id=conversation_id)
    with desk.db.write() as conn:
        state = conversations_store.get_state(conn, conversation_id)
        if state is None:
            raise NotFound(
                f"Conversation {conversation_id} not found.", code="conversation_not_found"
            )
        message_id = messages.insert_post(conn, state.channel_id, changes, kind, body, actor, now)
    publish_changes(desk, changes)
    return message_id


# ---- wiring -------------------------------------------------------------------------------


def engine(desk: Desk) -> Engine:
    """This Desk's engine, listening from the first call on."""
    return desk.shared("automations.engine", lambda: Engine(desk))


def run_pending(desk: Desk) -> int:
    return engine(desk).run_pending()


def check_waiting(desk: Desk) -> int:
    return engine(desk).check_waiting()


def tick(desk: Desk) -> None:
    """The background job (every minute, and once at start): keep the worker thread running
    and fire the waits that are due."""
    found = engine(desk)
    found.start_thread()
    found.check_waiting()
