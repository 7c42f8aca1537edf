"""Bulk writes for `desk demo`: prepared rows inserted with executemany, several chunks per
transaction, under settings for bulk loading (`bulk_load`).

The rows must already follow the denormalisation rules of migrations/m002_inbox.py (the
services layer computes them); this module only knows the column order."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from desk.store.migrations.m003_insights import _BUCKET as M003_BUCKET
from desk.validation import email_key

Row = tuple[Any, ...]

CONTACT_COLUMNS = (
    "id, name, email, email_key, phone, company, custom_attributes, created_at, updated_at"
)
CONVERSATION_COLUMNS = (
    "id, channel_id, contact_id, subject, status, snoozed_until, priority, priority_rank,"
    " assignee_id, unread_count, last_message_id, last_message_type, last_message_preview,"
    " last_message_at, first_incoming_at, first_reply_at, resolved_at, waiting_since,"
    " waiting_first_at, created_at, updated_at, last_activity_at"
)
MESSAGE_COLUMNS = (
    "id, conversation_id, type, body, sender_type, sender_id, sender_name, delivery_status,"
    " created_at"
)


@dataclass
class DemoRows:
    """One chunk of demo data, each list in the column order above."""

    contacts: list[Row] = field(default_factory=list)
    conversations: list[Row] = field(default_factory=list)
    tags: list[Row] = field(default_factory=list)  # (conversation_id, tag)
    messages: list[Row] = field(default_factory=list)
    search: list[Row] = field(default_factory=list)  # (conversation id, subject, people, bodies)


@dataclass(frozen=True)
class NextIds:
    contact: int
    conversation: int
    message: int


def _placeholders(columns: str) -> str:
    return ", ".join("?" for _ in columns.split(","))


# The full-text indexes a demo chunk writes to: search_index directly, the others through the
# triggers of contacts (m002) and messages (m003).
FTS_TABLES = ("search_index", "question_index", "contacts_fts")
# FTS5 flushes what it has gathered as a new segment every `hashsize` bytes and at commit, and
# by default merges segments as soon as 4 share a level: over a bulk load every posting is
# rewritten again and again. During one: 16 MiB flushes and no merging until a level holds 64
# segments (so their number stays bounded); `optimize_search` merges them once at the end.
BULK_FTS = {"automerge": 0, "crisismerge": 64, "hashsize": 16 * 1024 * 1024}
FTS_DEFAULTS = {"automerge": 4, "crisismerge": 16, "hashsize": 1024 * 1024}

_BUCKET = M003_BUCKET.format(t="m")
_FAILED = "m.delivery_status IS 'failed' AND m.delivery_dismissed_at IS NULL"
_TALLY = "status, priority_rank, channel_id, assignee_id, failed, unread"
# The insert triggers on the tables a chunk fills, each with statements doing its work for a
# whole chunk at once (?1, ?2: the chunk's first and last id in that table). A trigger runs a
# sub-program per row, most of the cost of inserting a message; a statement per chunk does
# the same work set-wise. A trigger is taken over only while its SQL is the one its
# replacement was written for (the start of the sha256 of its text as the migration named
# created it): should a migration change it, it fires per row again, and tests/test_demo.py
# says so.
TAKEN_OVER: dict[str, tuple[str, tuple[str, ...]]] = {
    "contacts_ai": (  # m002
        "84d2cdf87f46b933",
        (
            "INSERT INTO contacts_fts (rowid, name, email, phone, company)"
            " SELECT id, name, email, phone, company FROM contacts"
            " WHERE id BETWEEN ?1 AND ?2 ORDER BY id",
        ),
    ),
    "messages_question_ai": (  # m003
        "658da0e0b5358a8c",
        (
            "INSERT INTO question_index (rowid, body) SELECT id, body FROM messages"
            " WHERE id BETWEEN ?1 AND ?2 AND type = 'incoming' ORDER BY id",
        ),
    ),
    "messages_count_ai": (  # m012
        "5338cdd4cf1ec05f",
        (
            f"INSERT INTO message_counts (bucket, type, n) SELECT {_BUCKET}, m.type, count(*)"
            " FROM messages AS m WHERE m.id BETWEEN ?1 AND ?2"
            " AND m.type IN ('incoming', 'outgoing') AND m.send_at IS NULL GROUP BY 1, 2"
            " ON CONFLICT (bucket, type) DO UPDATE SET n = n + excluded.n",
            f"INSERT INTO agent_replies (bucket, agent_id, n) SELECT {_BUCKET}, m.sender_id,"
            " count(*) FROM messages AS m WHERE m.id BETWEEN ?1 AND ?2 AND m.type = 'outgoing'"
            " AND m.send_at IS NULL AND m.sender_type = 'agent' AND m.sender_id IS NOT NULL"
            " GROUP BY 1, 2 ON CONFLICT (bucket, agent_id) DO UPDATE SET n = n + excluded.n",
        ),
    ),
    "conversation_tally_ai": (  # m022
        "f352917eddc66f61",
        (
            f"INSERT INTO conversation_tally ({_TALLY}, n) SELECT c.status, c.priority_rank,"
            " c.channel_id, coalesce(c.assignee_id, 0), c.failed_count > 0,"
            " c.unread_count > 0, count(*) FROM conversations AS c WHERE c.id BETWEEN ?1 AND ?2"
            f" GROUP BY 1, 2, 3, 4, 5, 6 ON CONFLICT ({_TALLY}) DO UPDATE SET n = n + excluded.n",
        ),
    ),
    "messages_failed_ai": (  # m020 (no demo message fails: for completeness)
        "95f31be83e19080b",
        (
            "UPDATE conversations SET failed_count = failed_count + (SELECT count(*)"
            " FROM messages AS m WHERE m.conversation_id = conversations.id"
            f" AND m.id BETWEEN ?1 AND ?2 AND {_FAILED})"
            " WHERE id IN (SELECT m.conversation_id FROM messages AS m"
            f" WHERE m.id BETWEEN ?1 AND ?2 AND {_FAILED})",
        ),
    ),
}


class BulkLoad:
    """Inside one write transaction: chunks inserted with the full-text indexes set for bulk
    loading (BULK_FTS) and the triggers of TAKEN_OVER replaced by their statements. `finish`
    sets both back as they were, before the transaction commits. Settings and triggers live
    in the database (each index's _config table, sqlite_schema), so they are part of the
    transaction: a crash or an error rolls them back with the rows, and no other connection
    ever sees them changed."""

    def __init__(self, conn: sqlite3.Connection, take_over: bool = True) -> None:
        self.conn = conn
        self.fts = {table: _fts_settings(conn, table) for table in FTS_TABLES}
        for table in FTS_TABLES:
            for key, value in BULK_FTS.items():
                _set_fts(conn, table, key, value)
        self.triggers = _take_over_triggers(conn) if take_over else {}

    def insert(self, rows: DemoRows) -> None:
        insert_rows(self.conn, rows, after=self._after)

    def _after(self, table: str, rows: list[Row]) -> None:
        """What the taken-over triggers on `table` would have done for `rows` (its new rows,
        by id): at the same point, before the next table is written."""
        if not rows:
            return
        for name, (on, _) in self.triggers.items():
            if on == table:
                for statement in TAKEN_OVER[name][1]:
                    self.conn.execute(statement, (rows[0][0], rows[-1][0]))

    def finish(self) -> None:
        for _, sql in self.triggers.values():
            self.conn.execute(sql)
        for table, settings in self.fts.items():
            for key in BULK_FTS:
                _set_fts(self.conn, table, key, settings.get(key, FTS_DEFAULTS[key]))
            # A setting that was never made goes back to absent (its default), as it was.
            absent = [(key,) for key in BULK_FTS if key not in settings]
            self.conn.executemany(f"DELETE FROM {table}_config WHERE k = ?", absent)


@contextmanager
def bulk_load(conn: sqlite3.Connection, take_over: bool = True) -> Iterator[BulkLoad]:
    """A BulkLoad in the write transaction `conn` is in, finished when the block ends normally
    (after an error the transaction rolls back, and everything with it). take_over=False
    leaves every trigger firing per row."""
    load = BulkLoad(conn, take_over)
    yield load
    load.finish()


def _take_over_triggers(conn: sqlite3.Connection) -> dict[str, tuple[str, str]]:
    """Drop the triggers of TAKEN_OVER that are as expected; returns the table and SQL of each
    in the order they were created (and are created again)."""
    names = ", ".join("?" for _ in TAKEN_OVER)
    rows = conn.execute(
        "SELECT name, tbl_name, sql FROM sqlite_schema"
        f" WHERE type = 'trigger' AND name IN ({names}) ORDER BY rowid",
        list(TAKEN_OVER),
    ).fetchall()
    taken = {
        str(name): (str(table), str(sql))
        for name, table, sql in rows
        if hashlib.sha256(str(sql).encode()).hexdigest()[:16] == TAKEN_OVER[name][0]
    }
    for name in taken:
        conn.execute(f"DROP TRIGGER {name}")
    return taken


def _fts_settings(conn: sqlite3.Connection, table: str) -> dict[str, Any]:
    keys = ", ".join("?" for _ in BULK_FTS)
    rows = conn.execute(f"SELECT k, v FROM {table}_config WHERE k IN ({keys})", list(BULK_FTS))
    return {str(row[0]): row[1] for row in rows}


def _set_fts(conn: sqlite3.Connection, table: str, key: str, value: Any) -> None:
    conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES (?, ?)", (key, value))


def set_cache_size(conn: sqlite3.Connection, mib: int) -> int:
    """This connection's page cache; returns the setting it had, for `reset_cache_size`."""
    previous = int(conn.execute("PRAGMA cache_size").fetchone()[0])
    conn.execute(f"PRAGMA cache_size = {-1024 * int(mib):d}")
    return previous


def reset_cache_size(conn: sqlite3.Connection, previous: int) -> None:
    conn.execute(f"PRAGMA cache_size = {previous:d}")  # frees the pages above it


def next_ids(conn: sqlite3.Connection) -> NextIds:
    """The ids a new chunk starts at; read inside the chunk's write transaction."""

    def after(table: str) -> int:
        return int(conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0])

    return NextIds(
        contact=after("contacts"), conversation=after("conversations"), message=after("messages")
    )


def insert_rows(
    conn: sqlite3.Connection,
    rows: DemoRows,
    after: Callable[[str, list[Row]], None] = lambda table, rows: None,
) -> None:
    """A chunk's rows; `after(table, rows)` follows the insert of contacts, conversations and
    messages."""
    conn.executemany(
        f"INSERT INTO contacts ({CONTACT_COLUMNS}) VALUES ({_placeholders(CONTACT_COLUMNS)})",
        rows.contacts,
    )
    after("contacts", rows.contacts)
    conn.executemany(
        f"INSERT INTO conversations ({CONVERSATION_COLUMNS})"
        f" VALUES ({_placeholders(CONVERSATION_COLUMNS)})",
        rows.conversations,
    )
    after("conversations", rows.conversations)
    conn.executemany(  # with the conversation's status (migration 5)
        "INSERT INTO conversation_tags (conversation_id, tag, status)"
        " SELECT ?1, ?2, status FROM conversations WHERE id = ?1",
        rows.tags,
    )
    conn.executemany(
        f"INSERT INTO messages ({MESSAGE_COLUMNS}) VALUES ({_placeholders(MESSAGE_COLUMNS)})",
        rows.messages,
    )
    after("messages", rows.messages)
    conn.executemany(
        "INSERT INTO search_index (rowid, subject, people, bodies) VALUES (?, ?, ?, ?)",
        rows.search,
    )


def optimize_search(conn: sqlite3.Connection) -> None:
    """Merge each full-text index's segments into one after a bulk load (faster queries)."""
    for table in FTS_TABLES:
        conn.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")


def agent_ids_by_email(conn: sqlite3.Connection, emails: list[str]) -> dict[str, int]:
    """Existing agents among `emails`, keyed by the email as given."""
    found: dict[str, int] = {}
    for email in emails:
        row = conn.execute("SELECT id FROM agents WHERE email_key = ?", (email_key(email),))
        hit = row.fetchone()
        if hit:
            found[email] = int(hit[0])
    return found


def channel_ids_by_type(conn: sqlite3.Connection) -> dict[str, int]:
    """The oldest channel of each type, if any."""
    rows = conn.execute("SELECT type, min(id) FROM channels GROUP BY type")
    return {str(row[0]): int(row[1]) for row in rows}
