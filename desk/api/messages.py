"""/api/conversations/{id}/messages: a conversation's messages; agents' replies and notes."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from desk.api.access import access
from desk.api.common import Page, PageNumber, PerPage
from desk.api.errors import collision_response, error_responses
from desk.errors import Invalid
from desk.models.agents import Agent
from desk.models.messages import Message, PostType
from desk.services import conversations, messages, scheduled
from desk.services.desk import Desk
from desk.validation import MAX_ID


class MessageCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    body: str
    type: PostType = "outgoing"
    keep_status: bool = False  # a reply to a resolved conversation reopens it unless true
    # Uploads of this agent (POST /api/attachments), at most 10; then `body` may be empty.
    attachment_ids: list[Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]] = []
    # A reply that goes out later (future, at most 30 days ahead): `delivery.status` is
    # `scheduled` until then.
    send_at: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    # The newest message the agent saw: a reply written after it → 409 with `newer`, and
    # nothing is written (API.md "Reply collision guard").
    after_message_id: Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)] | None = None


class MessageController(Controller):
    path = "/api/conversations/{conversation_id:int}/messages"
    tags = ["messages"]
    opt = access(exists={"conversation_id": conversations.conversation_exists})

    @get(sync_to_thread=True, responses=error_responses(400, 401, 404))
    def list_messages(
        self,
        desk: NamedDependency[Desk],
        conversation_id: FromPath[int],
        order: FromQuery[Literal["asc", "desc"]] = "asc",
        page: FromQuery[PageNumber] = 1,
        per_page: FromQuery[PerPage] = 25,
    ) -> Page[Message]:
        items, total = messages.list_messages(
            desk, conversation_id, page, per_page, newest_first=order == "desc"
        )
        return Page(items=items, page=page, per_page=per_page, total=total)

    @post(
        sync_to_thread=True,
        responses={**error_responses(400, 401, 403, 404, 413), **collision_response()},
    )
    def post_message(
        self,
        desk: NamedDependency[Desk],
        me: NamedDependency[Agent],
        conversation_id: FromPath[int],
        data: JSONBody[MessageCreate],
    ) -> Message:
        if data.send_at is not None:
            if data.type != "outgoing":
                raise Invalid("Only a reply can be scheduled, not a note.", "send_at")
            return scheduled.schedule_reply(
                desk,
                me,
                conversation_id,
                data.body,
                data.send_at,
                data.keep_status,
                data.attachment_ids,
                data.after_message_id,
            )
        return messages.post_message(
            desk,
            me,
            conversation_id,
            data.body,
            data.type,
            data.keep_status,
            data.attachment_ids,
            data.after_message_id,
        )
