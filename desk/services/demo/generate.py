"""`desk demo`: realistic demo data of any size, added to the workspace in bulk.

What it writes: the workspace row (if missing), a team of agents sharing one demo password,
one channel of each type, contacts with companies, and conversations over the last 90 days
with 3-15 messages each (incoming, outgoing, notes, activity), tags, every status and
priority. About 30% of conversations open with one of the recurring questions of
questions.py, worded differently each time, answered with the team's usual reply.
`SEARCH_WORD` appears in about 1% of messages, `COMMON_WORD` in the first message of 20% of the
conversations (benchmarks search for both).

Times follow the workspace's timezone and business hours (timing.py): customers write in
office hours, agents reply in business hours.

The conversation rows carry the denormalised columns of migrations/m002_inbox.py, computed
here from the generated messages. Chunks of CHUNK_SIZE conversations, each from its own
random stream, are made ahead of the writer (ahead.py: on another core where it can) and
written TRANSACTION_CHUNKS to a transaction under store/demo.py's bulk settings.
"""

from __future__ import annotations

import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from desk import instance
from desk.services import workspace as workspace_service
from desk.services.demo.ahead import Chunk, MadeAhead, Plan
from desk.services.demo.questions import TOPICS
from desk.services.demo.script import HISTORY_DAYS, Team
from desk.services.demo.text import (
    AGENTS,
    CHANNELS,
    COMMON_WORD,
    DEMO_EMAIL_DOMAIN,
    DEMO_PASSWORD,
    DEMO_WORKSPACE,
    SEARCH_WORD,
)
from desk.services.demo.timing import Calendar
from desk.services.desk import Desk
from desk.store import agents as agents_store
from desk.store import channel_health as health_store
from desk.store import channels as channels_store
from desk.store import demo as demo_store

CHUNK_SIZE = 5000  # conversations from one random stream: changing it changes the data
# Chunks per write transaction. The conversation and message indexes are updated at random
# places: a transaction writes each index page it touched once, so few, large transactions
# write each page a few times over the whole load rather than once per chunk. While a Desk
# serves the workspace, a chunk per transaction: its writes wait for the demo's at most a few
# seconds (they give up after db.BUSY_TIMEOUT_MS).
TRANSACTION_CHUNKS = 10
# The writer's page cache during the load, so those index pages stay in memory (the peak
# memory of `desk demo --conversations 1000000` stays under 2 GB with it).
BULK_CACHE_MIB = 1024
Progress = Callable[[int, int], None]

__all__ = [
    "COMMON_WORD",
    "DEMO_PASSWORD",
    "SEARCH_WORD",
    "TOPICS",
    "DemoSummary",
    "agent_email",
    "generate_demo",
]


@dataclass(frozen=True)
class DemoSummary:
    conversations: int
    messages: int
    contacts: int
    seed: int
    agents: list[tuple[str, str, str]]  # (name, email, role)
    password: str
    seconds: float
    created_agents: bool


def agent_email(name: str) -> str:
    return f"{name.split()[0].lower()}@{DEMO_EMAIL_DOMAIN}"


def generate_demo(
    desk: Desk, *, conversations: int, seed: int | None = None, progress: Progress | None = None
) -> DemoSummary:
    """Add `conversations` demo conversations (and their people) to the workspace."""
    started = time.monotonic()
    seed = secrets.randbits(32) if seed is None else seed
    workspace_service.ensure_workspace(desk, DEMO_WORKSPACE)
    team, created_agents = _ensure_team(desk)
    now = desk.now().timestamp()
    ws = workspace_service.get_workspace(desk)
    # Snoozes reach two weeks ahead; scripts running past now stop at now.
    calendar = Calendar(now, ws.timezone, ws.business_hours, HISTORY_DAYS + 1, 21)
    sizes = [
        min(CHUNK_SIZE, conversations - start) for start in range(0, conversations, CHUNK_SIZE)
    ]
    plan = Plan(seed=seed, team=team, now=now, calendar=calendar, sizes=sizes)
    tally = _Tally(total=conversations, progress=progress)
    if progress:
        progress(0, conversations)
    with desk.db.write() as conn:
        cache = demo_store.set_cache_size(conn, BULK_CACHE_MIB)
    try:
        _load(desk, plan, tally)
        if conversations:
            with desk.db.write() as conn:
                demo_store.optimize_search(conn)
    finally:
        with desk.db.write() as conn:
            demo_store.reset_cache_size(conn, cache)
    return DemoSummary(
        conversations=conversations,
        messages=tally.messages,
        contacts=tally.contacts,
        seed=seed,
        agents=[(name, agent_email(name), role) for name, role in AGENTS],
        password=DEMO_PASSWORD,
        seconds=time.monotonic() - started,
        created_agents=created_agents,
    )


@dataclass
class _Tally:
    total: int
    progress: Progress | None
    done: int = 0
    contacts: int = 0
    messages: int = 0

    def add(self, rows: demo_store.DemoRows) -> None:
        self.done += len(rows.conversations)
        self.contacts += len(rows.contacts)
        self.messages += len(rows.messages)
        if self.progress:
            self.progress(self.done, self.total)


def _load(desk: Desk, plan: Plan, tally: _Tally) -> None:
    """Every chunk of `plan`, each starting at the ids that are next in the database when it
    is written. Should another writer have added rows meanwhile (`desk demo` on a workspace
    in use), the chunks made ahead for other ids are dropped and made again from there."""
    per_transaction = 1 if instance.is_locked(desk.settings.data_dir) else TRANSACTION_CHUNKS
    start: int | None = 0
    while start is not None and start < len(plan.sizes):
        with desk.db.write() as conn:
            ids = demo_store.next_ids(conn)
        with MadeAhead(plan, start, ids) as chunks:
            start = _write(desk, iter(chunks), per_transaction, tally)


def _write(desk: Desk, chunks: Iterator[Chunk], per_transaction: int, tally: _Tally) -> int | None:
    """Write `chunks`, `per_transaction` to a transaction; returns the index of the first one
    made for ids that are no longer next, None when all were written."""
    chunk = next(chunks, None)
    while chunk is not None:
        with desk.db.write() as conn, demo_store.bulk_load(conn) as load:
            for _ in range(per_transaction):
                index, ids, rows = chunk
                if demo_store.next_ids(conn) != ids:
                    return index  # (what this transaction wrote so far commits)
                load.insert(rows)
                tally.add(rows)
                chunk = next(chunks, None)
                if chunk is None:
                    break
    return None


def _ensure_team(desk: Desk) -> tuple[Team, bool]:
    """The demo agents and one channel per type: reused when present, else created."""
    emails = [agent_email(name) for name, _ in AGENTS]
    with desk.db.read() as conn:
        missing = len(demo_store.agent_ids_by_email(conn, emails)) < len(emails)
    # argon2 at full cost takes a while: hash the one demo password once, for every agent.
    password_hash = desk.passwords.hash(DEMO_PASSWORD) if missing else ""
    now = desk.now_iso()
    with desk.db.write() as conn:
        known = demo_store.agent_ids_by_email(conn, emails)
        for (name, role), email in zip(AGENTS, emails, strict=True):
            if email not in known:
                known[email] = agents_store.insert_agent(
                    conn, name=name, email=email, role=role, password_hash=password_hash, now=now
                )
        channels = demo_store.channel_ids_by_type(conn)
        for type_, name in CHANNELS:
            if type_ not in channels:
                channels[type_] = _create_channel(conn, type_, name, now)
    agents = [(known[email], name) for (name, _), email in zip(AGENTS, emails, strict=True)]
    return Team(agents=agents, channels=channels), missing


DEMO_MAIL_NOTICE = (
    "Demo data: this mailbox is not connected to a mail server (the channel is paused)."
    " Set its IMAP and SMTP settings to a real mailbox, then activate it."
)


def _create_channel(conn: sqlite3.Connection, type_: str, name: str, now: str) -> int:
    channel_id = _insert_channel(conn, type_, name, now)
    if type_ == "email":  # its health says so: nothing pretends this mailbox was ever read
        health_store.note_failure(conn, channel_id, "receive", DEMO_MAIL_NOTICE, now)
    return channel_id


def _insert_channel(conn: sqlite3.Connection, type_: str, name: str, now: str) -> int:
    return channels_store.insert_channel(
        conn,
        name=name,
        type=type_,
        # The demo cannot know a real mail server: the mailbox is configured but paused, so
        # nothing polls imap.northwind.example. Every other channel is live.
        active=type_ != "email",
        config=_channel_config(type_),
        token=secrets.token_urlsafe(24),
        signing_secret=secrets.token_hex(32),
        now=now,
    )


def _channel_config(type_: str) -> dict[str, object]:
    if type_ == "web_chat":
        return {
            "allowed_origins": ["https://northwind.example"],
            "greeting": "Hi! How can we help you today?",
            "color": "#3b82f6",
        }
    if type_ == "email":
        mailbox = "support@northwind.example"
        return {
            "imap_host": "imap.northwind.example",
            "imap_port": 993,
            "imap_user": mailbox,
            "imap_password": secrets.token_urlsafe(12),
            "imap_tls": "ssl",
            "imap_folder": "INBOX",
            "smtp_host": "smtp.northwind.example",
            "smtp_port": 465,
            "smtp_user": mailbox,
            "smtp_password": secrets.token_urlsafe(12),
            "smtp_tls": "ssl",
            "from_address": mailbox,
            "from_name": DEMO_WORKSPACE,
            "poll_seconds": 60,
        }
    if type_ == "api":
        return {"webhook_url": None}
    return {}
