"""Dependency providers: the running Desk and the signed-in agent."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.di import Provide

from desk.errors import Unauthorized
from desk.models.agents import Agent, SignedIn
from desk.services.desk import Desk


def provide_desk(state: State) -> Desk:
    desk: Desk = state.desk
    return desk


def provide_me(request: Request[Any, Any, Any]) -> Agent:
    agent = request.scope.get("user")
    if agent is None:
        raise Unauthorized("Sign in first.")
    assert isinstance(agent, Agent)
    return agent


def provide_signed_in(request: Request[Any, Any, Any]) -> SignedIn:
    signed_in = request.scope.get("auth")
    if signed_in is None:
        raise Unauthorized("Sign in first.")
    assert isinstance(signed_in, SignedIn)
    return signed_in


def client_address(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """The client's address: the socket peer (API.md). Only when the peer is a proxy the admin
    named (`desk serve --trusted-proxy`) does `X-Forwarded-For` count: its rightmost address
    that is not itself a trusted proxy (the ones to its left are whatever the client wrote)."""
    peer = connection.client.host if connection.client else "unknown"
    desk: Desk = connection.app.state.desk
    trusted = desk.settings.trusted_proxies
    if peer not in trusted:
        return peer
    forwarded = [
        part.strip()
        for value in connection.headers.getall("x-forwarded-for", [])
        for part in value.split(",")
        if part.strip()
    ]
    for address in reversed(forwarded):
        if address not in trusted:
            return address
    return peer


DEPENDENCIES = {
    "desk": Provide(provide_desk, sync_to_thread=False),
    "me": Provide(provide_me, sync_to_thread=False),
    "signed_in": Provide(provide_signed_in, sync_to_thread=False),
}
