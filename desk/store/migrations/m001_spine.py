"""Workspace settings, agents, sessions and login attempts."""

from __future__ import annotations

import sqlite_utils


def apply(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE workspace (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            name TEXT NOT NULL,
            timezone TEXT NOT NULL DEFAULT 'UTC',
            business_hours TEXT NOT NULL,
            auto_reply TEXT NOT NULL,
            ai TEXT NOT NULL,
            ai_api_key TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE agents (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            email TEXT NOT NULL,
            email_key TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL CHECK (role IN ('admin', 'agent')),
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            last_seen_at TEXT,
            last_assigned_at TEXT
        )
        """
    )
    db.execute(
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        )
        """
    )
    db.table("sessions").create_index(["agent_id"])
    db.execute(
        """
        CREATE TABLE login_attempts (
            id INTEGER PRIMARY KEY,
            email_key TEXT NOT NULL,
            address TEXT NOT NULL,
            at TEXT NOT NULL
        )
        """
    )
    db.table("login_attempts").create_index(["email_key", "at"])
    db.table("login_attempts").create_index(["address", "at"])
