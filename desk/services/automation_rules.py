"""The language of automations: what a rule may say (validated, each error naming the bad
part), whether its conditions hold for a conversation, and how reply templates are filled."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from desk.errors import Invalid
from desk.models.automations import Action, Condition, Context, Draft
from desk.models.workspace import WEEKDAYS, Workspace
from desk.store import agents as agents_store
from desk.validation import MAX_BODY, MAX_ID, clean_tag

EVENTS = (
    "conversation_created",
    "message_received",
    "status_changed",
    "conversation_assigned",
    "conversation_waiting",
)
FIELDS = (
    "channel_type",
    "channel_id",
    "subject",
    "message_body",
    "contact_email",
    "contact_name",
    "tag",
    "status",
    "priority",
    "assignee_id",
    "business_hours",
)
OPERATORS = ("equals", "not_equals", "contains", "not_contains", "starts_with", "in")
ACTIONS = (
    "assign_agent",
    "assign_round_robin",
    "add_tag",
    "remove_tag",
    "set_status",
    "set_priority",
    "send_reply",
    "add_note",
)
STATUSES = ("open", "pending", "resolved")  # snoozing needs a time: not an action
PRIORITIES = ("low", "normal", "high", "urgent")
PLACEHOLDERS = ("contact.name", "contact.first_name", "conversation.id", "agent.name")
MAX_AFTER_MINUTES = 10080
MAX_NAME = 100
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


def check_draft(conn: sqlite3.Connection, draft: Draft) -> Draft:
    """The draft with its values normalised, or Invalid naming the first bad part."""
    name = draft.name.strip()
    if not name or len(name) > MAX_NAME:
        raise Invalid(f"name must be 1 to {MAX_NAME} characters.", "name")
    if draft.event not in EVENTS:
        raise Invalid(
            f"Unknown event: {draft.event[:40]!r}. Use one of {', '.join(EVENTS)}.", "event"
        )
    after = _check_after(draft)
    conditions = [_check_condition(i, c) for i, c in enumerate(draft.conditions)]
    if not draft.actions:
        raise Invalid("actions must have at least one action.", "actions")
    actions = [_check_action(conn, i, a) for i, a in enumerate(draft.actions)]
    return msgspec.structs.replace(
        draft, name=name, conditions=conditions, actions=actions, after_minutes=after
    )


def _check_after(draft: Draft) -> int | None:
    if draft.event != "conversation_waiting":
        if draft.after_minutes is not None:
            raise Invalid("after_minutes goes only with conversation_waiting.", "after_minutes")
        return None
    if draft.after_minutes is None:
        raise Invalid("conversation_waiting needs after_minutes (1 to 10080).", "after_minutes")
    if not 1 <= draft.after_minutes <= MAX_AFTER_MINUTES:
        raise Invalid(f"after_minutes must be between 1 and {MAX_AFTER_MINUTES}.", "after_minutes")
    return draft.after_minutes


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _check_condition(index: int, condition: Condition) -> Condition:
    where = f"conditions[{index}]"
    if condition.field not in FIELDS:
        raise Invalid(f"Unknown field in {where}: {condition.field[:40]!r}.", f"{where}.field")
    if condition.operator not in OPERATORS:
        raise Invalid(
            f"Unknown operator in {where}: {condition.operator[:40]!r}.", f"{where}.operator"
        )
    value = condition.value
    if condition.operator == "in":
        if not isinstance(value, list) or not all(_scalar(v) for v in value):
            raise Invalid(f"{where}.value must be a list for the operator in.", f"{where}.value")
    elif not _scalar(value):
        raise Invalid(f"{where}.value must be text, a number or true/false.", f"{where}.value")
    if condition.field == "business_hours" and not (
        isinstance(value, bool) and condition.operator in ("equals", "not_equals")
    ):
        raise Invalid(
            f"{where}: business_hours takes equals or not_equals and true or false.",
            f"{where}.value",
        )
    return condition


def _check_action(conn: sqlite3.Connection, index: int, action: Action) -> Action:
    where = f"actions[{index}]"
    kind, value = action.type, action.value
    if kind not in ACTIONS:
        raise Invalid(f"Unknown action type in {where}: {kind[:40]!r}.", f"{where}.type")
    if kind == "assign_agent":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
            raise Invalid(f"{where}: assign_agent needs an agent id as value.", f"{where}.value")
        if not agents_store.agent_exists(conn, value):
            raise Invalid(f"{where}: agent {value} does not exist.", f"{where}.value")
    elif kind == "assign_round_robin":
        value = None
    elif kind in ("add_tag", "remove_tag"):
        value = clean_tag(value if isinstance(value, str) else "", f"{where}.value")
    elif kind == "set_status" and value not in STATUSES:
        raise Invalid(f"{where}: set_status takes one of {', '.join(STATUSES)}.", f"{where}.value")
    elif kind == "set_priority" and value not in PRIORITIES:
        raise Invalid(
            f"{where}: set_priority takes one of {', '.join(PRIORITIES)}.", f"{where}.value"
        )
    elif kind in ("send_reply", "add_note"):
        value = _check_body(where, kind, value)
    return Action(type=kind, value=value)


def _check_body(where: str, kind: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"{where}: {kind} needs a body (the text, as value).", f"{where}.value")
    if len(value) > MAX_BODY:
        raise Invalid(f"{where}: the body is over {MAX_BODY:,} characters.", f"{where}.value")
    check_placeholders(value, f"{where}: ", f"{where}.value")
    return value.strip()


def check_placeholders(text: str, prefix: str, field: str) -> None:
    """Invalid (naming `field`) when `text` uses a placeholder templates cannot fill."""
    for name in _PLACEHOLDER.findall(text):
        if name not in PLACEHOLDERS:
            raise Invalid(
                f"{prefix}unknown placeholder {{{{{name[:40]}}}}}; use "
                + ", ".join("{{" + p + "}}" for p in PLACEHOLDERS)
                + ".",
                field,
            )


def in_business_hours(workspace: Workspace, now: datetime) -> bool:
    local = now.astimezone(ZoneInfo(workspace.timezone))
    clock = local.strftime("%H:%M")
    spans = workspace.business_hours.get(WEEKDAYS[local.weekday()], [])
    return any(start <= clock < end for start, end in spans)


def closed_since(workspace: Workspace, now: datetime) -> datetime | None:
    """When the current closed period began: the end of the latest business-hours interval
    at or before `now` (None while in business hours; `datetime.min` in UTC when the
    workspace has no business hours at all: one closed period forever). An interval ending
    at "24:00" ends at the next midnight; adjacent intervals make no gap."""
    if in_business_hours(workspace, now):
        return None
    zone = ZoneInfo(workspace.timezone)
    local = now.astimezone(zone)
    latest: datetime | None = None
    for back in range(8):  # a week back covers every weekday's intervals
        day = (local - timedelta(days=back)).date()
        for _start, end in workspace.business_hours.get(WEEKDAYS[day.weekday()], []):
            if end == "24:00":
                ended = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=zone)
            else:
                hour, minute = (int(part) for part in end.split(":"))
                ended = datetime.combine(day, time(hour, minute), tzinfo=zone)
            if ended <= local and (latest is None or ended > latest):
                latest = ended
        if latest is not None:
            break  # an earlier day's intervals all ended earlier
    return latest.astimezone(UTC) if latest is not None else datetime.min.replace(tzinfo=UTC)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value).strip().casefold()


def _compare(operator: str, actual: str, value: Any) -> bool:
    if operator == "in":
        return actual in {_text(v) for v in value}
    wanted = _text(value)
    if operator in ("equals", "not_equals"):
        return (actual == wanted) == (operator == "equals")
    if operator in ("contains", "not_contains"):
        return (wanted in actual) == (operator == "contains")
    return actual.startswith(wanted)  # starts_with


def holds(condition: Condition, context: Context, message_body: str, in_hours: bool) -> bool:
    """One condition, text compared without regard to case. `tag` holds when any tag of the
    conversation matches (for not_equals / not_contains: when none does)."""
    if condition.field == "tag":
        negative = condition.operator in ("not_equals", "not_contains")
        positive = {"not_equals": "equals", "not_contains": "contains"}.get(
            condition.operator, condition.operator
        )
        found = any(_compare(positive, _text(tag), condition.value) for tag in context.tags)
        return not found if negative else found
    actual = {
        "channel_type": context.channel_type,
        "channel_id": context.channel_id,
        "subject": context.subject,
        "message_body": message_body,
        "contact_email": context.contact_email,
        "contact_name": context.contact_name,
        "status": context.status,
        "priority": context.priority,
        "assignee_id": context.assignee_id,
        "business_hours": in_hours,
    }[condition.field]
    return _compare(condition.operator, _text(actual), condition.value)


def render(template: str, context: Context) -> str:
    """Fill {{contact.name}}, {{contact.first_name}}, {{conversation.id}}, {{agent.name}}
    (the assignee) for an automation's reply."""
    return fill(template, context.contact_name, context.conversation_id, context.assignee_name)


def fill(template: str, contact_name: str, conversation_id: int, agent_name: str) -> str:
    """The template with its placeholders filled (a missing name reads "there" / "our team")."""
    name = contact_name.strip()
    values = {
        "contact.name": name or "there",
        "contact.first_name": name.split()[0] if name else "there",
        "conversation.id": str(conversation_id),
        "agent.name": agent_name or "our team",
    }
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)
