"""Tags in use."""

from __future__ import annotations

import msgspec


class TagUsage(msgspec.Struct, kw_only=True):
    tag: str
    conversations: int
