"""Run the HTTP server: one per data dir, bound before anything is printed, on the LAN with
or without TLS. `desk serve` runs it in the main thread; the window runs it in a thread."""

from __future__ import annotations

import contextlib
import os
import socket
import ssl
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import desk
from desk.config import Settings
from desk.errors import DeskError
from desk.instance import InstanceLock, RunningInstance, find_running
from desk.network import is_loopback, reachable_urls

if TYPE_CHECKING:  # imported when serving, so `desk backup` and friends start fast
    import uvicorn
    from litestar import Litestar

FILES_BESIDES_CONNECTIONS = 256  # the database, its WAL, backups, logs, mail sockets
PLAIN_HTTP_WARNING = (
    "Warning: this is plain HTTP on the network: anyone on it can read messages and take "
    "over sessions from their cookies. Use --tls-cert/--tls-key, or a trusted network only."
)


@dataclass(frozen=True)
class Tls:
    cert: Path
    key: Path


@dataclass
class Bound:
    """An app on a listening socket, not yet serving."""

    app: Litestar
    sock: socket.socket
    urls: list[str]  # the first one is for this machine
    server: uvicorn.Server

    @property
    def url(self) -> str:
        return self.urls[0]


def _listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP: asyncio sets TCP_NODELAY only on such sockets; without it, replies on
    # a kept-alive connection wait ~40 ms for a delayed ACK (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _connection_limit(wanted: int) -> int:
    """`wanted`, or fewer when the process may not open that many files: past the limit a
    request gets `503` (desk/connections.py) rather than the server failing to accept (the
    soft file limit is raised first, up to the hard one, where the OS has such limits)."""
    try:
        import resource
    except ImportError:  # Windows: no such limit on sockets
        return wanted
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted + FILES_BESIDES_CONNECTIONS
    if hard != resource.RLIM_INFINITY:
        target = min(target, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
    if soft == resource.RLIM_INFINITY:
        return wanted
    return min(wanted, max(64, soft - FILES_BESIDES_CONNECTIONS))


def _check_tls(tls: Tls | None) -> None:
    if tls is None:
        return
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(tls.cert, tls.key)
    except (OSError, ssl.SSLError) as exc:
        raise DeskError(f"Cannot use the TLS certificate and key: {exc}") from exc


def bind(settings: Settings, tls: Tls | None = None) -> Bound:
    """Open (and migrate) the database, build the app and bind its socket."""
    import uvicorn

    from desk.app import create_app
    from desk.connections import bounded_protocol

    _check_tls(tls)
    app = create_app(settings)
    try:
        sock = _listening_socket(settings.host, settings.port)
    except OSError as exc:
        app.state.desk.close()
        raise DeskError(f"Cannot listen on {settings.host}:{settings.port}: {exc}") from exc
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="on",
        proxy_headers=False,  # the peer is the client; X-Forwarded-For only via --trusted-proxy
        http=bounded_protocol(
            settings.header_timeout_seconds, _connection_limit(settings.max_connections)
        ),
        ssl_certfile=tls.cert if tls else None,
        ssl_keyfile=tls.key if tls else None,
    )
    port = sock.getsockname()[1]
    urls = reachable_urls("https" if tls else "http", settings.host, port)
    return Bound(app, sock, urls, _stream_ending_server()(config, app.state.desk))


def _stream_ending_server() -> type:
    import uvicorn

    from desk.api.events import end_streams
    from desk.services.channels import web_chat_live

    class StreamEndingServer(uvicorn.Server):
        """uvicorn waits for open responses before it stops: end the live-update streams
        first, so stopping the server (or closing the window) never hangs on a browser tab."""

        def __init__(self, config: uvicorn.Config, desk_: Any) -> None:
            super().__init__(config)
            self.desk = desk_

        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            end_streams(self.desk)
            web_chat_live.end_streams(self.desk)
            await super().shutdown(sockets)

    return StreamEndingServer


def print_banner(bound: Bound, settings: Settings, tls: Tls | None) -> None:
    print(f"Desk {desk.__version__} is serving {settings.db_path}", flush=True)
    print(f"Open {bound.url}", flush=True)
    for url in bound.urls[1:]:
        print(f"On the LAN: {url}", flush=True)
    if not is_loopback(settings.host) or settings.allow_hosts or settings.public_url:
        names = ", ".join(bound.app.state.hosts.names())
        print(
            f"Answers to the host names {names} and this machine's addresses; for another"
            " name browsers use, add --allow-host NAME.",
            flush=True,
        )
    if not is_loopback(settings.host) and tls is None:
        print(PLAIN_HTTP_WARNING, flush=True)
    token = bound.app.state.desk.setup_token
    if token:
        print(f"First run: create the workspace at {bound.url} (setup token: {token})", flush=True)


def report_running(data_dir: Path) -> int:
    """A Desk already serves this data dir: say where, and never start a second server."""
    found = find_running(data_dir)
    if found is None:
        print(f"desk: another Desk just stopped using {data_dir}; try again.", file=sys.stderr)
        return 1
    where = found.url or "(still starting)"
    print(f"Desk is already running for {data_dir}: {where}", flush=True)
    return 0


def serve_forever(
    settings: Settings,
    on_ready: Callable[[str], None] | None = None,
    tls: Tls | None = None,
) -> int:
    """`desk serve`: hold the data dir, bind, print the URLs, serve until stopped."""
    lock = InstanceLock(settings.data_dir)
    if not lock.acquire():
        return report_running(settings.data_dir)
    with lock:
        bound = bind(settings, tls)
        print_banner(bound, settings, tls)
        lock.publish(RunningInstance(pid=os.getpid(), url=bound.url, mode="serve"))
        if on_ready:
            on_ready(bound.url)
        bound.server.run(sockets=[bound.sock])
    print("Desk stopped.", flush=True)
    return 0


def wait_healthy(url: str, timeout: float = 30) -> bool:
    """Poll `/api/health` on a server in this process until it answers (or the deadline)."""
    deadline = time.monotonic() + timeout
    context = ssl._create_unverified_context() if url.startswith("https") else None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "api/health", timeout=2, context=context) as r:
                if r.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.02)
    return False
