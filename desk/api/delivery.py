"""/api/messages/{id}/retry and /dismiss: a failed outgoing message goes back in the delivery
queue, or stops counting as its conversation's failure."""

from __future__ import annotations

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from desk.api.access import access
from desk.api.errors import error_responses
from desk.models.agents import Agent
from desk.models.messages import Message
from desk.services import failures
from desk.services.desk import Desk


class DeliveryController(Controller):
    path = "/api/messages"
    tags = ["messages"]
    opt = access(exists={"message_id": failures.message_exists})

    @post(
        "/{message_id:int}/retry",
        sync_to_thread=True,
        status_code=200,
        responses=error_responses(401, 403, 404, 409),
    )
    def retry_message(self, desk: NamedDependency[Desk], message_id: FromPath[int]) -> Message:
        return failures.retry_message(desk, message_id)

    @post(
        "/{message_id:int}/dismiss",
        sync_to_thread=True,
        status_code=200,
        responses=error_responses(401, 403, 404, 409),
    )
    def dismiss_message(
        self, desk: NamedDependency[Desk], me: NamedDependency[Agent], message_id: FromPath[int]
    ) -> Message:
        """A failed reply the agent dealt with another way: still `failed`, no longer its
        conversation's failure (it leaves "Failed to send")."""
        return failures.dismiss_message(desk, me, message_id)
