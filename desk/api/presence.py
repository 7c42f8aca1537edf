"""/api/conversations/{id}/presence and /api/presence: who has which conversation open."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from desk.api.access import access
from desk.api.common import Page, PageNumber, PerPage
from desk.api.errors import error_responses
from desk.errors import NotFound
from desk.models.agents import Agent
from desk.models.presence import Presence, PresenceChange
from desk.services import conversations, presence
from desk.services.desk import Desk
from desk.validation import MAX_ID

ConversationId = Annotated[
    int | None, QueryParameter(ge=1, le=MAX_ID, description="Only this conversation")
]


class PresenceController(Controller):
    path = "/api"
    tags = ["presence"]

    @post(
        "/conversations/{conversation_id:int}/presence",
        sync_to_thread=True,
        status_code=200,
        responses=error_responses(400, 401, 403, 404, 413),
        opt=access(exists={"conversation_id": conversations.conversation_exists}),
        description="Say that you view, type in or left a conversation (a `presence` event).",
    )
    def set_presence(
        self,
        desk: NamedDependency[Desk],
        me: NamedDependency[Agent],
        conversation_id: FromPath[int],
        data: JSONBody[PresenceChange],
    ) -> Presence:
        return presence.set_presence(desk, me, conversation_id, data.state)

    @get("/presence", sync_to_thread=True, responses=error_responses(400, 401, 404))
    def list_presence(
        self,
        desk: NamedDependency[Desk],
        conversation_id: FromQuery[ConversationId] = None,
        page: FromQuery[PageNumber] = 1,
        per_page: FromQuery[PerPage] = 25,
    ) -> Page[Presence]:
        if conversation_id is not None and not conversations.conversation_exists(
            desk, conversation_id
        ):
            raise NotFound(
                f"Conversation {conversation_id} not found.",
                "conversation_id",
                code="conversation_not_found",
            )
        found = [
            p
            for p in presence.current(desk)
            if conversation_id is None or p.conversation_id == conversation_id
        ]
        start = (page - 1) * per_page
        return Page(
            items=found[start : start + per_page], page=page, per_page=per_page, total=len(found)
        )
