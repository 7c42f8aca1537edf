"""/api/conversations: the inbox list, one conversation, and the changes agents make to it."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, delete, get, post
from litestar.concurrency import sync_to_thread
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from desk.api.access import access
from desk.api.common import PageNumber, PerPage
from desk.api.errors import error_responses, status_of
from desk.models.agents import Agent
from desk.models.bulk import BulkRequest, BulkResult, BulkResults
from desk.models.channels import ChannelType
from desk.models.conversations import (
    Conversation,
    Counts,
    ListQuery,
    NewConversation,
    Priority,
    Sort,
    Status,
    StatusFilter,
)
from desk.services import bulk, conversations, merges, triage
from desk.services.changes import agent_sender
from desk.services.desk import Desk
from desk.validation import MAX_ID

IdFilter = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]
AgentId = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]


class StatusChange(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    status: Status
    snoozed_until: str | None = None


class TagAdd(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    tag: str


class Assignment(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    agent_id: AgentId | None  # required; null unassigns


class PriorityChange(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    priority: Priority


class MergeInto(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    into: AgentId  # the surviving conversation


class ConversationPage(msgspec.Struct, kw_only=True):
    """The list envelope; whether a search's total stopped counting at 10,000; and for a
    search that found nothing a corrected search that finds something ("Did you mean …?"),
    else null."""

    items: list[Conversation]
    page: int
    per_page: int
    total: int
    total_capped: bool = False
    did_you_mean: str | None = None


_ACTION_ERRORS = error_responses(400, 401, 403, 404, 413)


class ConversationController(Controller):
    path = "/api/conversations"
    tags = ["conversations"]
    opt = access(exists={"conversation_id": conversations.conversation_exists})

    @get(responses=error_responses(400, 401, 404))
    async def list_conversations(
        self,
        desk: NamedDependency[Desk],
        me: NamedDependency[Agent],
        status: FromQuery[StatusFilter | None] = None,
        channel_type: FromQuery[ChannelType | None] = None,
        channel_id: IdFilter = None,
        tag: FromQuery[str | None] = None,
        assignee: FromQuery[str | None] = None,
        contact_id: IdFilter = None,
        priority: FromQuery[Priority | None] = None,
        search: FromQuery[str | None] = None,
        failed: FromQuery[bool | None] = None,
        sort: FromQuery[Sort | None] = None,
        view: Annotated[
            int | None,
            QueryParameter(
                ge=1, le=MAX_ID, description="A saved view's filters (the others given override)"
            ),
        ] = None,
        page: FromQuery[PageNumber] = 1,
        per_page: FromQuery[PerPage] = 25,
    ) -> ConversationPage:
        query = ListQuery(
            status=status,
            channel_type=channel_type,
            channel_id=channel_id,
            tag=tag,
            assignee=assignee,
            contact_id=contact_id,
            priority=priority,
            search=search,
            failed=failed,
            sort=sort,
        )
        if view is None and conversations.quick_list(query, page, per_page):
            # An index walk to the page and a total kept until the next commit: cheaper on
            # the event loop than the hop to a worker thread and back.
            found = conversations.list_conversations(desk, me, query, page, per_page)
        else:  # a search, a saved view or a page deep in the list: in a worker thread
            found = await sync_to_thread(
                conversations.list_conversations, desk, me, query, page, per_page, view
            )
        items, total, capped, suggestion = found
        return ConversationPage(
            items=items,
            page=page,
            per_page=per_page,
            total=total,
            total_capped=capped,
            did_you_mean=suggestion,
        )

    @get("/counts", sync_to_thread=True, responses=error_responses(401))
    def counts(self, desk: NamedDependency[Desk], me: NamedDependency[Agent]) -> Counts:
        return conversations.counts(desk, me)

    @get("/{conversation_id:int}", sync_to_thread=True, responses=error_responses(401, 404))
    def get_conversation(
        self, desk: NamedDependency[Desk], conversation_id: FromPath[int]
    ) -> Conversation:
        return conversations.get_conversation(desk, conversation_id)

    @post(sync_to_thread=True, responses=error_responses(400, 401, 403, 404, 413))
    def create_conversation(
        self,
        desk: NamedDependency[Desk],
        me: NamedDependency[Agent],
        data: JSONBody[NewConversation],
    ) -> Conversation:
        return conversations.create_conversation(desk, me, data)

    @post(
        "/bulk", sync_to_thread=True, status_code=200, responses=error_responses(400, 401, 403, 413)
    )
    def bulk_action(
        self,
        desk: NamedDependency[Desk],
        me: NamedDependency[Agent],
        data: JSONBody[BulkRequest],
    ) -> BulkResults:
        """One action on 1..100 conversations; a result per id (one failing id does not stop
        the others; an invalid action refuses the whole request)."""
        return BulkResults(
            results=[
                BulkResult(id=cid, ok=True)
                if error is None
                else BulkResult(id=cid, ok=False, status=status_of(error), error=error.message)
                for cid, error in bulk.apply(desk, me, data)
            ]
        )

    @post(
        "/{conversation_id:int}/status",
        sync_to_thread=True,
        status_code=200,
        responses=_ACTION_ERRORS,
    )
    def set_status(
        self,
        desk: NamedDependency[Desk],
        me: NamedDependency[Agent],
        conversation_id: FromPath[int],
        data: JSONBody[StatusChange],
    ) -> Conversation:
        return triage.set_status(
            desk, agent_sender(me), conversation_id, data.status, data.snoozed_until
        )

    @post(
        "/{conversation_id:int}/tags",
        sync_to_thread=True,
        status_code=200,
        responses=_ACTION_ERRORS,
    )
    def add_tag(
        self,
        desk: NamedDependency[Desk],
        me: NamedDependency[Agent],
        conversation_id: FromPath[int],
        data: JSONBody[TagAdd],
    ) -> Conversation:
        return triage.add_tag(desk, agent_sender(me), conversation_id, data.tag)

    @delete(
        "/{conversation_id:int}/tags/{tag:str}",
        sync_to_thread=True,
        status_code=200,
        responses=error_responses(401, 403, 404),
    )
    def remove_tag(
        self,
        desk: NamedDependency[Desk],
        me: NamedDependency[Agent],
        conversation_id: FromPath[int],
        tag: FromPath[str],
    ) -> Conversation:
        return triage.remove_tag(desk, agent_sender(me), conversation_id, tag)

    @post(
        "/{conversation_id:int}/assign",
        sync_to_thread=True,
        status_code=200,
        responses=_ACTION_ERRORS,
    )
    def assign(
        self,
        desk: NamedDependency[Desk],
        me: NamedDependency[Agent],
        conversation_id: FromPath[int],
        data: JSONBody[Assignment],
    ) -> Conversation:
        return triage.assign(desk, agent_sender(me), conversation_id, data.agent_id)

    @post(
        "/{conversation_id:int}/priority",
        sync_to_thread=True,
        status_code=200,
        responses=_ACTION_ERRORS,
    )
    def set_priority(
        self,
        desk: NamedDependency[Desk],
        me: NamedDependency[Agent],
        conversation_id: FromPath[int],
        data: JSONBody[PriorityChange],
    ) -> Conversation:
        return triage.set_priority(desk, agent_sender(me), conversation_id, data.priority)

    @post(
        "/{conversation_id:int}/merge",
        sync_to_thread=True,
        status_code=200,
        responses=error_responses(400, 401, 403, 404, 409, 413),
    )
    def merge(
        self,
        desk: NamedDependency[Desk],
        me: NamedDependency[Agent],
        conversation_id: FromPath[int],
        data: JSONBody[MergeInto],
    ) -> Conversation:
        """Merge this conversation into `into`; answers the survivor."""
        return merges.merge_conversation(desk, me, conversation_id, data.into)
