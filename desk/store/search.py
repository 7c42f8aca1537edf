"""The conversations' full-text documents (`search_index`, FTS5, rowid = conversation id).

One document per conversation: `subject`, `people` (the contact's name, email and phone joined
by spaces, missing ones skipped) and `bodies` (its incoming, outgoing and note messages joined
by "\n"; `store.messages.insert_message` appends them). Written in the same transaction as the
change it mirrors.

For whoever changes contacts (store/services contacts): after updating a contact's name, email
or phone, call `refresh_people(conn, contact_id)` in the same transaction, so searching for the
new name finds their conversations. Deleting conversations needs nothing: the
`conversations_ad` trigger removes their documents.
"""

from __future__ import annotations

import sqlite3
import threading

# As search_index tokenizes (migration m002); the snippets' scratch table must tokenize alike.
TOKENIZE = "unicode61 remove_diacritics 2"


def people_text(name: str | None, email: str | None, phone: str | None) -> str:
    """The `people` column for a contact (the rule, for code that bulk-inserts documents)."""
    return " ".join(part for part in (name, email, phone) if part)


def _people(conn: sqlite3.Connection, contact_id: int) -> str:
    row = conn.execute(
        "SELECT name, email, phone FROM contacts WHERE id = ?", (contact_id,)
    ).fetchone()
    return people_text(row["name"], row["email"], row["phone"]) if row else ""


def insert_document(
    conn: sqlite3.Connection, conversation_id: int, subject: str, contact_id: int
) -> None:
    conn.execute(
        "INSERT INTO search_index (rowid, subject, people, bodies) VALUES (?, ?, ?, '')",
        (conversation_id, subject, _people(conn, contact_id)),
    )


def refresh_people(conn: sqlite3.Connection, contact_id: int) -> None:
    """Re-copy a contact's name, email and phone into each of their conversations' documents."""
    conn.execute(
        "UPDATE search_index SET people = ?"
        " WHERE rowid IN (SELECT id FROM conversations WHERE contact_id = ?)",
        (_people(conn, contact_id), contact_id),
    )


def matching_ids_sql() -> str:
    """A sub-select of the conversation ids whose document matches one FTS5 query parameter."""
    return "SELECT rowid FROM search_index WHERE search_index MATCH ?"


def document_matches(conn: sqlite3.Connection, match: str, conversation_id: int) -> bool:
    row = conn.execute(
        "SELECT 1 FROM search_index WHERE search_index MATCH ? AND rowid = ?",
        (match, conversation_id),
    ).fetchone()
    return row is not None


def body_snippets(
    conn: sqlite3.Connection, match: str, conversation_ids: list[int]
) -> dict[int, str]:
    """For each conversation whose messages match `match` (an FTS5 query on `bodies`): the
    stretch of text around the best match, each matched word between the characters \\x02 and
    \\x03 (never in indexed text), `…` where it was cut."""
    if not conversation_ids:
        return {}
    marks = ", ".join("?" * len(conversation_ids))
    if "*" in match:  # see _scratch_snippets
        rows = conn.execute(
            f"SELECT rowid, bodies FROM search_index WHERE rowid IN ({marks})", conversation_ids
        )
        return _scratch_snippets(match, [(int(row[0]), str(row[1])) for row in rows])
    snippet = _SNIPPET.format(table="search_index", column=2)
    low, high = min(conversation_ids), max(conversation_ids)
    if high - low > SNIPPET_PASS_SPAN:  # whole words: a probe per id costs microseconds
        rows = conn.execute(
            f"SELECT rowid, {snippet} FROM search_index"
            f" WHERE search_index MATCH ? AND rowid IN ({marks})",
            (match, *conversation_ids),
        )
    else:  # ids close together: one pass over their range (`+rowid`: not a probe per id)
        rows = conn.execute(
            f"SELECT rowid, {snippet} FROM search_index WHERE search_index MATCH ?"
            f" AND rowid BETWEEN ? AND ? AND +rowid IN ({marks})",
            (match, low, high, *conversation_ids),
        )
    return {int(row[0]): str(row[1]) for row in rows}


# Reading the matches of at most this many conversations in one pass costs about what 25
# probes do (0.2 ms a thousand, a probe ~20 µs), so a page of ids this close together (a small
# inbox, a list in id order) is read in one pass.
SNIPPET_PASS_SPAN = 2000
_SNIPPET = "snippet({table}, {column}, char(2), char(3), '…', 24)"
_scratch = threading.local()


def _scratch_snippets(match: str, bodies: list[tuple[int, str]]) -> dict[int, str]:
    """The snippets of a prefix query (`"questi"*`), made in a scratch index of the page's
    bodies alone: FTS5 answers a prefix over search_index by merging the lists of every word it
    starts (milliseconds a probe, and O(matches) for one pass), and a query with the prefix
    spelt out as its words ("question" OR "questions") would score the snippet's fragments
    differently (each word a phrase of its own). snippet() reads only the document and the
    query, so the same text under the same tokenizer gives the same snippet. One in-memory
    connection per thread; the rows are rolled back."""
    scratch: sqlite3.Connection | None = getattr(_scratch, "conn", None)
    if scratch is None:
        scratch = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        scratch.execute(f"CREATE VIRTUAL TABLE page USING fts5(bodies, tokenize = '{TOKENIZE}')")
        _scratch.conn = scratch
    scratch.execute("BEGIN")
    try:
        scratch.executemany("INSERT INTO page (rowid, bodies) VALUES (?, ?)", bodies)
        rows = scratch.execute(
            f"SELECT rowid, {_SNIPPET.format(table='page', column=0)} FROM page WHERE page MATCH ?",
            (match,),
        )
        return {int(row[0]): str(row[1]) for row in rows}
    finally:
        scratch.execute("ROLLBACK")


def add_terms_table(conn: sqlite3.Connection) -> None:
    """`temp.search_terms`: FTS5's vocabulary of search_index, one row per occurrence
    (fts5vocab 'instance'). Unlike `search_vocab` ('row', which counts each word's
    conversations by reading its whole list), it finds the first word from a point in a seek
    (~30 µs at 100,000 conversations, whatever the word). Per connection, in temp: no
    migration, and made before a reader turns query-only."""
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms"
        " USING fts5vocab(main, search_index, instance)"
    )


def words_starting(conn: sqlite3.Connection, prefix: str, limit: int) -> list[str]:
    """The indexed words that start with `prefix`, in order, at most `limit` of them: one
    seek each (the next word after the last one found, `word || char(0)`)."""
    found: list[str] = []
    low = prefix
    while len(found) < limit:
        row = conn.execute(
            "SELECT term FROM temp.search_terms WHERE term >= ? LIMIT 1", (low,)
        ).fetchone()
        if row is None or not str(row[0]).startswith(prefix):
            break
        found.append(str(row[0]))
        low = found[-1] + "\x00"
    return found


def vocabulary(conn: sqlite3.Connection, low: str, high: str) -> list[tuple[str, int]]:
    """The indexed words from `low` (inclusive) to `high` (exclusive), with how many
    conversations have each (`search_vocab`, FTS5's own vocabulary of the index)."""
    rows = conn.execute(
        "SELECT term, doc FROM search_vocab WHERE term >= ? AND term < ?", (low, high)
    )
    return [(str(row[0]), int(row[1])) for row in rows]


def count_matches(conn: sqlite3.Connection, match: str) -> int:
    row = conn.execute(f"SELECT count(*) FROM ({matching_ids_sql()})", (match,)).fetchone()
    return int(row[0])
