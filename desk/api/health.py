"""/api/health: is the server up, which version, and what is wrong with the machine (public).

Always `200`: `status` is `ok`, or `degraded` with `problems` (API.md). A signed-in agent's
request gets the messages that name the data dir, the backup to restore and the channel.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get

from desk.api.access import access
from desk.models.health import Health
from desk.services import health as service
from desk.services.desk import Desk


# On the event loop: a few `stat`s and, while the database is unchanged, no query (the
# channels' problems are kept until the next commit, services/health.py).
@get("/api/health", opt=access(public=True), sync_to_thread=False, tags=["system"])
def health(request: Request[Any, Any, Any]) -> Health:
    desk: Desk = request.app.state.desk  # not a dependency: resolving one costs more than this
    return service.report(desk, detailed=request.scope.get("user") is not None)
