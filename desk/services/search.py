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
import sqlite3
import unicodedata
from typing import NamedTuple

from desk.models.conversations import Conversation
from desk.store import search as search_store

# A long paste stays a cheap lookup: its first words are plenty to find a conversation.
MAX_WORDS = 32
MIN_PREFIX = 3
_HAS_TOKEN = re.compile(r"[^\W_]")  # a letter or a digit: something unicode61 indexes
_LAST_TOKEN = re.compile(r"[^\W_]+(?=[\W_]*$)")  # the last run of letters and digits
# Control characters separate words: a NUL inside a quoted FTS5 string ends it early for
# SQLite ("unterminated string"), and none of them is ever part of an indexed token.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _distinct(words: list[str]) -> list[str]:
    """Each word once (ignoring case), where it last appears: the same word ANDed again adds
    nothing but work, and the last word typed stays last (it is the prefix)."""
    last_seen: dict[str, str] = {}
    for word in words:
        last_seen.pop(word.casefold(), None)
        last_seen[word.casefold()] = word
    return list(last_seen.values())


class SearchQueries(NamedTuple):
    """A search's FTS5 queries: `match` for the list (search_index MATCH) and `bodies` for
    its rows' snippets (the same words ORed, on the bodies column)."""

    match: str
    bodies: str


def search_queries(
    text: str | None, conn: sqlite3.Connection | None = None
) -> SearchQueries | None:
    """The queries for a search box's text, or None when there is nothing to search for.
    With `conn`, the last word's prefix is spelt out as the indexed words it starts (see
    MAX_SPELT_OUT), read in the transaction that runs the queries: in `match` when it starts
    at most MAX_SPELT_OUT words, in `bodies` only when it starts one (ORed words are phrases
    of their own, and snippet() scores a stretch by the distinct phrases in it, so it could
    pick another stretch than the prefix's)."""
    words = _words(text)
    if not words:
        return None
    quoted = [_quote(word) for word in words]
    match_last = bodies_last = quoted[-1]
    last = _LAST_TOKEN.search(words[-1])
    if last is not None and len(last.group()) >= MIN_PREFIX:
        found = None if conn is None else _words_started(conn, words[-1], last)
        spelt = [_quote(words[-1][: last.start()] + term) for term in found or ()]
        prefix = quoted[-1] + "*"
        match_last = prefix
        if 1 <= len(spelt) <= MAX_SPELT_OUT:
            match_last = spelt[0] if len(spelt) == 1 else "(" + " OR ".join(spelt) + ")"
        bodies_last = match_last if len(spelt) == 1 else prefix
    return SearchQueries(
        match=" AND ".join([*quoted[:-1], match_last]),
        bodies=f"bodies : ({' OR '.join([*quoted[:-1], bodies_last])})",
    )


def fts_query(text: str | None, conn: sqlite3.Connection | None = None) -> str | None:
    """The FTS5 MATCH expression for a search box's text (see `search_queries`)."""
    queries = search_queries(text, conn)
    return queries.match if queries else None


def _words(text: str | None) -> list[str]:
    if not text:
        return []
    text = _CONTROL.sub(" ", text)
    words = _distinct([word for word in text.split() if _HAS_TOKEN.search(word)])
    if len(words) > MAX_WORDS:  # the first words, and the one being typed
        words = [*words[: MAX_WORDS - 1], words[-1]]
    return words


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


# A prefix (`"questi"*`) is answered by FTS5 merging the lists of every word it starts, in
# full, for each probe of a conversation (2.8 ms for `"question"*` at 100,000 conversations)
# and each count; the same words ORed (`"question" OR "questions"`) are read lazily, a probe
# in microseconds. Finding them takes a seek per word (store.search.words_starting), so only a
# prefix of at most this many words is spelt out; a shorter one (`th`) stays a prefix.
MAX_SPELT_OUT = 16


def _words_started(conn: sqlite3.Connection, word: str, last: re.Match[str]) -> list[str] | None:
    """The indexed words that the prefix (`word`'s last token) starts, up to MAX_SPELT_OUT + 1
    of them; None to keep the prefix. Only for ASCII, where unicode61's tokens and folding are
    plain (letters and digits, lower case), so the words ORed match what the prefix matches.
    None found: the prefix stays (it matches nothing, cheaply)."""
    if not word.isascii():
        return None
    found = search_store.words_starting(conn, last.group().lower(), MAX_SPELT_OUT + 1)
    return found if all(term.isascii() for term in found) else None


_NUMBER = re.compile(r"\s*#?([0-9]{1,19})\s*")


def conversation_number(text: str | None, max_id: int) -> int | None:
    """`123` or `#123`: the conversation number an agent typed, else None."""
    found = _NUMBER.fullmatch(text or "")
    if found is None:
        return None
    number = int(found.group(1))
    return number if 0 < number <= max_id else None


def snippet_line(raw: str) -> str:
    """From FTS5's snippet (matches between \\x02 and \\x03, messages joined by newlines): the
    line of the first match, marks removed, `…` where it was cut."""
    lines = raw.split("\n")
    index = next((i for i, line in enumerate(lines) if "\x02" in line), 0)
    return lines[index].replace("\x02", "").replace("\x03", "").strip()


# "Did you mean …?": each word of a search that found nothing is replaced by the indexed word
# (FTS5's vocabulary) nearest to it, when one is near enough: at most one edit for words of up
# to 4 letters, two beyond. Candidates share the first letter (or the second, for a swapped
# first pair) and are within two letters of the length.
_TOKEN = re.compile(r"[^\W_]+")


def _fold(word: str) -> str:
    """As unicode61 with remove_diacritics indexes a word: lower case, no accents."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_tokens(text: str | None) -> list[str]:
    return [_fold(token) for token in _TOKEN.findall(text or "")][:MAX_WORDS]


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (insert, delete, substitute, swap two neighbours);
    anything over `limit` is reported as limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def nearest_word(word: str, candidates: list[tuple[str, int]]) -> str | None:
    """The candidate nearest to `word` within its edit limit (ties: the most used)."""
    limit = 1 if len(word) <= 4 else 2
    best: tuple[int, int, str] | None = None
    for term, used in candidates:
        if term == word or abs(len(term) - len(word)) > limit:
            continue
        distance = edit_distance(word, term, limit)
        if distance <= limit and (best is None or (distance, -used) < best[:2]):
            best = (distance, -used, term)
    return best[2] if best else None


def _candidates(conn: sqlite3.Connection, word: str) -> list[tuple[str, int]]:
    starts = {word[0]} | ({word[1]} if len(word) > 1 else set())
    found: list[tuple[str, int]] = []
    for start in sorted(starts):
        found += search_store.vocabulary(conn, start, start + "\U0010ffff")
    return found


def _known(conn: sqlite3.Connection, word: str, prefix: bool) -> bool:
    high = word + "\U0010ffff" if prefix else word + "\x00"
    return bool(search_store.vocabulary(conn, word, high))


def did_you_mean(conn: sqlite3.Connection, text: str | None) -> str | None:
    """For a search that found nothing: the same search with each unknown word replaced by the
    nearest indexed word, if that search finds something; else None."""
    tokens = search_tokens(text)
    if not tokens or len(tokens) > 8:
        return None
    changed = False
    corrected: list[str] = []
    for position, token in enumerate(tokens):
        last = position == len(tokens) - 1
        if token.isdigit() or _known(conn, token, prefix=last and len(token) >= MIN_PREFIX):
            corrected.append(token)
            continue
        nearest = nearest_word(token, _candidates(conn, token)) if len(token) >= 3 else None
        if nearest is None:
            return None
        corrected.append(nearest)
        changed = True
    if not changed:
        return None
    suggestion = " ".join(corrected)
    query = fts_query(suggestion, conn)
    return suggestion if query and search_store.count_matches(conn, query) else None


def add_snippets(conn: sqlite3.Connection, items: list[Conversation], query: str) -> None:
    """Give each listed conversation whose messages match `query` (SearchQueries.bodies) the
    line of the best match."""
    if not items:
        return
    raw = search_store.body_snippets(conn, query, [c.id for c in items])
    for conversation in items:
        if conversation.id in raw:
            conversation.snippet = snippet_line(raw[conversation.id]) or None
