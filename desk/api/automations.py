"""/api/automations: event + conditions + actions rules (admin only)."""

from __future__ import annotations

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from desk.api.access import access
from desk.api.common import Deleted, Page, PageNumber, PerPage
from desk.api.errors import error_responses
from desk.models.automations import Automation, AutomationChanges, Draft
from desk.services import automations
from desk.services.desk import Desk


class AutomationController(Controller):
    path = "/api/automations"
    tags = ["automations"]
    opt = access(admin=True, exists={"automation_id": automations.automation_exists})

    @get(sync_to_thread=True, responses=error_responses(400, 401, 403))
    def list_automations(
        self,
        desk: NamedDependency[Desk],
        page: FromQuery[PageNumber] = 1,
        per_page: FromQuery[PerPage] = 25,
    ) -> Page[Automation]:
        items, total = automations.list_automations(desk, page, per_page)
        return Page(items=items, page=page, per_page=per_page, total=total)

    @post(sync_to_thread=True, responses=error_responses(400, 401, 403, 413))
    def create_automation(self, desk: NamedDependency[Desk], data: JSONBody[Draft]) -> Automation:
        return automations.create_automation(desk, data)

    @patch(
        "/{automation_id:int}",
        sync_to_thread=True,
        status_code=200,
        responses=error_responses(400, 401, 403, 404, 413),
    )
    def update_automation(
        self,
        desk: NamedDependency[Desk],
        automation_id: FromPath[int],
        data: JSONBody[AutomationChanges],
    ) -> Automation:
        return automations.update_automation(desk, automation_id, data)

    @post(
        "/{automation_id:int}/toggle",
        sync_to_thread=True,
        status_code=200,
        responses=error_responses(400, 401, 403, 404, 413),
    )
    def toggle_automation(
        self, desk: NamedDependency[Desk], automation_id: FromPath[int]
    ) -> Automation:
        return automations.toggle_automation(desk, automation_id)

    @delete(
        "/{automation_id:int}",
        sync_to_thread=True,
        status_code=200,
        responses=error_responses(401, 403, 404),
    )
    def delete_automation(
        self, desk: NamedDependency[Desk], automation_id: FromPath[int]
    ) -> Deleted:
        automations.delete_automation(desk, automation_id)
        return Deleted(deleted=True, id=automation_id)
