"""The front door: the one ASGI layer around the whole app, before routing.

In this order: a foreign `Host` gets 400 (desk/api/hosts.py, DNS rebinding), a path with a NUL
byte 404 (desk/api/paths.py), and every response, those two included, leaves with the security
headers (desk/api/headers.py). One layer rather than one per rule (and not Litestar's
`before_send` hooks, one more wrapper of `send`): each layer costs a call and a closure on
every request.
"""

from __future__ import annotations

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from desk.api import paths
from desk.api.headers import add_security_headers
from desk.api.hosts import HostAllowlist, host_header, refuse


class FrontDoor:
    def __init__(self, app: ASGIApp, hosts: HostAllowlist) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind != "http":
            if kind == "websocket" and not self.hosts.allows_header(host_header(scope)):
                await refuse(scope, send)
                return
            await self.app(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            add_security_headers(message, scope)
            await send(message)

        if not self.hosts.allows_header(host_header(scope)):
            await refuse(scope, send_secured)
        elif paths.is_malformed(scope):
            await paths.not_found(send_secured)
        else:
            await self.app(scope, receive, send_secured)
