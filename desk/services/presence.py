"""Presence: which agents have a conversation open ("viewing") or are writing in it
("typing"), so teammates do not answer the same customer twice.

Kept in memory only (API.md: never stored), per Desk: a restart forgets it, and clients say it
again within their refresh period. Every change and every refresh goes to every agent's stream
as a `presence` event (not kept in the stream's backlog: a replayed presence would be stale);
a state not refreshed for TTL seconds (by the Desk's clock) ends as `left`, announced by the
background sweep (every SWEEP_EVERY_SECONDS) or by the next read, whichever comes first.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from desk.errors import NotFound
from desk.models.agents import Agent
from desk.models.presence import Presence, PresenceAgent, PresenceState
from desk.services.desk import Desk
from desk.store import conversations as conversations_store

TTL = timedelta(seconds=30)
SWEEP_EVERY_SECONDS = 5.0
EVENT = "presence"


@dataclass
class _Entry:
    presence: Presence
    refreshed_at: datetime


class Board:
    """Who is where: (conversation id, agent id) → the latest state and when it was said."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple[int, int], _Entry] = {}

    def put(self, presence: Presence, now: datetime) -> None:
        key = (presence.conversation_id, presence.agent.id)
        with self._lock:
            if presence.state == "left":
                self._entries.pop(key, None)
            else:
                self._entries[key] = _Entry(presence, now)

    def expire(self, now: datetime) -> list[Presence]:
        """Remove the entries not refreshed within TTL; returns them, each as `left`."""
        with self._lock:
            stale = [k for k, e in self._entries.items() if now - e.refreshed_at >= TTL]
            gone = [self._entries.pop(k).presence for k in stale]
        return [
            Presence(conversation_id=p.conversation_id, agent=p.agent, state="left") for p in gone
        ]

    def current(self) -> list[Presence]:
        with self._lock:
            entries = list(self._entries.values())
        entries.sort(key=lambda e: (e.presence.conversation_id, e.presence.agent.id))
        return [e.presence for e in entries]


def _board(desk: Desk) -> Board:
    return desk.shared("presence", Board)


def _announce(desk: Desk, presence: Presence) -> None:
    # private: agents only, never a web-chat visitor's stream; transient: not in the backlog.
    desk.events.publish(EVENT, presence, private=True, transient=True)


def set_presence(desk: Desk, me: Agent, conversation_id: int, state: PresenceState) -> Presence:
    """The agent has the conversation open (`viewing`), is writing in it (`typing`) or closed
    it (`left`). Announced to every agent at once."""
    with desk.db.read() as conn:
        if not conversations_store.conversation_exists(conn, conversation_id):
            raise NotFound(
                f"Conversation {conversation_id} not found.", code="conversation_not_found"
            )
    expire(desk)
    presence = Presence(
        conversation_id=conversation_id,
        agent=PresenceAgent(id=me.id, name=me.name),
        state=state,
    )
    _board(desk).put(presence, desk.now())
    _announce(desk, presence)
    return presence


def expire(desk: Desk) -> int:
    """End (as `left`, announced) every presence not refreshed within TTL. Returns how many."""
    gone = _board(desk).expire(desk.now())
    for presence in gone:
        _announce(desk, presence)
    return len(gone)


def expire_job(desk: Desk) -> None:
    """The background job's body (every SWEEP_EVERY_SECONDS)."""
    expire(desk)


def current(desk: Desk) -> list[Presence]:
    """Every agent's presence that has not expired, by conversation then agent."""
    expire(desk)
    return _board(desk).current()
