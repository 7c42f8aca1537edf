"""Sign-in, sessions and throttling.

Session tokens are 256 random bits from `secrets`; the database keeps only their SHA-256, so
a copied database file holds no usable session. A token the server did not issue matches no
row and is never adopted: every sign-in creates a new one.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import msgspec

from desk.errors import DiskFull, Invalid, TooManyAttempts, Unauthorized
from desk.models.agents import Agent, NewSession, Session, SignedIn
from desk.models.timestamps import iso, parse_iso
from desk.services.desk import Desk
from desk.store import agents as agents_store
from desk.store import login_attempts
from desk.store import sessions as sessions_store
from desk.validation import check_password, check_ui_language, email_key

TOKEN_BYTES = 32
# Touching a session on every request would make every read a write; a minute is precise
# enough for a 12-hour idle limit.
TOUCH_EVERY = timedelta(seconds=60)
WRONG_LOGIN = "Wrong email or password."


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(desk: Desk, agent_id: int) -> NewSession:
    """A fresh session for this agent, with the agent as it is now (last seen: now)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = desk.now()
    expires = now + timedelta(seconds=desk.settings.session_max_seconds)
    with desk.db.write() as conn:
        sessions_store.insert_session(
            conn,
            token_hash=hash_token(token),
            agent_id=agent_id,
            now=iso(now),
            expires_at=iso(expires),
        )
        agents_store.touch_agent(conn, agent_id, iso(now))
        agent = agents_store.get_agent(conn, agent_id)
    assert agent is not None
    return NewSession(agent=agent, token=token)


# Sessions read on a thread are kept for that thread while the database stays unchanged (its
# reader's `PRAGMA data_version`): a signed-in request then costs no query. Any commit (a
# reply, a sign-out, a role change) starts the cache afresh, so it is never stale.
_CACHE_SIZE = 1024


@dataclass
class _ThreadCache:
    version: int = -1
    # By cookie value (kept in memory only, like the requests carrying it): who it signs in,
    # and until when that answer holds without a write (touch, idle limit, expiry).
    known: dict[str, tuple[SignedIn, datetime] | None] = field(default_factory=dict)


class NeedsWrite:
    """`cached_session`'s answer when the session must be touched or ended (a write)."""


NEEDS_WRITE = NeedsWrite()


def cached_session(
    desk: Desk, token: str, version: int | None = None
) -> SignedIn | NeedsWrite | None:
    """The agent behind a cookie value without waiting on a write: from this thread's cache
    while the database is unchanged, else read here (an indexed lookup or two). NEEDS_WRITE
    when the session is due to be touched or has expired: then call `resolve_session`.
    `version`: `desk.data_version()` if this thread read it just before (what is read after it
    is at least as new); else it is read here."""
    if not token or len(token) > 200:
        return None
    local: threading.local = desk.shared("auth.sessions", threading.local)
    cache: _ThreadCache | None = getattr(local, "cache", None)
    if cache is None:
        cache = local.cache = _ThreadCache()
    if version is None:
        version = desk.data_version()  # read first: what is read after is at least as new
    if version != cache.version or len(cache.known) >= _CACHE_SIZE:
        cache.version, cache.known = version, {}
    if token not in cache.known:
        with desk.db.read() as conn:
            session = sessions_store.find_session(conn, hash_token(token))
            agent = agents_store.get_agent(conn, session.agent_id) if session else None
        cache.known[token] = _known(desk, session, agent)
    known = cache.known[token]
    if known is None:
        return None
    signed_in, holds_until = known
    return signed_in if desk.now() < holds_until else NEEDS_WRITE


def _known(
    desk: Desk, session: Session | None, agent: Agent | None
) -> tuple[SignedIn, datetime] | None:
    if session is None or agent is None:
        return None
    last_seen = parse_iso(session.last_seen_at)
    idle_limit = last_seen + timedelta(seconds=desk.settings.session_idle_seconds)
    holds_until = min(parse_iso(session.expires_at), idle_limit, last_seen + TOUCH_EVERY)
    return SignedIn(agent=agent, session_id=session.id), holds_until


def resolve_session(desk: Desk, token: str) -> SignedIn | None:
    """The agent behind a cookie value, or None when it is unknown, expired or revoked."""
    if not token or len(token) > 200:
        return None
    now = desk.now()
    with desk.db.read() as conn:
        session = sessions_store.find_session(conn, hash_token(token))
        agent = agents_store.get_agent(conn, session.agent_id) if session else None
    if session is None or agent is None:
        return None
    idle_limit = parse_iso(session.last_seen_at) + timedelta(
        seconds=desk.settings.session_idle_seconds
    )
    # The clean-up and the touch below are bookkeeping: on a full disk they wait for room,
    # and the request (a read, most often) goes on.
    if now >= parse_iso(session.expires_at) or now >= idle_limit:
        with suppress(DiskFull), desk.db.write() as conn:
            sessions_store.delete_session(conn, session.id)
        desk.events.end_streams(session_id=session.id)
        return None
    if now - parse_iso(session.last_seen_at) >= TOUCH_EVERY:
        with suppress(DiskFull), desk.db.write() as conn:
            sessions_store.touch_session(conn, session.id, iso(now))
            agents_store.touch_agent(conn, agent.id, iso(now))
    return SignedIn(agent=agent, session_id=session.id)


def _retry_after(times: list[str], limit: int, window: timedelta, desk: Desk) -> int:
    """Seconds until fewer than `limit` failures remain in the window (0: not throttled)."""
    if len(times) < limit:
        return 0
    frees_at = parse_iso(times[len(times) - limit]) + window
    return max(1, int((frees_at - desk.now()).total_seconds() + 0.999))


def _reserve_attempt(desk: Desk, key: str, address: str) -> int:
    """Count this attempt before its password is checked, in the transaction that checks the
    limits: of any number of simultaneous attempts, at most the limit pass (API.md). A refused
    attempt is not counted (it does not extend the window). Returns the attempt's id."""
    window = timedelta(seconds=desk.settings.login_window_seconds)
    now = desk.now()
    since = iso(now - window)
    with desk.db.write() as conn:
        by_email = login_attempts.failures_for_email(conn, key, since)
        by_address = login_attempts.failures_for_address(conn, address, since)
        wait = max(
            _retry_after(by_email, desk.settings.login_max_per_email, window, desk),
            _retry_after(by_address, desk.settings.login_max_per_address, window, desk),
        )
        if wait:
            raise TooManyAttempts(
                "Too many failed sign-in attempts. Try again later.", wait, "too_many_sign_ins"
            )
        return login_attempts.record_attempt(conn, key, address, iso(now))


def login(desk: Desk, email: str, password: str, address: str) -> NewSession:
    """Check credentials (throttled), then start a new session. Wrong email or password → 401.

    The attempt is counted as a failure first and taken back when the password is right, so
    concurrent guesses cannot all pass the throttle before any of them is recorded."""
    key = email_key(email)
    attempt_id = _reserve_attempt(desk, key, address)
    with desk.db.read() as conn:
        credentials = agents_store.find_credentials(conn, email)
    stored_hash = credentials.password_hash if credentials else None
    # No hash (unknown email): verify spends the same time on a dummy and says no.
    if not desk.passwords.verify(stored_hash, password) or credentials is None:
        raise Unauthorized(
            WRONG_LOGIN, "wrong_login"
        )  # the reserved attempt stays: it was a failure
    with desk.db.write() as conn:
        login_attempts.delete_attempt(conn, attempt_id)
        login_attempts.clear_email(conn, key)
        if desk.passwords.needs_rehash(credentials.password_hash):
            agents_store.set_password_hash(
                conn, credentials.agent_id, desk.passwords.hash(password)
            )
    return start_session(desk, credentials.agent_id)


def logout(desk: Desk, session_id: int) -> None:
    with desk.db.write() as conn:
        sessions_store.delete_session(conn, session_id)
    desk.events.end_streams(session_id=session_id)


def change_password(
    desk: Desk, signed_in: SignedIn, current_password: str, new_password: str
) -> None:
    """Replace the password and end every other session of this agent."""
    check_password(new_password, "new_password")
    with desk.db.read() as conn:
        stored = agents_store.get_password_hash(conn, signed_in.agent.id)
    if not desk.passwords.verify(stored, current_password):
        raise Invalid("The current password is wrong.", "current_password", "wrong_password")
    new_hash = desk.passwords.hash(new_password)
    with desk.db.write() as conn:
        agents_store.set_password_hash(conn, signed_in.agent.id, new_hash)
        sessions_store.delete_sessions_of_agent(
            conn, signed_in.agent.id, keep_session_id=signed_in.session_id
        )
    desk.events.end_streams(agent_id=signed_in.agent.id, keep_session_id=signed_in.session_id)


def set_theme(desk: Desk, agent: Agent, theme: str | None) -> Agent:
    """The agent's own UI theme (None: the system's)."""
    with desk.db.write() as conn:
        agents_store.set_theme(conn, agent.id, theme)
    return msgspec.structs.replace(agent, theme=theme)


def set_language(desk: Desk, agent: Agent, language: str | None) -> Agent:
    """The agent's own UI language (None: the browser's)."""
    check_ui_language(language)
    with desk.db.write() as conn:
        agents_store.set_language(conn, agent.id, language)
    return msgspec.structs.replace(agent, language=language)


def prune(desk: Desk) -> None:
    """Drop expired sessions and old login attempts (run now and then)."""
    now = desk.now()
    idle_before = iso(now - timedelta(seconds=desk.settings.session_idle_seconds))
    window_start = iso(now - timedelta(seconds=desk.settings.login_window_seconds))
    with desk.db.write() as conn:
        sessions_store.delete_expired_sessions(conn, iso(now), idle_before)
        login_attempts.delete_before(conn, window_start)
