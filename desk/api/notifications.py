"""/api/notifications: the signed-in agent's notifications and notification settings."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, JSONBody

from desk.api.common import PageNumber, PerPage
from desk.api.errors import error_responses
from desk.models.agents import Agent
from desk.models.notifications import Notification, NotificationKind, NotificationSettings
from desk.services import notifications
from desk.services.desk import Desk
from desk.validation import MAX_ID

Id = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]


class NotificationPage(msgspec.Struct, kw_only=True):
    items: list[Notification]
    page: int
    per_page: int
    total: int
    unread: int  # all my unread notifications, whatever the filters


class MarkRead(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    ids: Annotated[list[Id], msgspec.Meta(min_length=1, max_length=100)] | None = None
    all: bool = False
    conversation_id: Id | None = None


class Unread(msgspec.Struct, kw_only=True):
    unread: int


class SettingsUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    new_conversations: bool | None = None
    assigned_replies: bool | None = None
    mentions: bool | None = None
    desktop: bool | None = None
    sound: bool | None = None


class NotificationController(Controller):
    path = "/api/notifications"
    tags = ["notifications"]

    @get(sync_to_thread=True, responses=error_responses(400, 401))
    def list_notifications(
        self,
        desk: NamedDependency[Desk],
        me: NamedDependency[Agent],
        kind: FromQuery[NotificationKind | None] = None,
        unread: FromQuery[bool] = False,
        page: FromQuery[PageNumber] = 1,
        per_page: FromQuery[PerPage] = 25,
    ) -> NotificationPage:
        items, total, unread_count = notifications.list_notifications(
            desk, me, kind, unread, page, per_page
        )
        return NotificationPage(
            items=items, page=page, per_page=per_page, total=total, unread=unread_count
        )

    @post(
        "/read",
        sync_to_thread=True,
        status_code=200,
        responses=error_responses(400, 401, 403, 404, 413),
    )
    def mark_read(
        self, desk: NamedDependency[Desk], me: NamedDependency[Agent], data: JSONBody[MarkRead]
    ) -> Unread:
        return Unread(
            unread=notifications.mark_read(desk, me, data.ids, data.all, data.conversation_id)
        )

    @get("/settings", sync_to_thread=True, responses=error_responses(401))
    def get_settings(
        self, desk: NamedDependency[Desk], me: NamedDependency[Agent]
    ) -> NotificationSettings:
        return notifications.get_settings(desk, me)

    @patch("/settings", sync_to_thread=True, responses=error_responses(400, 401, 403, 413))
    def update_settings(
        self,
        desk: NamedDependency[Desk],
        me: NamedDependency[Agent],
        data: JSONBody[SettingsUpdate],
    ) -> NotificationSettings:
        changes = {k: v for k, v in msgspec.to_builtins(data).items() if v is not None}
        return notifications.update_settings(desk, me, changes)
