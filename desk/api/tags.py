"""/api/tags: the tags in use, most used first (the tag filter's autocomplete)."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromQuery

from desk.api.common import Page, PageNumber, PerPage
from desk.api.errors import error_responses
from desk.models.tags import TagUsage
from desk.services import tags
from desk.services.desk import Desk


class TagController(Controller):
    path = "/api/tags"
    tags = ["tags"]

    @get(sync_to_thread=True, responses=error_responses(400, 401))
    def list_tags(
        self,
        desk: NamedDependency[Desk],
        search: FromQuery[str | None] = None,
        page: FromQuery[PageNumber] = 1,
        per_page: FromQuery[PerPage] = 25,
    ) -> Page[TagUsage]:
        items, total = tags.list_tags(desk, search or "", page, per_page)
        return Page(items=items, page=page, per_page=per_page, total=total)
