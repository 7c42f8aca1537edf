"""/api/analytics: the team's figures over the last N days (any signed-in agent)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter

from desk.api.errors import error_responses
from desk.models.analytics import Analytics
from desk.services import analytics
from desk.services.desk import Desk

Days = Annotated[
    int, QueryParameter(ge=1, le=analytics.MAX_DAYS, description="Days back, today included")
]


class AnalyticsController(Controller):
    path = "/api/analytics"
    tags = ["analytics"]

    @get(sync_to_thread=True, responses=error_responses(400, 401))
    def get_analytics(self, desk: NamedDependency[Desk], days: FromQuery[Days] = 30) -> Analytics:
        return analytics.get_analytics(desk, days)
