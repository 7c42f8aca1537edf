"""/widget/{public_token}/: the chat widget's visitor API, called from customers' websites.

No session: the channel's public token names the channel, `Authorization: Bearer
<visitor_token>` the visitor (never a cookie, never a URL). CORS per channel: a browser's
`Origin` must be one of the channel's `allowed_origins`; it is echoed in
`Access-Control-Allow-Origin` (never `*`, never credentials) with `Vary: Origin`. The guard
applies the API's order in one place: 404 (unknown token, inactive channel) > 403 (origin) >
401 (visitor token) > 429 (limits) > 413/400 (body), before Litestar reads the body.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.connection import ASGIConnection
from litestar.datastructures import MutableScopeHeaders
from litestar.di import NamedDependency, Provide
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.params import FromQuery, JSONBody, QueryParameter
from litestar.response import ServerSentEvent, ServerSentEventMessage
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from desk.api.access import Access, WidgetRoute, access
from desk.api.deps import client_address
from desk.api.errors import error_responses
from desk.api.security import MAX_ID, SAFE_METHODS, authorize_request, check_body_rules
from desk.errors import Forbidden, NotFound, TooManyAttempts, Unauthorized
from desk.models.channels import ChannelRecord
from desk.models.web_chat import (
    Visitor,
    VisitorCreate,
    VisitorPost,
    VisitorToken,
    WidgetConfig,
    WidgetMessage,
    WidgetPage,
)
from desk.services.channels import web_chat, web_chat_live
from desk.services.desk import Desk

CORS_ORIGIN = "desk.widget_origin"  # scope key: the allowed Origin to echo
WIDGET = "desk.widget"  # scope key: the channel and visitor the guard found
PREFLIGHT_MAX_AGE = "600"
RETRY_MS = 3000

AfterId = Annotated[int, QueryParameter(ge=0, le=MAX_ID, description="Last message id seen")]
Language = Annotated[str, QueryParameter(max_length=35, description="The visitor's language")]


class WidgetRequest(msgspec.Struct):
    channel: ChannelRecord
    visitor: Visitor | None


def _bearer(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    scheme, _, token = connection.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _client(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    return client_address(connection)


def authorize_visitor(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    desk: Desk = connection.app.state.desk
    channel = web_chat.find_channel(desk, str(connection.path_params.get("public_token", "")))
    if channel is None:
        raise NotFound("No active web chat has this address.")
    origin = connection.headers.get("origin")
    if origin is not None:
        if not web_chat.origin_allowed(channel, origin):
            raise Forbidden(
                "This website is not one of the chat's allowed origins.", "origin_not_allowed"
            )
        connection.scope[CORS_ORIGIN] = origin  # type: ignore[literal-required]
    method = connection.scope.get("method", "GET")
    route = Access.of(handler.opt).widget or WidgetRoute()
    visitor = None
    if method != "OPTIONS" and route.visitor:
        visitor = web_chat.find_visitor(desk, channel, _bearer(connection))
        if visitor is None:
            raise Unauthorized("Send a valid visitor token: Authorization: Bearer <token>.")
    if route.limit == "messages" and visitor is not None:
        web_chat.check_limit(desk, "messages", str(visitor.id))
    elif route.limit == "visitors":
        web_chat.check_limit(desk, "visitors", _client(connection))
    if method not in SAFE_METHODS:
        check_body_rules(connection, desk.settings.max_body_bytes)
    connection.scope[WIDGET] = WidgetRequest(channel, visitor)  # type: ignore[literal-required]


def provide_widget(request: Request[Any, Any, Any], desk: NamedDependency[Desk]) -> WidgetRequest:
    """Takes `desk` (unused) so the two are resolved in turn, not in a task group (deps.py)."""
    found = request.scope.get(WIDGET)
    assert isinstance(found, WidgetRequest)
    return found


def _visitor(widget: WidgetRequest) -> Visitor:
    assert widget.visitor is not None  # the guard refused requests without one
    return widget.visitor


class WidgetCors(ASGIMiddleware):
    """Adds the CORS answer to every /widget/ response (errors included, so the widget can
    read a 401 or a 429): the allowed Origin echoed; `Vary: Origin` and `Cache-Control:
    no-store` always. Preflights are Litestar's automatic OPTIONS answer (204), which passes
    the same guard (404, 403) and gets the methods and headers the widget may use."""

    scopes = ("http",)  # type: ignore[assignment]

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                headers.add("Vary", "Origin")
                headers["Cache-Control"] = "no-store"  # a visitor's conversation is theirs alone
                origin = scope.get(CORS_ORIGIN)
                if origin:
                    headers["Access-Control-Allow-Origin"] = str(origin)
                    headers["Access-Control-Expose-Headers"] = "Retry-After"
                if origin and scope.get("method") == "OPTIONS":  # Litestar's own preflight
                    headers["Access-Control-Allow-Methods"] = "GET, POST"
                    headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type"
                    headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
            await send(message)

        await next_app(scope, receive, send_with_cors)


def _sse(item: web_chat_live.Item | None) -> ServerSentEventMessage:
    if item is None:
        return ServerSentEventMessage(comment="heartbeat", data=None)
    kind, data = item
    return ServerSentEventMessage(event=kind, data=msgspec.json.encode(data).decode())


async def _stream(desk: Desk, visitor: Visitor) -> Any:
    stream = await web_chat_live.open_stream(desk, visitor)
    if stream is None:
        raise TooManyAttempts("Too many open chat windows for this visitor.", 60)

    async def messages() -> Any:
        yield ServerSentEventMessage(comment="connected", retry=RETRY_MS, data=None)
        async for item in web_chat_live.events(desk, stream):
            yield _sse(item)

    return messages()


class WidgetController(Controller):
    path = "/widget/{public_token:str}"
    tags = ["widget"]
    opt = access(public=True, widget=WidgetRoute())
    guards = [authorize_request, authorize_visitor]  # the app's checks first (security.py)
    middleware = [WidgetCors()]
    dependencies = {"widget": Provide(provide_widget, sync_to_thread=False)}

    @get(
        "/config",
        sync_to_thread=True,
        opt=access(widget=WidgetRoute(visitor=False)),
        responses=error_responses(400, 403, 404),
        description="The widget's look and greeting (no visitor token needed).",
    )
    def get_config(
        self,
        desk: NamedDependency[Desk],
        widget: NamedDependency[WidgetRequest],
        lang: FromQuery[Language | None] = None,
    ) -> WidgetConfig:
        return web_chat.widget_config(desk, widget.channel, lang)

    @post(
        "/visitors",
        sync_to_thread=True,
        opt=access(widget=WidgetRoute(visitor=False, limit="visitors")),
        responses=error_responses(400, 403, 404, 413, 429),
        description="A new visitor token (shown once; only its hash is stored).",
    )
    def create_visitor(
        self,
        desk: NamedDependency[Desk],
        widget: NamedDependency[WidgetRequest],
        data: JSONBody[VisitorCreate],
    ) -> VisitorToken:
        return web_chat.create_visitor(desk, widget.channel, data)

    @post(
        "/messages",
        sync_to_thread=True,
        opt=access(widget=WidgetRoute(limit="messages")),
        responses=error_responses(400, 401, 403, 404, 413, 429),
        description="The visitor writes (the first message starts their conversation).",
    )
    def post_message(
        self,
        desk: NamedDependency[Desk],
        widget: NamedDependency[WidgetRequest],
        data: JSONBody[VisitorPost],
    ) -> WidgetMessage:
        return web_chat.post_message(desk, widget.channel, _visitor(widget), data)

    @get(
        "/messages",
        sync_to_thread=True,
        responses=error_responses(400, 401, 403, 404),
        description="The visitor's conversation after a message id, oldest first (100 at most).",
    )
    def list_messages(
        self,
        desk: NamedDependency[Desk],
        widget: NamedDependency[WidgetRequest],
        after: FromQuery[AfterId] = 0,
    ) -> WidgetPage:
        return web_chat.list_messages(desk, _visitor(widget), after)

    @get(
        "/events",
        media_type="text/event-stream",
        responses=error_responses(401, 403, 404, 429),
        description="Server-sent events: message.created, conversation.updated {status}.",
    )
    async def stream_events(
        self, desk: NamedDependency[Desk], widget: NamedDependency[WidgetRequest]
    ) -> ServerSentEvent:
        return ServerSentEvent(await _stream(desk, _visitor(widget)))
