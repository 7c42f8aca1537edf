"""Turning what an agent typed into a safe FTS5 query over the conversations' documents.

Every word becomes a quoted FTS5 string (`"word"`, inner quotes doubled), so no input can be
read as FTS5 syntax (`AND`, `NEAR(`, `col:`, `*`, unbalanced quotes) and fail with a syntax
error. Words are ANDed; the last one matches as a prefix (`"retu"*` finds "refund returned"),
so results follow the agent's typing. A "word" with no letter or digit (punctuation, emoji)
produces no token in SQLite's unicode61 tokenizer; it is dropped, and a search made only of
such words (or of nothing) is no search at all: the list is unfiltered.
"""

from __future__ import annotations

import re

# A long paste stays a cheap lookup: the first words are plenty to find a conversation.
MAX_WORDS = 32
_HAS_TOKEN = re.compile(r"[^\W_]")  # a letter or a digit: something unicode61 indexes


def fts_query(text: str | None) -> str | None:
    """The FTS5 MATCH expression for a search box's text, or None when there is nothing to
    search for."""
    if not text:
        return None
    words = [word for word in text.split() if _HAS_TOKEN.search(word)][:MAX_WORDS]
    if not words:
        return None
    quoted = ['"' + word.replace('"', '""') + '"' for word in words]
    quoted[-1] += "*"
    return " AND ".join(quoted)
