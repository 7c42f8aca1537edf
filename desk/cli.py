"""The command line: run (window), serve, create-admin, demo, backup, restore, doctor,
install-desktop-entry, and (desk/cli_data.py) export and import-contacts."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import desk
from desk.cli_data import add_data_commands
from desk.config import (
    DB_FILENAME,
    DEFAULT_HOST,
    DEFAULT_PORT,
    Settings,
    allow_hosts_from_env,
    default_data_dir,
)
from desk.errors import DeskError
from desk.server import Tls, serve_forever
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
    parser.add_argument(
        "--no-window", action="store_true", help="serve and print the URL instead of a window"
    )
    # A packaging/CI check: open the window, print what the page showed, close it.
    parser.add_argument("--close-after-load", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(command=cmd_run)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve the inbox over HTTP (no window)")
    serve.add_argument("--host", default=DEFAULT_HOST, help="address to listen on")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help="0 picks a free port")
    serve.add_argument("--tls-cert", type=Path, help="PEM certificate: serve HTTPS")
    serve.add_argument("--tls-key", type=Path, help="PEM private key of --tls-cert")
    serve.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a DNS name browsers use for this machine (repeat for more); other names are"
        " refused, against DNS rebinding",
    )
    serve.add_argument(
        "--trusted-proxy",
        action="append",
        default=[],
        metavar="ADDR",
        help="the address of a reverse proxy in front of Desk (repeatable): only its"
        " X-Forwarded-For names the client, for throttling and setup",
    )
    serve.add_argument(
        "--public-url",
        metavar="URL",
        help="the address the outside world uses (https://desk.example.com): the widget"
        " snippet and hook URLs use it, and its host is allowed",
    )
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
    _add_operating_commands(commands)
    add_data_commands(commands, _add_data_dir)
    _add_desktop_entry_command(commands)
    return parser


def _add_desktop_entry_command(commands: argparse._SubParsersAction) -> None:
    entry = commands.add_parser(
        "install-desktop-entry",
        help="put Desk in the application menu (a .desktop file and icon in ~/.local/share)",
    )
    entry.add_argument("--remove", action="store_true", help="take them away again")
    _add_data_dir(entry)
    entry.set_defaults(command=cmd_install_desktop_entry)


def _add_operating_commands(commands: argparse._SubParsersAction) -> None:
    backup = commands.add_parser("backup", help="a consistent, verified copy of the database")
    backup.add_argument("path", nargs="?", type=Path, help="default: DATA_DIR/backups/…")
    _add_data_dir(backup)
    backup.set_defaults(command=cmd_backup)
    restore = commands.add_parser(
        "restore", help="replace the database with a backup (Desk must be stopped)"
    )
    restore.add_argument("path", type=Path)
    _add_data_dir(restore)
    restore.set_defaults(command=cmd_restore)
    doctor = commands.add_parser("doctor", help="check the data dir, database, backups, window")
    _add_data_dir(doctor)
    doctor.set_defaults(command=cmd_doctor)


def serve(
    settings: Settings, on_ready: Callable[[str], None] | None = None, tls: Tls | None = None
) -> int:
    """Hold the data dir, open the database, bind, print the URLs (and setup token), serve
    until stopped. If a Desk already serves this data dir, print its URL instead."""
    return serve_forever(settings, on_ready=on_ready, tls=tls)


def _tls(args: argparse.Namespace) -> Tls | None:
    if (args.tls_cert is None) != (args.tls_key is None):
        raise DeskError("Give both --tls-cert and --tls-key.")
    return Tls(args.tls_cert, args.tls_key) if args.tls_cert else None


def _public_url(value: str | None) -> str | None:
    if value is None:
        return None
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value.strip())
        _ = parts.port
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise DeskError("--public-url must be an http:// or https:// URL.")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise DeskError("--public-url must be a plain address, like https://desk.example.com.")
    return value.strip().rstrip("/")


def _allowed_hosts(names: list[str]) -> tuple[str, ...]:
    from desk.api.hosts import host_name

    cleaned = []
    for name in names:
        found = host_name(name)
        if found is None or any(c in name for c in "/@?#"):
            raise DeskError(f"--allow-host takes a host name without port or scheme: {name!r}.")
        cleaned.append(found)
    return tuple(cleaned)


def _proxies(values: list[str]) -> tuple[str, ...]:
    import ipaddress

    try:
        return tuple(str(ipaddress.ip_address(v.strip())) for v in values)
    except ValueError:
        raise DeskError("--trusted-proxy takes an IP address, like 127.0.0.1.") from None


def cmd_serve(args: argparse.Namespace) -> int:
    settings = Settings(
        data_dir=_data_dir(args),
        host=args.host,
        port=args.port,
        allow_hosts=_allowed_hosts([*allow_hosts_from_env(), *args.allow_host]),
        public_url=_public_url(args.public_url),
        trusted_proxies=_proxies(args.trusted_proxy),
    )
    return serve(settings, tls=_tls(args))


def cmd_run(args: argparse.Namespace) -> int:
    """Double-click entry: a window where a GUI is available, else serve and print the URL."""
    from desk import desktop

    settings = Settings(data_dir=_data_dir(args), host=DEFAULT_HOST, port=0)
    return desktop.run(settings, no_window=args.no_window, close_after_load=args.close_after_load)


def cmd_install_desktop_entry(args: argparse.Namespace) -> int:
    from desk import desktop_entry

    given = getattr(args, "data_dir", None)
    data_dir = Path(given).expanduser() if given else None
    return desktop_entry.command(data_dir, remove_entry=args.remove)


def cmd_backup(args: argparse.Namespace) -> int:
    return backup_command(_data_dir(args), args.path)


def cmd_restore(args: argparse.Namespace) -> int:
    return restore_command(_data_dir(args), args.path)


def cmd_doctor(args: argparse.Namespace) -> int:
    return doctor_command(_data_dir(args))


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise DeskError("The passwords differ.")
    return first


def cmd_create_admin(args: argparse.Namespace) -> int:
    from desk.services import agents
    from desk.services.desk import Desk

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
    from desk.services.demo import generate as demo
    from desk.services.desk import Desk

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


# -- what the operating commands print (imports inside: `desk` starts without them) ----------


def _print_progress(done: int, total: int, shown: list[int]) -> None:
    percent = 100 * done // max(total, 1)
    if percent // 25 > shown[0]:  # a line at 25, 50, 75 and 100 %
        shown[0] = percent // 25
        print(f"  {percent}% ({done} of {total} pages)", file=sys.stderr, flush=True)


def backup_command(data_dir: Path, target: Path | None) -> int:
    from desk.services import backup, backup_files

    shown = [-1]
    print(f"Backing up {data_dir / DB_FILENAME} …", file=sys.stderr, flush=True)
    path = backup.make_backup(data_dir, target, progress=lambda d, t: _print_progress(d, t, shown))
    size = path.stat().st_size
    print(f"Backup written and verified (integrity ok, {size:,} bytes): {path}", flush=True)
    files = backup_files.inspect(path)
    if files.named:
        print(
            f"Attachments: {files.present:,} file(s), {files.bytes:,} bytes, in"
            f" {backup_files.files_dir(path)}",
            flush=True,
        )
    return 0


def restore_command(data_dir: Path, source: Path) -> int:
    from desk.services import backup, backup_files

    replaced = backup.restore(data_dir, source)
    print(f"Restored {source} into {data_dir / DB_FILENAME}.", flush=True)
    missing = backup_files.inspect(source).missing
    if missing:
        print(
            f"Warning: {len(missing)} attachment file(s) the backup names are not in"
            f" {backup_files.files_dir(source)}; those attachments will show as missing.",
            file=sys.stderr,
            flush=True,
        )
    if replaced:
        print(f"The replaced database is kept as {replaced}.", flush=True)
    return 0


def doctor_command(data_dir: Path) -> int:
    from desk.services import doctor

    findings = doctor.examine(data_dir)
    width = max(len(f.label) for f in findings) + 1
    for finding in findings:
        mark = "" if finding.ok else "  <-- PROBLEM"
        print(f"{finding.label + ':':<{width}} {finding.value}{mark}", flush=True)
    return 0 if all(f.ok for f in findings) else 1


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(
        level=os.environ.get("DESK_LOG_LEVEL", "INFO"),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    args = build_parser().parse_args(argv)
    if os.name == "posix":
        os.umask(0o077)  # backups, the database and attachments: for this user only
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
