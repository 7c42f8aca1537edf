"""Reply suggestions, and what the store retrieves for them."""

from __future__ import annotations

from typing import Literal

import msgspec

Source = Literal["history", "llm", "template"]


class Reference(msgspec.Struct, kw_only=True):
    """A past agent reply a suggestion draws on, with what the UI needs to name it ("From
    your reply to Grace on 12 Nov") without fetching its conversation."""

    conversation_id: int
    message_id: int  # the agent reply
    contact_name: str  # the customer that reply was written to
    created_at: str  # when the reply was sent


class Suggestion(msgspec.Struct, kw_only=True, omit_defaults=True):
    suggestion: str
    source: Source
    confidence: float
    references: list[Reference]
    notice: str | None = None


class Subject(msgspec.Struct, kw_only=True):
    """The conversation a suggestion is for."""

    id: int
    subject: str
    contact_name: str


class Line(msgspec.Struct, kw_only=True):
    """One message of a transcript (incoming or outgoing only)."""

    id: int
    type: str
    body: str


class Hit(msgspec.Struct, kw_only=True):
    """A past customer question matching the query, best first (`score` = -bm25, > 0)."""

    message_id: int
    conversation_id: int
    body: str
    score: float


class Answer(msgspec.Struct, kw_only=True):
    message_id: int
    body: str
    contact_name: str  # the customer it was written to
    created_at: str  # when the agent sent it
