"""Turning what an agent typed into a safe FTS5 query over the conversations' documents.

Every word becomes a quoted FTS5 string (`"word"`, inner quotes doubled), so no input can be
read as FTS5 syntax (`AND`, `NEAR(`, `col:`, `*`, unbalanced quotes) and fail with a syntax
error. Words are ANDed; the last one matches as a prefix (`"retu"*` finds "returned"), so
results follow the agent's typing, once it has MIN_PREFIX letters or digits: a prefix of one or
two characters spans most of the index (at 100,000 conversations `"t"*` takes 0.7 s, `"th"*`
0.2 s, `"the"*` 23 ms), so a shorter last word matches whole words only.

A "word" with no letter or digit (punctuation, emoji) produces no token in SQLite's unicode61
tokenizer; it is dropped, and a search made only of such words (or of nothing) is no search
at all: the list is unfiltered.
"""

from __future__ import annotations

import re

# A long paste stays a cheap lookup: its first words are plenty to find a conversation.
MAX_WORDS = 32
MIN_PREFIX = 3
_HAS_TOKEN = re.compile(r"[^\W_]")  # a letter or a digit: something unicode61 indexes
_LAST_TOKEN = re.compile(r"[^\W_]+(?=[\W_]*$)")  # the last run of letters and digits


def _distinct(words: list[str]) -> list[str]:
    """Each word once (ignoring case), where it last appears: the same word ANDed again adds
    nothing but work, and the last word typed stays last (it is the prefix)."""
    last_seen: dict[str, str] = {}
    for word in words:
        last_seen.pop(word.casefold(), None)
        last_seen[word.casefold()] = word
    return list(last_seen.values())


def fts_query(text: str | None) -> str | None:
    """The FTS5 MATCH expression for a search box's text, or None when there is nothing to
    search for."""
    if not text:
        return None
    words = _distinct([word for word in text.split() if _HAS_TOKEN.search(word)])
    if len(words) > MAX_WORDS:  # the first words, and the one being typed
        words = [*words[: MAX_WORDS - 1], words[-1]]
    if not words:
        return None
    quoted = ['"' + word.replace('"', '""') + '"' for word in words]
    last = _LAST_TOKEN.search(words[-1])
    if last is not None and len(last.group()) >= MIN_PREFIX:
        quoted[-1] += "*"
    return " AND ".join(quoted)
