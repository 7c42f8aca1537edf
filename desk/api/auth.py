"""Sign-in, sign-out, who am I, and changing one's own password."""

from __future__ import annotations

from typing import Any, Literal

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.params import JSONBody

from desk.api.access import access
from desk.api.common import Ok
from desk.api.deps import client_address
from desk.api.errors import error_responses
from desk.api.security import SESSION_COOKIE
from desk.models.agents import Agent, NewSession, SignedIn
from desk.services import auth
from desk.services.desk import Desk


class PasswordChange(msgspec.Struct, forbid_unknown_fields=True):
    current_password: str
    new_password: str


class LanguageChange(msgspec.Struct, forbid_unknown_fields=True):
    language: str | None


class ThemeChange(msgspec.Struct, forbid_unknown_fields=True):
    theme: Literal["light", "dark"] | None


class LoginRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    email: str
    password: str


class AgentEnvelope(msgspec.Struct):
    agent: Agent


def session_response(
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
        return session_response(request, desk, session, 200)

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


@post(
    "/api/settings/password",
    tags=["settings"],
    sync_to_thread=True,
    status_code=200,
    responses=error_responses(400, 401, 403, 413),
)
def change_password(
    desk: NamedDependency[Desk],
    signed_in: NamedDependency[SignedIn],
    data: JSONBody[PasswordChange],
) -> Ok:
    auth.change_password(desk, signed_in, data.current_password, data.new_password)
    return Ok(ok=True)


@post(
    "/api/settings/theme",
    tags=["settings"],
    sync_to_thread=True,
    status_code=200,
    responses=error_responses(400, 401, 403, 413),
)
def change_theme(
    desk: NamedDependency[Desk],
    me: NamedDependency[Agent],
    data: JSONBody[ThemeChange],
) -> AgentEnvelope:
    """The agent's own theme: `light`, `dark`, or null to follow the system's."""
    return AgentEnvelope(agent=auth.set_theme(desk, me, data.theme))


@post(
    "/api/settings/language",
    tags=["settings"],
    sync_to_thread=True,
    status_code=200,
    responses=error_responses(400, 401, 403, 413),
)
def change_language(
    desk: NamedDependency[Desk],
    me: NamedDependency[Agent],
    data: JSONBody[LanguageChange],
) -> AgentEnvelope:
    return AgentEnvelope(agent=auth.set_language(desk, me, data.language))
