"""The team: agents, their roles, credentials and sessions."""

from __future__ import annotations

from typing import Literal

import msgspec

Role = Literal["admin", "agent"]


class Agent(msgspec.Struct, kw_only=True):
    id: int
    name: str
    email: str
    role: Role
    created_at: str
    last_seen_at: str | None = None
    # The agent UI's language (`UI_LANGUAGES`); None: the browser's.
    language: str | None = None
    # The agent UI's theme: "light" or "dark"; None: the system's.
    theme: str | None = None


class TeamMember(msgspec.Struct, kw_only=True):
    id: int
    name: str
    email: str
    role: Role


class Credentials(msgspec.Struct, kw_only=True):
    agent_id: int
    password_hash: str


class Session(msgspec.Struct, kw_only=True):
    id: int
    agent_id: int
    created_at: str
    last_seen_at: str
    expires_at: str


class SignedIn(msgspec.Struct, frozen=True):
    agent: Agent
    session_id: int


class NewSession(msgspec.Struct, frozen=True):
    agent: Agent
    token: str
