"""Health, first-run setup, sign-in and sign-out."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.params import JSONBody

import desk
from desk.api.access import access
from desk.api.common import Ok
from desk.api.deps import client_address
from desk.api.errors import error_responses
from desk.api.security import SESSION_COOKIE
from desk.models.agents import Agent, NewSession, SignedIn
from desk.network import is_loopback
from desk.services import auth, workspace
from desk.services.desk import Desk


class Health(msgspec.Struct):
    status: str
    version: str


class SetupState(msgspec.Struct):
    needs_setup: bool


class SetupRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    workspace_name: str
    name: str
    email: str
    password: str
    setup_token: str | None = None


class LoginRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    email: str
    password: str


class AgentEnvelope(msgspec.Struct):
    agent: Agent


def _session_response(
    request: Request[Any, Any, Any], desk_: Desk, session: NewSession, status: int
) -> Response[AgentEnvelope]:
    secure = request.url.scheme == "https" or desk_.settings.secure_cookies
    cookie = Cookie(
        key=SESSION_COOKIE,
        value=session.token,
        path="/",
        httponly=True,
        samesite="strict",
        secure=secure,
        max_age=desk_.settings.session_max_seconds,
    )
    return Response(AgentEnvelope(agent=session.agent), status_code=status, cookies=[cookie])


@get("/api/health", opt=access(public=True), sync_to_thread=False, tags=["system"])
def health() -> Health:
    return Health(status="ok", version=desk.__version__)


class SetupController(Controller):
    path = "/api/setup"
    tags = ["auth"]
    opt = access(public=True)

    @get(sync_to_thread=True)
    def get_setup(self, desk: NamedDependency[Desk]) -> SetupState:
        return SetupState(needs_setup=workspace.needs_setup(desk))

    @post(sync_to_thread=True, responses=error_responses(400, 403, 409, 413))
    def run_setup(
        self,
        request: Request[Any, Any, Any],
        desk: NamedDependency[Desk],
        data: JSONBody[SetupRequest],
    ) -> Response[AgentEnvelope]:
        """First run only: create the workspace and its first admin, and sign them in."""
        session = workspace.run_setup(
            desk,
            workspace_name=data.workspace_name,
            name=data.name,
            email=data.email,
            password=data.password,
            trusted=is_loopback(client_address(request)),
            setup_token=data.setup_token,
        )
        return _session_response(request, desk, session, 201)


class AuthController(Controller):
    path = "/api/auth"
    tags = ["auth"]

    @post(
        "/login",
        opt=access(public=True),
        sync_to_thread=True,
        status_code=200,
        responses=error_responses(400, 401, 403, 413, 429),
    )
    def login(
        self,
        request: Request[Any, Any, Any],
        desk: NamedDependency[Desk],
        data: JSONBody[LoginRequest],
    ) -> Response[AgentEnvelope]:
        session = auth.login(desk, data.email, data.password, client_address(request))
        return _session_response(request, desk, session, 200)

    @post("/logout", sync_to_thread=True, status_code=200, responses=error_responses(401, 403))
    def logout(
        self, desk: NamedDependency[Desk], signed_in: NamedDependency[SignedIn]
    ) -> Response[Ok]:
        auth.logout(desk, signed_in.session_id)
        response = Response(Ok(ok=True))
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @get("/me", sync_to_thread=False, responses=error_responses(401))
    def me(self, me: NamedDependency[Agent]) -> AgentEnvelope:
        return AgentEnvelope(agent=me)
