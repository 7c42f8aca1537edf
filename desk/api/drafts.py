"""/api/drafts and /api/conversations/{id}/draft: the signed-in agent's unsent texts."""

from __future__ import annotations

from litestar import Controller, delete, get, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from desk.api.access import access
from desk.api.common import Deleted, Page, PageNumber, PerPage
from desk.api.errors import error_responses
from desk.models.agents import Agent
from desk.models.drafts import Draft, DraftChange
from desk.services import conversations, drafts
from desk.services.desk import Desk


class DraftController(Controller):
    path = "/api"
    tags = ["drafts"]

    @get("/drafts", sync_to_thread=True, responses=error_responses(400, 401))
    def list_drafts(
        self,
        desk: NamedDependency[Desk],
        me: NamedDependency[Agent],
        page: FromQuery[PageNumber] = 1,
        per_page: FromQuery[PerPage] = 25,
    ) -> Page[Draft]:
        items, total = drafts.list_drafts(desk, me, page, per_page)
        return Page(items=items, page=page, per_page=per_page, total=total)

    @get(
        "/conversations/{conversation_id:int}/draft",
        sync_to_thread=True,
        responses=error_responses(401, 404),
        opt=access(exists={"conversation_id": conversations.conversation_exists}),
    )
    def get_draft(
        self,
        desk: NamedDependency[Desk],
        me: NamedDependency[Agent],
        conversation_id: FromPath[int],
    ) -> Draft:
        return drafts.get_draft(desk, me, conversation_id)

    @put(
        "/conversations/{conversation_id:int}/draft",
        sync_to_thread=True,
        responses=error_responses(400, 401, 403, 404, 413),
        opt=access(exists={"conversation_id": conversations.conversation_exists}),
    )
    def put_draft(
        self,
        desk: NamedDependency[Desk],
        me: NamedDependency[Agent],
        conversation_id: FromPath[int],
        data: JSONBody[DraftChange],
    ) -> Draft:
        return drafts.put_draft(desk, me, conversation_id, data)

    @delete(
        "/conversations/{conversation_id:int}/draft",
        sync_to_thread=True,
        status_code=200,
        responses=error_responses(401, 403, 404),
        opt=access(exists={"conversation_id": conversations.conversation_exists}),
    )
    def delete_draft(
        self,
        desk: NamedDependency[Desk],
        me: NamedDependency[Agent],
        conversation_id: FromPath[int],
    ) -> Deleted:
        drafts.delete_draft(desk, me, conversation_id)
        return Deleted(deleted=True, id=conversation_id)
