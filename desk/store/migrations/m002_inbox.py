"""The inbox: contacts, channels, conversations, tags, messages, the outbox and search.

Denormalised on purpose, so the inbox list reads one row per conversation through an index:
- conversations carry their last message (id, type, preview, time) and unread count;
- conversations carry the timestamps analytics needs (first incoming, first agent reply,
  resolved) and the time an incoming message started waiting for a reply;
- `search_index` is one FTS5 document per conversation (rowid = conversation id): subject,
  the contact's name/email/phone, and the bodies of its incoming, outgoing and note
  messages. The store layer keeps it in step in the same transaction as each write.
"""

from __future__ import annotations

import sqlite_utils

TABLES = [
    """
    CREATE TABLE contacts (
        id INTEGER PRIMARY KEY,
        name TEXT,
        email TEXT,
        email_key TEXT UNIQUE,
        phone TEXT,
        company TEXT,
        notes TEXT NOT NULL DEFAULT '',
        custom_attributes TEXT NOT NULL DEFAULT '{}',
        external_id TEXT UNIQUE,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE channels (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('web_chat', 'email', 'api', 'phone')),
        active INTEGER NOT NULL DEFAULT 1,
        config TEXT NOT NULL DEFAULT '{}',
        token TEXT NOT NULL UNIQUE,
        signing_secret TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE conversations (
        id INTEGER PRIMARY KEY,
        channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        subject TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'open'
            CHECK (status IN ('open', 'pending', 'snoozed', 'resolved')),
        snoozed_until TEXT,
        priority TEXT NOT NULL DEFAULT 'normal'
            CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
        priority_rank INTEGER NOT NULL DEFAULT 1,
        assignee_id INTEGER REFERENCES agents(id) ON DELETE SET NULL,
        unread_count INTEGER NOT NULL DEFAULT 0,
        thread_key TEXT,
        last_message_id INTEGER,
        last_message_type TEXT,
        last_message_preview TEXT,
        last_message_at TEXT,
        first_incoming_at TEXT,
        first_reply_at TEXT,
        resolved_at TEXT,
        waiting_since TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        last_activity_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE conversation_tags (
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        PRIMARY KEY (conversation_id, tag)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        type TEXT NOT NULL CHECK (type IN ('incoming', 'outgoing', 'note', 'activity')),
        body TEXT NOT NULL,
        sender_type TEXT NOT NULL
            CHECK (sender_type IN ('contact', 'agent', 'automation', 'system')),
        sender_id INTEGER,
        sender_name TEXT NOT NULL DEFAULT '',
        delivery_status TEXT CHECK (delivery_status IN ('queued', 'sent', 'failed')),
        delivery_error TEXT,
        external_id TEXT,
        created_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE outbox (
        message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT
    )
    """,
    """
    CREATE VIRTUAL TABLE search_index USING fts5(
        subject, people, bodies, tokenize = 'unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE VIRTUAL TABLE contacts_fts USING fts5(
        name, email, phone, company,
        content = 'contacts', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2'
    )
    """,
]

INDEXES = [
    "CREATE INDEX conversations_status_activity"
    " ON conversations (status, last_activity_at DESC, id DESC)",
    "CREATE INDEX conversations_activity ON conversations (last_activity_at DESC, id DESC)",
    "CREATE INDEX conversations_assignee"
    " ON conversations (assignee_id, status, last_activity_at DESC)",
    "CREATE INDEX conversations_channel ON conversations (channel_id, last_activity_at DESC)",
    "CREATE INDEX conversations_contact ON conversations (contact_id, last_activity_at DESC)",
    "CREATE INDEX conversations_created ON conversations (created_at, id)",
    "CREATE INDEX conversations_thread ON conversations (channel_id, thread_key)"
    " WHERE thread_key IS NOT NULL",
    "CREATE INDEX conversations_snoozed ON conversations (snoozed_until) WHERE status = 'snoozed'",
    "CREATE INDEX conversations_waiting ON conversations (waiting_since)"
    " WHERE waiting_since IS NOT NULL",
    "CREATE INDEX conversations_unread ON conversations (unread_count) WHERE unread_count > 0",
    "CREATE INDEX conversation_tags_tag ON conversation_tags (tag, conversation_id)",
    "CREATE INDEX messages_conversation ON messages (conversation_id, id)",
    "CREATE INDEX messages_created ON messages (created_at)",
    "CREATE INDEX messages_external ON messages (external_id) WHERE external_id IS NOT NULL",
    "CREATE INDEX outbox_due ON outbox (next_attempt_at)",
    "CREATE INDEX contacts_name ON contacts (name COLLATE NOCASE, id)",
    "CREATE INDEX contacts_created ON contacts (created_at DESC, id DESC)",
]

# contacts_fts is an external-content index: triggers keep it equal to the contacts table.
TRIGGERS = [
    """
    CREATE TRIGGER contacts_ai AFTER INSERT ON contacts BEGIN
        INSERT INTO contacts_fts (rowid, name, email, phone, company)
        VALUES (new.id, new.name, new.email, new.phone, new.company);
    END
    """,
    """
    CREATE TRIGGER contacts_ad AFTER DELETE ON contacts BEGIN
        INSERT INTO contacts_fts (contacts_fts, rowid, name, email, phone, company)
        VALUES ('delete', old.id, old.name, old.email, old.phone, old.company);
    END
    """,
    """
    CREATE TRIGGER contacts_au AFTER UPDATE OF name, email, phone, company ON contacts BEGIN
        INSERT INTO contacts_fts (contacts_fts, rowid, name, email, phone, company)
        VALUES ('delete', old.id, old.name, old.email, old.phone, old.company);
        INSERT INTO contacts_fts (rowid, name, email, phone, company)
        VALUES (new.id, new.name, new.email, new.phone, new.company);
    END
    """,
    # A conversation's search document goes with it (erasure, channel force-delete).
    """
    CREATE TRIGGER conversations_ad AFTER DELETE ON conversations BEGIN
        DELETE FROM search_index WHERE rowid = old.id;
    END
    """,
]


def apply(db: sqlite_utils.Database) -> None:
    for statement in [*TABLES, *INDEXES, *TRIGGERS]:
        db.execute(statement)
