"""/api/views: saved views, a named set of the inbox list's filters, private or shared; each
agent's own order of them. Counts per view come with /api/conversations/counts."""

from __future__ import annotations

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from desk.api.access import access
from desk.api.common import Deleted, Page, PageNumber, PerPage
from desk.api.errors import error_responses
from desk.models.agents import Agent
from desk.models.views import View, ViewChanges, ViewCreate, ViewOrder
from desk.services import views
from desk.services.desk import Desk


class ViewController(Controller):
    path = "/api/views"
    tags = ["views"]
    opt = access(exists={"view_id": views.view_exists})

    @get(sync_to_thread=True, responses=error_responses(400, 401))
    def list_views(
        self,
        desk: NamedDependency[Desk],
        me: NamedDependency[Agent],
        page: FromQuery[PageNumber] = 1,
        per_page: FromQuery[PerPage] = 25,
    ) -> Page[View]:
        items, total = views.list_views(desk, me, page, per_page)
        return Page(items=items, page=page, per_page=per_page, total=total)

    @post(sync_to_thread=True, responses=error_responses(400, 401, 403, 409, 413))
    def create_view(
        self, desk: NamedDependency[Desk], me: NamedDependency[Agent], data: JSONBody[ViewCreate]
    ) -> View:
        return views.create_view(desk, me, data)

    @post(
        "/order",
        sync_to_thread=True,
        status_code=200,
        responses=error_responses(400, 401, 403, 404, 413),
    )
    def reorder_views(
        self, desk: NamedDependency[Desk], me: NamedDependency[Agent], data: JSONBody[ViewOrder]
    ) -> Page[View]:
        items = views.reorder(desk, me, data.ids)
        return Page(items=items, page=1, per_page=max(len(items), 1), total=len(items))

    @get("/{view_id:int}", sync_to_thread=True, responses=error_responses(400, 401, 404))
    def get_view(
        self, desk: NamedDependency[Desk], me: NamedDependency[Agent], view_id: FromPath[int]
    ) -> View:
        return views.get_view(desk, me, view_id)

    @patch(
        "/{view_id:int}",
        sync_to_thread=True,
        responses=error_responses(400, 401, 403, 404, 409, 413),
    )
    def update_view(
        self,
        desk: NamedDependency[Desk],
        me: NamedDependency[Agent],
        view_id: FromPath[int],
        data: JSONBody[ViewChanges],
    ) -> View:
        return views.update_view(desk, me, view_id, data)

    @delete(
        "/{view_id:int}",
        sync_to_thread=True,
        status_code=200,
        responses=error_responses(400, 401, 403, 404),
    )
    def delete_view(
        self, desk: NamedDependency[Desk], me: NamedDependency[Agent], view_id: FromPath[int]
    ) -> Deleted:
        views.delete_view(desk, me, view_id)
        return Deleted(deleted=True, id=view_id)
