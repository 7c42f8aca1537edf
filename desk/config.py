"""Where data lives and how the server is tuned: one Settings value, from flags and environment."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import argon2
import platformdirs

DB_FILENAME = "desk.db"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def utc_now() -> datetime:
    return datetime.now(UTC)


def default_data_dir() -> Path:
    """`DESK_DATA_DIR` if set, else the platform's user data directory."""
    env = os.environ.get("DESK_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("desk", appauthor=False))


@dataclass(frozen=True)
class PasswordCost:
    """argon2id parameters. Production keeps argon2-cffi's defaults; tests pass cheap ones."""

    time_cost: int = argon2.DEFAULT_TIME_COST
    memory_cost: int = argon2.DEFAULT_MEMORY_COST
    parallelism: int = argon2.DEFAULT_PARALLELISM


CHEAP_PASSWORDS = PasswordCost(time_cost=1, memory_cost=8, parallelism=1)


def password_cost_from_env() -> PasswordCost:
    """Production cost, unless DESK_TEST_CHEAP_PASSWORDS=1 (end-to-end tests only: it makes
    stored hashes weak)."""
    if os.environ.get("DESK_TEST_CHEAP_PASSWORDS") == "1":
        return CHEAP_PASSWORDS
    return PasswordCost()


def allow_hosts_from_env() -> tuple[str, ...]:
    """`DESK_ALLOW_HOSTS` (comma-separated names): `--allow-host` for every command."""
    return tuple(n.strip() for n in os.environ.get("DESK_ALLOW_HOSTS", "").split(",") if n.strip())


def header_timeout_from_env() -> float:
    """10 s for a request's headers to arrive; DESK_TEST_HEADER_TIMEOUT (seconds) sets another
    deadline for tests."""
    try:
        seconds = float(os.environ.get("DESK_TEST_HEADER_TIMEOUT", ""))
    except ValueError:
        return HEADER_TIMEOUT_SECONDS
    return seconds if seconds > 0 else HEADER_TIMEOUT_SECONDS


def max_connections_from_env() -> int:
    """`DESK_MAX_CONNECTIONS`, else MAX_CONNECTIONS."""
    value = os.environ.get("DESK_MAX_CONNECTIONS", "").strip()
    return int(value) if value.isascii() and value.isdigit() and int(value) > 0 else MAX_CONNECTIONS


HEADER_TIMEOUT_SECONDS = 10.0
# Open connections (streams included) beyond which a new connection's requests get `503`
# instead of the process running out of file descriptors; far above an office's tabs plus a
# flood of connections that stall (those end after the header timeout).
MAX_CONNECTIONS = 2000


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=default_data_dir)
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    password_cost: PasswordCost = field(default_factory=password_cost_from_env)
    # Cookies get `Secure` when the request came over HTTPS; this forces it (TLS terminated
    # in front of Desk).
    secure_cookies: bool = False
    session_idle_seconds: int = 12 * 3600
    session_max_seconds: int = 14 * 24 * 3600
    login_window_seconds: int = 15 * 60
    login_max_per_email: int = 5
    login_max_per_address: int = 20
    max_body_bytes: int = 1024 * 1024
    # A request's line and headers must arrive within this long, else `408` and the
    # connection closes (against connections held open by never finishing a request).
    header_timeout_seconds: float = field(default_factory=header_timeout_from_env)
    max_connections: int = field(default_factory=max_connections_from_env)
    # Background loops (snooze wake-up, delivery queue, automations) start with the app;
    # unit tests that drive them by hand turn them off.
    background_tasks: bool = True
    # Injectable clock: every "now" in services comes from here, so tests never sleep.
    clock: Callable[[], datetime] = utc_now
    # How long an AI suggestion waits for a configured model before falling back (API.md: 10 s).
    ai_timeout_seconds: float = 10.0
    # Fixed setup token for tests; None means generate one per start.
    setup_token: str | None = None
    # Host names the server answers to besides loopback and the addresses it serves on
    # (`--allow-host`: the office's DNS name for this machine). Any other `Host` → 400.
    allow_hosts: tuple[str, ...] = field(default_factory=allow_hosts_from_env)
    # The address the outside world uses (`--public-url`): its host is allowed, and the widget
    # snippet and hook URLs are built on it.
    public_url: str | None = None
    # Proxies whose `X-Forwarded-For` names the client (`--trusted-proxy ADDR`); otherwise the
    # client is the socket peer, whatever the headers say.
    trusted_proxies: tuple[str, ...] = ()

    @property
    def db_path(self) -> Path:
        return self.data_dir / DB_FILENAME
