"""Automations as admins manage them: list, create, change, switch on or off, delete. What a
rule may say is `automation_rules`; running the rules on the inbox's events is
`automation_engine`."""

from __future__ import annotations

from typing import Any

import msgspec

from desk.errors import NotFound
from desk.models.automations import Automation, AutomationChanges, Draft
from desk.services.automation_rules import check_draft
from desk.services.desk import Desk
from desk.store import automations as store
from desk.store.paging import page_offset


def automation_exists(desk: Desk, automation_id: int) -> bool:
    with desk.db.read() as conn:
        return store.automation_exists(conn, automation_id)


def list_automations(desk: Desk, page: int, per_page: int) -> tuple[list[Automation], int]:
    with desk.db.read() as conn:
        items = store.list_automations(conn, per_page, page_offset(page, per_page))
        return items, store.count_automations(conn)


def create_automation(desk: Desk, draft: Draft) -> Automation:
    with desk.db.write() as conn:
        checked = check_draft(conn, draft)
        automation_id = store.insert_automation(
            conn,
            name=checked.name,
            event=checked.event,
            active=checked.active,
            conditions=checked.conditions,
            actions=checked.actions,
            after_minutes=checked.after_minutes,
            now=desk.now_iso(),
        )
        return _get(conn, automation_id)


def update_automation(desk: Desk, automation_id: int, changes: AutomationChanges) -> Automation:
    """Change any part of a rule, validated as a new one would be (the whole rule as it will
    be). An event other than conversation_waiting drops `after_minutes` unless it is given."""
    with desk.db.write() as conn:
        current = _get(conn, automation_id)
        given = {f: getattr(changes, f) for f in changes.__struct_fields__}
        given = {f: v for f, v in given.items() if v is not msgspec.UNSET}
        rule = {field: getattr(current, field) for field in Draft.__struct_fields__}
        draft = Draft(**{**rule, **given})
        if "after_minutes" not in given and draft.event != "conversation_waiting":
            draft = msgspec.structs.replace(draft, after_minutes=None)
        checked = check_draft(conn, draft)
        updated = msgspec.structs.replace(current, **msgspec.structs.asdict(checked))
        store.update_automation(conn, updated, desk.now_iso())
        return _get(conn, automation_id)


def toggle_automation(desk: Desk, automation_id: int) -> Automation:
    with desk.db.write() as conn:
        _get(conn, automation_id)
        store.toggle_automation(conn, automation_id, desk.now_iso())
        return _get(conn, automation_id)


def delete_automation(desk: Desk, automation_id: int) -> None:
    with desk.db.write() as conn:
        _get(conn, automation_id)
        store.delete_automation(conn, automation_id)


def _get(conn: Any, automation_id: int) -> Automation:
    automation = store.get_automation(conn, automation_id)
    if automation is None:
        raise NotFound(f"Automation {automation_id} not found.", code="automation_not_found")
    return automation
