"""Each agent's theme for the agent UI: `light` or `dark`; NULL follows the system's."""

from __future__ import annotations

import sqlite_utils


def apply(db: sqlite_utils.Database) -> None:
    db.execute("ALTER TABLE agents ADD COLUMN theme TEXT")
