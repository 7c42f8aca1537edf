"""Drafts: an agent's unsent reply and note in one conversation."""

from __future__ import annotations

from typing import Annotated

import msgspec

# Longer than a message may be (20,000): a draft keeps whatever was typed; sending says it is
# too long.
MAX_DRAFT = 50_000
DraftText = Annotated[str, msgspec.Meta(max_length=MAX_DRAFT)]


class Draft(msgspec.Struct, kw_only=True):
    """A draft as the API returns it; `updated_at` is null when there is none."""

    conversation_id: int
    reply: str
    note: str
    updated_at: str | None


class DraftChange(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The body of PUT /api/conversations/{id}/draft: a side left out keeps its text."""

    reply: DraftText | None = None
    note: DraftText | None = None
