"""Each agent's language for the agent UI: `en`, `de`, `fr` or `es`; NULL follows the browser."""

from __future__ import annotations

import sqlite_utils


def apply(db: sqlite_utils.Database) -> None:
    db.execute("ALTER TABLE agents ADD COLUMN language TEXT")
