"""The command line: run (window), serve, create-admin, demo, and --version."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import socket
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import desk
from desk.config import DEFAULT_HOST, DEFAULT_PORT, Settings, default_data_dir
from desk.errors import DeskError
from desk.store.db import DatabaseError

Command = Callable[[argparse.Namespace], int]


def _add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=argparse.SUPPRESS,
        help="where desk.db lives (default: $DESK_DATA_DIR, else the user data directory)",
    )


def _data_dir(args: argparse.Namespace) -> Path:
    given = getattr(args, "data_dir", None)
    return Path(given).expanduser() if given else default_data_dir()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="desk", description="Desk: the shared support inbox on your own machine."
    )
    parser.add_argument("--version", action="version", version=f"desk {desk.__version__}")
    _add_data_dir(parser)
    parser.set_defaults(command=cmd_run)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve the inbox over HTTP (no window)")
    serve.add_argument("--host", default=DEFAULT_HOST, help="address to listen on")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help="0 picks a free port")
    _add_data_dir(serve)
    serve.set_defaults(command=cmd_serve)

    admin = commands.add_parser(
        "create-admin", help="create an admin, or reset an agent's password and make them admin"
    )
    admin.add_argument("--email", required=True)
    admin.add_argument("--name", required=True)
    admin.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    _add_data_dir(admin)
    admin.set_defaults(command=cmd_create_admin)

    demo = commands.add_parser("demo", help="add realistic demo data (agents, conversations)")
    demo.add_argument("--conversations", type=int, default=1000, help="how many (default 1000)")
    demo.add_argument("--seed", type=int, default=None, help="random seed, for repeatable data")
    _add_data_dir(demo)
    demo.set_defaults(command=cmd_demo)
    return parser


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


def _stream_ending_server() -> type:
    import uvicorn

    from desk.api.events import end_streams

    class StreamEndingServer(uvicorn.Server):
        """uvicorn waits for open responses before it stops: end the live-update streams
        first, so stopping the server never hangs on a browser tab."""

        def __init__(self, config: uvicorn.Config, desk_: Any) -> None:
            super().__init__(config)
            self.desk = desk_

        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            end_streams(self.desk)
            await super().shutdown(sockets)

    return StreamEndingServer


def serve(settings: Settings, on_ready: Callable[[str], None] | None = None) -> int:
    """Open the database, bind, print the URL (and setup token), serve until stopped."""
    import uvicorn

    from desk.app import create_app

    app = create_app(settings)
    sock = _listening_socket(settings.host, settings.port)
    port = sock.getsockname()[1]
    shown_host = f"[{settings.host}]" if ":" in settings.host else settings.host
    url = f"http://{shown_host}:{port}/"
    print(f"Desk {desk.__version__} is serving {settings.db_path}", flush=True)
    print(f"Open {url}", flush=True)
    token = app.state.desk.setup_token
    if token:
        print(f"First run: create the workspace at {url} (setup token: {token})", flush=True)
    if on_ready:
        on_ready(url)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    _stream_ending_server()(config, app.state.desk).run(sockets=[sock])
    print("Desk stopped.", flush=True)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    return serve(Settings(data_dir=_data_dir(args), host=args.host, port=args.port))


def cmd_run(args: argparse.Namespace) -> int:
    """Double-click entry: a window where a GUI is available, else serve and print the URL."""
    return serve(Settings(data_dir=_data_dir(args), host=DEFAULT_HOST, port=0))


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise DeskError("The passwords differ.")
    return first


def cmd_create_admin(args: argparse.Namespace) -> int:
    from desk.services import agents
    from desk.services.context import Desk

    password = _read_password(args.password_stdin)
    desk_ = Desk(Settings(data_dir=_data_dir(args), background_tasks=False))
    try:
        agent, created = agents.ensure_admin(
            desk_, email=args.email, name=args.name, password=password
        )
    finally:
        desk_.close()
    verb = "Created admin" if created else "Reset the password of admin"
    print(f"{verb} {agent.name} <{agent.email}>.")
    return 0


def _progress_bar(done: int, total: int, started: float) -> None:
    """A one-line bar on stderr, redrawn in place (plain lines when stderr is not a terminal)."""
    share = done / total if total else 1.0
    bar = "#" * int(share * 30)
    elapsed = time.monotonic() - started
    line = f"[{bar:<30}] {share:4.0%} {done:,}/{total:,} conversations {elapsed:5.1f}s"
    if sys.stderr.isatty():
        print("\r" + line, end="\n" if done >= total else "", file=sys.stderr, flush=True)
    elif done >= total or done % (total // 10 or 1) == 0:
        print(line, file=sys.stderr, flush=True)


def cmd_demo(args: argparse.Namespace) -> int:
    from desk.services import demo
    from desk.services.context import Desk

    if args.conversations < 0:
        raise DeskError("--conversations must be 0 or more.")
    started = time.monotonic()
    desk_ = Desk(Settings(data_dir=_data_dir(args), background_tasks=False))
    try:
        summary = demo.generate_demo(
            desk_,
            conversations=args.conversations,
            seed=args.seed,
            progress=lambda done, total: _progress_bar(done, total, started),
        )
    finally:
        desk_.close()
    print(
        f"Added {summary.conversations:,} conversations, {summary.messages:,} messages and "
        f"{summary.contacts:,} contacts to {desk_.settings.db_path} in {summary.seconds:.1f}s "
        f"(seed {summary.seed})."
    )
    print(f"Sign in with any of these, password {summary.password!r}:")
    for name, email, role in summary.agents:
        print(f"  {email:<28} {name} ({role})")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(
        level=os.environ.get("DESK_LOG_LEVEL", "INFO"),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    args = build_parser().parse_args(argv)
    command: Command = args.command
    try:
        return command(args)
    except DatabaseError as exc:
        print(f"desk: {exc}", file=sys.stderr)
        return 2
    except DeskError as exc:
        print(f"desk: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
