"""Ordered schema migrations; `PRAGMA user_version` is the number of migrations applied.

Add a module per migration and append it to MIGRATIONS; never edit one that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from desk.store.db import Database, DatabaseError
from desk.store.migrations import (
    m001_spine,
    m002_inbox,
    m003_insights,
    m004_inbox_indexes,
    m005_inbox_totals,
    m006_analytics_speed,
    m007_email,
    m008_web_chat,
    m009_canned_replies,
    m010_failed_replies,
    m011_drafts,
    m012_scheduled_send,
    m013_waiting_first,
    m014_notifications,
    m015_search_vocab,
    m016_merges,
    m017_agent_language,
    m018_activity_events,
    m019_saved_views,
    m020_dismissed_failures,
    m021_agent_theme,
    m022_conversation_tally,
)

Migration = Callable[[sqlite_utils.Database], None]

MIGRATIONS: list[Migration] = [
    m001_spine.apply,
    m002_inbox.apply,
    m003_insights.apply,
    m004_inbox_indexes.apply,
    m005_inbox_totals.apply,
    m006_analytics_speed.apply,
    m007_email.apply,
    m008_web_chat.apply,
    m009_canned_replies.apply,
    m010_failed_replies.apply,
    m011_drafts.apply,
    m012_scheduled_send.apply,
    m013_waiting_first.apply,
    m014_notifications.apply,
    m015_search_vocab.apply,
    m016_merges.apply,
    m017_agent_language.apply,
    m018_activity_events.apply,
    m019_saved_views.apply,
    m020_dismissed_failures.apply,
    m021_agent_theme.apply,
    m022_conversation_tally.apply,
]


def migrate(db: Database, migrations: list[Migration] | None = None) -> int:
    """Bring the schema up to date; refuse a database written by a newer Desk."""
    steps = MIGRATIONS if migrations is None else migrations
    current = db.user_version()
    if current > len(steps):
        raise DatabaseError(
            f"{db.path} was written by a newer version of Desk (schema {current}; this "
            f"version knows up to {len(steps)}). Upgrade Desk to open it; the file was "
            "not changed."
        )
    for number, step in enumerate(steps[current:], start=current + 1):
        with db.write() as conn:
            step(sqlite_utils.Database(conn, use_counts_table=False))
            conn.execute(f"PRAGMA user_version = {number:d}")
    return len(steps)
