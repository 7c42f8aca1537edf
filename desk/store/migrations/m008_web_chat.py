"""Web-chat visitors: the people behind the widget's visitor tokens.

A visitor is made by `POST /widget/{t}/visitors`; only a SHA-256 hash of their token is kept
(the token is 256 random bits, so a plain hash is enough: nothing to brute-force). The name and
email they typed wait here until their first message makes the contact (`contact_id`) and the
conversation (`conversation_id`); a visitor who never writes never becomes a contact. Erasing
the contact erases the visitor (their token stops working); deleting the conversation leaves
the visitor, whose next message starts a new one. `online` is whether their widget has a
live stream open now (cleared at every start: no stream outlives the server), `last_seen_at`
when it last talked to Desk; the inbox shows one or the other.
"""

from __future__ import annotations

import sqlite_utils

STATEMENTS = [
    """
    CREATE TABLE web_chat_visitors (
        id INTEGER PRIMARY KEY,
        channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        token_hash TEXT NOT NULL UNIQUE,
        name TEXT,
        email TEXT,
        email_verified INTEGER NOT NULL DEFAULT 0,
        contact_id INTEGER REFERENCES contacts(id) ON DELETE CASCADE,
        conversation_id INTEGER REFERENCES conversations(id) ON DELETE SET NULL,
        online INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX web_chat_visitors_conversation"
    " ON web_chat_visitors (conversation_id, online, last_seen_at)"
    " WHERE conversation_id IS NOT NULL",
    "CREATE INDEX web_chat_visitors_contact ON web_chat_visitors (contact_id)"
    " WHERE contact_id IS NOT NULL",
    "CREATE INDEX web_chat_visitors_idle ON web_chat_visitors (last_seen_at)"
    " WHERE contact_id IS NULL",
    "CREATE INDEX web_chat_visitors_channel ON web_chat_visitors (channel_id)",
    "CREATE INDEX web_chat_visitors_online ON web_chat_visitors (online) WHERE online = 1",
]


def apply(db: sqlite_utils.Database) -> None:
    for statement in STATEMENTS:
        db.execute(statement)
