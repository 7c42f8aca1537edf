"""Tags in use across the inbox (adding and removing them is `services.triage`)."""

from __future__ import annotations

from desk.models.tags import TagUsage
from desk.services.desk import Desk
from desk.store import tags as store
from desk.store.paging import page_offset


def list_tags(desk: Desk, prefix: str, page: int, per_page: int) -> tuple[list[TagUsage], int]:
    """Most used first; `prefix` (any case, trimmed) narrows them for autocomplete."""
    with desk.db.read() as conn:
        return store.list_tags(
            conn, prefix.strip().lower(), limit=per_page, offset=page_offset(page, per_page)
        )
