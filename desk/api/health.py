"""/api/health: is the server up, which version, and what is wrong with the machine (public).

Always `200`: `status` is `ok`, or `degraded` with `problems` (API.md). A signed-in agent's
request gets the messages that name the data dir, the backup to restore and the channel.
"""

from __future__ import annotations

from typing import cast

from litestar import get
from litestar.types import Scope

from desk.api.access import access
from desk.api.security import DATA_VERSION
from desk.models.health import Health
from desk.services import health as service
from desk.services.desk import Desk


# On the event loop: a `statvfs` and, while the database is unchanged, no query (the
# channels' problems are kept until the next commit, services/health.py). On the event loop
# also because the version in the scope is only comparable on the thread that read it.
# It takes the scope, not the Request: Litestar checks a `request` argument against the
# handler's signature on every call, which costs more than the whole report.
@get("/api/health", opt=access(public=True), sync_to_thread=False, tags=["system"])
def health(scope: Scope) -> Health:
    desk: Desk = scope["litestar_app"].state.desk  # not a dependency: one costs more than this
    # The session check read the database's version on this thread (the event loop) already.
    version = cast("int | None", scope.get(DATA_VERSION))
    return service.report(desk, scope.get("user") is not None, version)
