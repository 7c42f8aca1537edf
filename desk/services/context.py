"""The running Desk: settings, database and the shared machinery every service uses."""

from __future__ import annotations

from datetime import datetime

from desk.config import Settings
from desk.models import iso
from desk.services.events import EventBus
from desk.services.passwords import Passwords
from desk.store.db import Database
from desk.store.migrations import migrate


class Desk:
    """One per app. Services take it as their first argument."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.db = Database(settings.db_path)
        try:
            migrate(self.db)
        except Exception:
            self.db.close()
            raise
        self.passwords = Passwords(settings.password_cost)
        self.events = EventBus()
        # Printed at start while no agent exists; lets a LAN client run first-time setup.
        self.setup_token: str | None = None

    def now(self) -> datetime:
        return self.settings.clock()

    def now_iso(self) -> str:
        return iso(self.now())

    def close(self) -> None:
        self.db.close()
