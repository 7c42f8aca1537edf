"""/api/agents: the team (admin only)."""

from __future__ import annotations

import msgspec
from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from desk.api.access import access
from desk.api.common import Deleted, Page, PageNumber, PerPage
from desk.api.errors import error_responses
from desk.models.agents import Agent, Role
from desk.services import agents
from desk.services.desk import Desk


class AgentCreate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: str
    email: str
    password: str
    role: Role = "agent"


class RoleUpdate(msgspec.Struct, forbid_unknown_fields=True):
    role: Role


class AgentController(Controller):
    path = "/api/agents"
    tags = ["agents"]
    opt = access(admin=True, exists={"agent_id": agents.agent_exists})

    @get(sync_to_thread=True, responses=error_responses(400, 401, 403))
    def list_agents(
        self,
        desk: NamedDependency[Desk],
        page: FromQuery[PageNumber] = 1,
        per_page: FromQuery[PerPage] = 25,
    ) -> Page[Agent]:
        items, total = agents.list_agents(desk, page, per_page)
        return Page(items=items, page=page, per_page=per_page, total=total)

    @post(sync_to_thread=True, responses=error_responses(400, 401, 403, 409, 413))
    def create_agent(self, desk: NamedDependency[Desk], data: JSONBody[AgentCreate]) -> Agent:
        return agents.create_agent(
            desk, name=data.name, email=data.email, password=data.password, role=data.role
        )

    @post(
        "/{agent_id:int}/role",
        sync_to_thread=True,
        status_code=200,
        responses=error_responses(400, 401, 403, 404, 409, 413),
    )
    def set_role(
        self, desk: NamedDependency[Desk], agent_id: FromPath[int], data: JSONBody[RoleUpdate]
    ) -> Agent:
        return agents.set_role(desk, agent_id, data.role)

    @delete(
        "/{agent_id:int}",
        sync_to_thread=True,
        status_code=200,
        responses=error_responses(401, 403, 404, 409),
    )
    def delete_agent(
        self, desk: NamedDependency[Desk], me: NamedDependency[Agent], agent_id: FromPath[int]
    ) -> Deleted:
        agents.delete_agent(desk, me, agent_id)
        return Deleted(deleted=True, id=agent_id)
