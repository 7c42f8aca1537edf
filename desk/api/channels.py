"""/api/channels: where conversations come from (admin only)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from desk.api.access import access
from desk.api.common import Deleted, Page, PageNumber, PerPage
from desk.api.errors import error_responses
from desk.models.channels import Channel, ChannelChanges, ChannelCreate, ConnectionCheck
from desk.services.channels import email_check
from desk.services.channels import manage as channels
from desk.services.desk import Desk


def _base(request: Request[Any, Any, Any]) -> str:
    """The server's address for URLs an admin copies: `--public-url`, else what the admin's
    browser used."""
    desk: Desk = request.app.state.desk
    public = desk.settings.public_url
    return public.rstrip("/") + "/" if public else str(request.base_url)


class ChannelController(Controller):
    path = "/api/channels"
    tags = ["channels"]
    opt = access(admin=True, exists={"channel_id": channels.channel_exists})

    @get(sync_to_thread=True, responses=error_responses(400, 401, 403))
    def list_channels(
        self,
        request: Request[Any, Any, Any],
        desk: NamedDependency[Desk],
        page: FromQuery[PageNumber] = 1,
        per_page: FromQuery[PerPage] = 25,
    ) -> Page[Channel]:
        records, total = channels.list_channels(desk, page, per_page)
        items = channels.views(desk, records, _base(request))
        return Page(items=items, page=page, per_page=per_page, total=total)

    @post(sync_to_thread=True, responses=error_responses(400, 401, 403, 413))
    def create_channel(
        self,
        request: Request[Any, Any, Any],
        desk: NamedDependency[Desk],
        data: JSONBody[ChannelCreate],
    ) -> Channel:
        return channels.views(desk, [channels.create_channel(desk, data)], _base(request))[0]

    @patch(
        "/{channel_id:int}",
        sync_to_thread=True,
        responses=error_responses(400, 401, 403, 404, 413),
    )
    def update_channel(
        self,
        request: Request[Any, Any, Any],
        desk: NamedDependency[Desk],
        channel_id: FromPath[int],
        data: JSONBody[ChannelChanges],
    ) -> Channel:
        record = channels.update_channel(desk, channel_id, data)
        return channels.views(desk, [record], _base(request))[0]

    @delete(
        "/{channel_id:int}",
        sync_to_thread=True,
        status_code=200,
        responses=error_responses(400, 401, 403, 404, 409),
    )
    def delete_channel(
        self,
        desk: NamedDependency[Desk],
        channel_id: FromPath[int],
        force: FromQuery[bool] = False,
    ) -> Deleted:
        channels.delete_channel(desk, channel_id, force=force)
        return Deleted(deleted=True, id=channel_id)

    @post(
        "/{channel_id:int}/check",
        sync_to_thread=True,
        status_code=200,
        responses=error_responses(400, 401, 403, 404),
    )
    def check_channel(
        self, desk: NamedDependency[Desk], channel_id: FromPath[int]
    ) -> ConnectionCheck:
        """Try the email channel's IMAP login and folder and its SMTP login now; sends
        nothing (other channel types: 400)."""
        return email_check.check_channel(desk, channel_id)
