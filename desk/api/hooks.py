"""/hooks/{token}/messages: other systems post a contact's message into an `api` channel.

No session: the unguessable token in the channel's `inbound_url` is the credential.
"""

from __future__ import annotations

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from desk.api.access import access
from desk.api.errors import error_responses
from desk.services.channels import api as api_channel
from desk.services.channels.api import HookMessage, HookReceipt
from desk.services.desk import Desk


class HookController(Controller):
    path = "/hooks"
    tags = ["hooks"]
    opt = access(public=True, exists={"token": api_channel.hook_exists})

    @post(
        "/{token:str}/messages",
        sync_to_thread=True,
        responses=error_responses(400, 404, 413),
    )
    def receive_message(
        self, desk: NamedDependency[Desk], token: FromPath[str], data: JSONBody[HookMessage]
    ) -> HookReceipt:
        return api_channel.receive_hook(desk, token, data)
