"""/api/ai-suggest: a reply suggestion for a conversation (any signed-in agent)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter

from desk.api.errors import error_responses
from desk.models.suggestions import Suggestion
from desk.services import suggestions
from desk.services.desk import Desk
from desk.validation import MAX_ID

ConversationId = Annotated[
    int, QueryParameter(ge=1, le=MAX_ID, description="The conversation to answer")
]


class SuggestController(Controller):
    path = "/api/ai-suggest"
    tags = ["ai"]

    @get(sync_to_thread=True, responses=error_responses(400, 401, 404))
    def suggest(
        self, desk: NamedDependency[Desk], conversation_id: FromQuery[ConversationId]
    ) -> Suggestion:
        return suggestions.suggest_reply(desk, conversation_id)
