"""/api/health: is the server up, and which version (public)."""

from __future__ import annotations

import msgspec
from litestar import get

import desk
from desk.api.access import access


class Health(msgspec.Struct):
    status: str
    version: str


@get("/api/health", opt=access(public=True), sync_to_thread=False, tags=["system"])
def health() -> Health:
    return Health(status="ok", version=desk.__version__)
