"""The SQL behind reply suggestions: the conversation asked about, its transcript, and BM25
retrieval of similar past customer questions from `question_index` (m003) with the agent
reply that answered each."""

from __future__ import annotations

import sqlite3

from desk.models.suggestions import Answer, Hit, Line, Subject


def get_subject(conn: sqlite3.Connection, conversation_id: int) -> Subject | None:
    row = conn.execute(
        "SELECT c.id, c.subject, coalesce(p.name, '') FROM conversations AS c"
        " JOIN contacts AS p ON p.id = c.contact_id WHERE c.id = ?",
        (conversation_id,),
    ).fetchone()
    return Subject(id=row[0], subject=row[1], contact_name=row[2]) if row else None


def transcript(conn: sqlite3.Connection, conversation_id: int, limit: int) -> list[Line]:
    """The latest incoming and outgoing messages, newest first (never notes or activity)."""
    rows = conn.execute(
        "SELECT id, type, body FROM messages WHERE conversation_id = ?"
        " AND type IN ('incoming', 'outgoing')"
        " AND send_at IS NULL"  # not a scheduled reply
        " ORDER BY id DESC LIMIT ?",
        (conversation_id, limit),
    )
    return [Line(id=r[0], type=r[1], body=r[2]) for r in rows]


def similar_questions(
    conn: sqlite3.Connection,
    match: str,
    exclude_conversation_id: int,
    limit: int,
    ids: tuple[int, int] = (0, 2**63 - 1),
) -> list[Hit]:
    """Incoming messages of other conversations matching an FTS5 query, ranked by BM25;
    only message ids in [ids[0], ids[1]) (FTS5 seeks there in every posting list, so BM25
    is paid for the matches in that range only)."""
    rows = conn.execute(
        "SELECT q.rowid, m.conversation_id, m.body, -q.rank FROM"
        " (SELECT rowid, rank FROM question_index WHERE question_index MATCH ?"
        "  AND rowid >= ? AND rowid < ? ORDER BY rank LIMIT ?) AS q"
        " JOIN messages AS m ON m.id = q.rowid WHERE m.conversation_id != ?"
        " ORDER BY q.rank",
        (match, ids[0], ids[1], limit, exclude_conversation_id),
    )
    return [Hit(message_id=r[0], conversation_id=r[1], body=r[2], score=r[3]) for r in rows]


def answer_to(conn: sqlite3.Connection, conversation_id: int, message_id: int) -> Answer | None:
    """The first reply an agent (not an automation) sent after a question."""
    row = conn.execute(
        "SELECT m.id, m.body, coalesce(p.name, ''), m.created_at FROM messages AS m"
        " JOIN conversations AS c ON c.id = m.conversation_id"
        " JOIN contacts AS p ON p.id = c.contact_id"
        " WHERE m.conversation_id = ? AND m.id > ? AND m.type = 'outgoing'"
        " AND m.sender_type = 'agent' AND m.send_at IS NULL ORDER BY m.id LIMIT 1",
        (conversation_id, message_id),
    ).fetchone()
    if row is None:
        return None
    return Answer(message_id=row[0], body=row[1], contact_name=row[2], created_at=row[3])


def last_message_id(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT max(id) FROM messages").fetchone()
    return int(row[0] or 0)


def term_frequencies(conn: sqlite3.Connection) -> dict[str, int]:
    """Every indexed (stemmed) term and the number of questions containing it."""
    return {row[0]: int(row[1]) for row in conn.execute("SELECT term, doc FROM question_terms")}
