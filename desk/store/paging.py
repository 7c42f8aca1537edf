"""Pages to SQL offsets."""

from __future__ import annotations

# SQLite binds 64-bit integers only; a page number from a URL can be any size. Any offset
# this large is past the end of every table, which is what the API answers for such a page.
MAX_OFFSET = 2**62


def page_offset(page: int, per_page: int) -> int:
    """The OFFSET of a 1-based page, clamped so SQLite can bind it."""
    return min((page - 1) * per_page, MAX_OFFSET)
