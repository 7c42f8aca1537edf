"""/api/messages/{id}: change or cancel a scheduled reply (its author or an admin)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, delete, patch
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from desk.api.access import access
from desk.api.common import Deleted
from desk.api.errors import error_responses
from desk.models.agents import Agent
from desk.models.messages import Message
from desk.services import failures, scheduled
from desk.services.desk import Desk


class ScheduledUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    body: str | None = None
    send_at: Annotated[str, msgspec.Meta(max_length=64)] | None = None


class ScheduledController(Controller):
    path = "/api/messages/{message_id:int}"
    tags = ["messages"]
    opt = access(exists={"message_id": failures.message_exists})

    @patch(sync_to_thread=True, responses=error_responses(400, 401, 403, 404, 409, 413))
    def edit_scheduled(
        self,
        desk: NamedDependency[Desk],
        me: NamedDependency[Agent],
        message_id: FromPath[int],
        data: JSONBody[ScheduledUpdate],
    ) -> Message:
        return scheduled.edit_scheduled(desk, me, message_id, data.body, data.send_at)

    @delete(sync_to_thread=True, status_code=200, responses=error_responses(401, 403, 404, 409))
    def cancel_scheduled(
        self, desk: NamedDependency[Desk], me: NamedDependency[Agent], message_id: FromPath[int]
    ) -> Deleted:
        return Deleted(deleted=True, id=scheduled.cancel_scheduled(desk, me, message_id))
