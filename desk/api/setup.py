"""/api/setup: first-run setup, open to anyone while no agent exists (from another machine
only with the setup token the server printed)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from desk.api.access import access
from desk.api.auth import AgentEnvelope, session_response
from desk.api.deps import client_address
from desk.api.errors import error_responses
from desk.network import is_loopback
from desk.services import setup
from desk.services.desk import Desk


class SetupState(msgspec.Struct):
    needs_setup: bool


class SetupRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    workspace_name: str
    name: str
    email: str
    password: str
    setup_token: str | None = None


class SetupController(Controller):
    path = "/api/setup"
    tags = ["auth"]
    opt = access(public=True)

    @get(sync_to_thread=True)
    def get_setup(self, desk: NamedDependency[Desk]) -> SetupState:
        return SetupState(needs_setup=setup.needs_setup(desk))

    @post(sync_to_thread=True, responses=error_responses(400, 403, 409, 413))
    def run_setup(
        self,
        request: Request[Any, Any, Any],
        desk: NamedDependency[Desk],
        data: JSONBody[SetupRequest],
    ) -> Response[AgentEnvelope]:
        """First run only: create the workspace and its first admin, and sign them in."""
        session = setup.run_setup(
            desk,
            workspace_name=data.workspace_name,
            name=data.name,
            email=data.email,
            password=data.password,
            trusted=is_loopback(client_address(request)),
            setup_token=data.setup_token,
        )
        return session_response(request, desk, session, 201)
