"""The running Desk: settings, database and the shared machinery every service uses."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar, cast

from desk.config import Settings
from desk.models.timestamps import iso
from desk.services.events import FLOOR_FILENAME, EventBus, IdFloor
from desk.services.passwords import Passwords
from desk.store import modes
from desk.store.db import Database
from desk.store.migrations import migrate

T = TypeVar("T")


class Desk:
    """One per app. Services take it as their first argument."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        modes.secure(settings.data_dir)  # 0700 / 0600: it holds passwords and keys
        self.db = Database(settings.db_path)
        try:
            migrate(self.db)
        except Exception:
            self.db.close()
            raise
        self.passwords = Passwords(settings.password_cost)
        # Ids start from this Desk's clock, and above every id this data dir handed out before.
        self.events = EventBus(
            first_id=int(self.now().timestamp() * 1000),
            floor=IdFloor(settings.data_dir / FLOOR_FILENAME),
        )
        # Printed at start while no agent exists; lets a LAN client run first-time setup.
        self.setup_token: str | None = None
        self._shared: dict[str, Any] = {}
        self._shared_lock = threading.Lock()
        # Called when something /api/health reports may have changed (services/health.py).
        self.health_listeners: list[Callable[[], None]] = []

    def now(self) -> datetime:
        return self.settings.clock()

    def now_iso(self) -> str:
        return iso(self.now())

    def shared(self, key: str, factory: Callable[[], T]) -> T:
        """State a service keeps for this Desk (a cache, a worker), made once under a lock,
        so two threads asking at once never build two."""
        found = self._shared.get(key)  # made already (every request asks): no lock needed
        if found is not None:
            return cast(T, found)
        with self._shared_lock:
            if key not in self._shared:
                self._shared[key] = factory()
            return cast(T, self._shared[key])

    def data_version(self) -> int:
        """This thread's reader's `PRAGMA data_version` (store/db.py): read it once per request
        and hand it to each cache that asks, so a request pays for one read."""
        return self.db.data_version()

    def health_changed(self) -> None:
        """Something the health report shows changed (a backup failed or worked, ...)."""
        for listener in list(self.health_listeners):
            listener()

    def close(self) -> None:
        self.db.close()
