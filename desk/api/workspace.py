"""/api/settings/workspace: the workspace settings (everyone reads, admins change)."""

from __future__ import annotations

from typing import Literal

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from desk.api.access import access
from desk.api.errors import error_responses
from desk.models.agents import TeamMember
from desk.models.channels import ChannelRef
from desk.models.workspace import AutoReply, BusinessHours, SettingsView, WorkspaceChanges
from desk.services import workspace
from desk.services.desk import Desk
from desk.validation import without_credentials


class AiView(msgspec.Struct, kw_only=True):
    provider: Literal["builtin", "openai_compatible"]
    base_url: str | None
    model: str | None
    api_key_set: bool


class WorkspaceSettings(msgspec.Struct, kw_only=True):
    name: str
    timezone: str
    business_hours: BusinessHours
    auto_reply: AutoReply
    ai: AiView
    channels: list[ChannelRef]
    team: list[TeamMember]
    updated_at: str


def _view(settings: SettingsView) -> WorkspaceSettings:
    ws = settings.workspace
    return WorkspaceSettings(
        name=ws.name,
        timezone=ws.timezone,
        business_hours=ws.business_hours,
        auto_reply=ws.auto_reply,
        ai=AiView(
            provider=ws.ai.provider,
            base_url=without_credentials(ws.ai.base_url),
            model=ws.ai.model,
            api_key_set=bool(ws.ai_api_key),
        ),
        channels=settings.channels,
        team=settings.team,
        updated_at=ws.updated_at,
    )


class WorkspaceController(Controller):
    path = "/api/settings"
    tags = ["settings"]

    @get("/workspace", sync_to_thread=True, responses=error_responses(401))
    def get_workspace(self, desk: NamedDependency[Desk]) -> WorkspaceSettings:
        return _view(workspace.get_settings(desk))

    @post(
        "/workspace",
        opt=access(admin=True),
        sync_to_thread=True,
        status_code=200,
        responses=error_responses(400, 401, 403, 413),
    )
    def update_workspace(
        self, desk: NamedDependency[Desk], data: JSONBody[WorkspaceChanges]
    ) -> WorkspaceSettings:
        return _view(workspace.update_workspace(desk, data))
