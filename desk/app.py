"""create_app(settings): the single place where Desk's HTTP app is wired together."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from litestar import Litestar
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

import desk
from desk.api.access import access, check_hook, check_routes
from desk.api.agents import AgentController
from desk.api.analytics import AnalyticsController
from desk.api.attachments import AttachmentController, OriginalController
from desk.api.auth import AuthController, change_language, change_password, change_theme
from desk.api.automations import AutomationController
from desk.api.canned_replies import CannedReplyController
from desk.api.channels import ChannelController
from desk.api.contacts import ContactController
from desk.api.conversations import ConversationController
from desk.api.delivery import DeliveryController
from desk.api.deps import DEPENDENCIES
from desk.api.drafts import DraftController
from desk.api.errors import EXCEPTION_HANDLERS
from desk.api.events import stream_events
from desk.api.exports import ExportController
from desk.api.front import FrontDoor
from desk.api.health import health
from desk.api.hooks import HookController
from desk.api.hosts import HostAllowlist
from desk.api.messages import MessageController
from desk.api.notifications import NotificationController
from desk.api.openapi import DeskJsonRenderPlugin
from desk.api.presence import PresenceController
from desk.api.scheduled import ScheduledController
from desk.api.security import check_access
from desk.api.setup import SetupController
from desk.api.suggestions import SuggestController
from desk.api.tags import TagController
from desk.api.views import ViewController
from desk.api.widget import WidgetController
from desk.api.workspace import WorkspaceController
from desk.config import Settings
from desk.services import background, notifications, setup
from desk.services import health as health_service
from desk.services.channels import web_chat_live
from desk.services.desk import Desk

UI_DIR = Path(__file__).parent / "ui"

ROUTES: list[ControllerRouterHandler] = [
    health,
    SetupController,
    AuthController,
    change_password,
    change_language,
    change_theme,
    AgentController,
    WorkspaceController,
    ContactController,
    ChannelController,
    DeliveryController,
    ScheduledController,
    NotificationController,
    ExportController,
    OriginalController,
    AttachmentController,
    HookController,
    ConversationController,
    MessageController,
    DraftController,
    PresenceController,
    TagController,
    stream_events,
    AnalyticsController,
    SuggestController,
    AutomationController,
    CannedReplyController,
    ViewController,
    WidgetController,
]


def _ui_router() -> list[ControllerRouterHandler]:
    if not (UI_DIR / "index.html").is_file():
        return []
    return [
        create_static_files_router(
            path="/",
            directories=[UI_DIR],
            html_mode=True,
            opt=access(public=True),
            include_in_schema=False,
            name="ui",
        )
    ]


def create_app(settings: Settings) -> Litestar:
    """Open (and migrate) the database, then build the app around it."""
    desk_ = Desk(settings)
    health_service.install(desk_)
    notifications.install(desk_)
    setup.prepare_setup_token(desk_)
    web_chat_live.start(desk_)
    hosts = HostAllowlist(settings)

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        try:
            if settings.background_tasks:
                async with background.running_jobs(desk_):
                    yield
            else:
                yield
        finally:
            desk_.close()

    app = Litestar(
        route_handlers=[*ROUTES, *_ui_router()],
        state=State({"desk": desk_, "hosts": hosts}),
        dependencies=DEPENDENCIES,
        before_request=check_access,
        exception_handlers=EXCEPTION_HANDLERS,
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="Desk",
            version=desk.__version__,
            path="/api/schema",
            render_plugins=[DeskJsonRenderPlugin()],
        ),
        lifespan=[lifespan],
        logging_config=None,
    )
    # A misspelt access key, or a route that would skip `check_access`, fails here.
    check_routes(app)
    check_hook(app, check_access)
    # The Host check before anything (setup included), then malformed paths; security headers.
    app.asgi_handler = FrontDoor(app.asgi_handler, hosts)
    return app


logging.getLogger("desk").addHandler(logging.NullHandler())
