"""/api/canned-replies: the team's shared answers (anyone edits; the author or an admin
deletes), and one filled in for a conversation."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from desk.api.access import access
from desk.api.common import Deleted, Page, PageNumber, PerPage
from desk.api.errors import error_responses
from desk.models.agents import Agent
from desk.models.canned_replies import (
    CannedReply,
    CannedReplyChanges,
    CannedReplyCreate,
    Rendered,
)
from desk.services import canned_replies
from desk.services.desk import Desk
from desk.validation import MAX_ID

Search = Annotated[
    str | None,
    QueryParameter(description="A prefix of the shortcut, of the title or of a word of the title"),
]
ConversationId = Annotated[
    int, QueryParameter(ge=1, le=MAX_ID, description="The conversation to fill it in for")
]


class CannedReplyController(Controller):
    path = "/api/canned-replies"
    tags = ["canned replies"]
    opt = access(exists={"reply_id": canned_replies.reply_exists})

    @get(sync_to_thread=True, responses=error_responses(400, 401))
    def list_canned_replies(
        self,
        desk: NamedDependency[Desk],
        search: FromQuery[Search] = None,
        page: FromQuery[PageNumber] = 1,
        per_page: FromQuery[PerPage] = 25,
    ) -> Page[CannedReply]:
        items, total = canned_replies.list_replies(desk, search, page, per_page)
        return Page(items=items, page=page, per_page=per_page, total=total)

    @post(sync_to_thread=True, responses=error_responses(400, 401, 403, 409, 413))
    def create_canned_reply(
        self,
        desk: NamedDependency[Desk],
        me: NamedDependency[Agent],
        data: JSONBody[CannedReplyCreate],
    ) -> CannedReply:
        return canned_replies.create_reply(desk, me, data)

    @patch(
        "/{reply_id:int}",
        sync_to_thread=True,
        responses=error_responses(400, 401, 403, 404, 409, 413),
    )
    def update_canned_reply(
        self,
        desk: NamedDependency[Desk],
        reply_id: FromPath[int],
        data: JSONBody[CannedReplyChanges],
    ) -> CannedReply:
        return canned_replies.update_reply(desk, reply_id, data)

    @delete(
        "/{reply_id:int}",
        sync_to_thread=True,
        status_code=200,
        responses=error_responses(401, 403, 404),
    )
    def delete_canned_reply(
        self, desk: NamedDependency[Desk], me: NamedDependency[Agent], reply_id: FromPath[int]
    ) -> Deleted:
        canned_replies.delete_reply(desk, me, reply_id)
        return Deleted(deleted=True, id=reply_id)

    @get("/{reply_id:int}/render", sync_to_thread=True, responses=error_responses(400, 401, 404))
    def render_canned_reply(
        self,
        desk: NamedDependency[Desk],
        me: NamedDependency[Agent],
        reply_id: FromPath[int],
        conversation_id: FromQuery[ConversationId],
    ) -> Rendered:
        return canned_replies.render_reply(desk, me, reply_id, conversation_id)
