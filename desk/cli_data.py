"""The data commands: `desk export` (conversations CSV for a date range, contacts CSV, the
whole workspace as JSON; to a file or standard output) and `desk import-contacts FILE`
(with `--dry-run`). Both show a progress bar on standard error when it is a terminal, and
plain lines (every 25 %) otherwise. Imports of Desk's services happen inside the commands:
`desk` starts without them."""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING

from desk.config import DB_FILENAME, Settings
from desk.errors import DeskError

if TYPE_CHECKING:
    from desk.services.desk import Desk

KINDS = ("conversations", "contacts", "workspace")
SHOWN_ERRORS = 20  # skipped lines printed by import-contacts (the report counts them all)


def add_data_commands(
    commands: argparse._SubParsersAction,
    add_data_dir: Callable[[argparse.ArgumentParser], None],
) -> None:
    export = commands.add_parser(
        "export",
        help="export conversations or contacts as CSV, or the whole workspace as JSON",
        description="Export conversations (CSV, by creation day in the workspace timezone),"
        " contacts (CSV) or the whole workspace (JSON, everything but secrets).",
    )
    export.add_argument("kind", choices=KINDS, help="what to export")
    export.add_argument(
        "-o", "--output", type=Path, help="the file to write (default: standard output)"
    )
    export.add_argument("--since", type=_day, metavar="YYYY-MM-DD", help="conversations: from")
    export.add_argument("--until", type=_day, metavar="YYYY-MM-DD", help="conversations: to")
    add_data_dir(export)
    export.set_defaults(command=cmd_export)
    load = commands.add_parser(
        "import-contacts",
        help="import contacts from a CSV file (name,email,phone,company, more as attributes)",
        description="Import contacts from CSV: a header line, then a contact a line. Rows"
        " match existing contacts by email; bad lines are skipped and reported.",
    )
    load.add_argument("file", type=Path, help="the CSV file (- reads standard input)")
    load.add_argument(
        "--dry-run", action="store_true", help="report what the import would do, write nothing"
    )
    add_data_dir(load)
    load.set_defaults(command=cmd_import_contacts)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2026-11-30: {text!r}") from None


class Bar:
    """Progress on stderr: a bar redrawn in place on a terminal, else a line every 25 %."""

    def __init__(self, total: int, unit: str) -> None:
        self.total, self.unit, self.done = total, unit, 0
        self.started = time.monotonic()
        self.tty = sys.stderr.isatty()
        self.quarter = -1

    def advance(self, rows: int) -> None:
        self.show(self.done + rows)

    def show(self, done: int) -> None:
        self.done = min(done, self.total) if self.total else done
        share = self.done / self.total if self.total else 1.0
        elapsed = time.monotonic() - self.started
        if self.tty:
            bar = "#" * int(share * 30)
            line = (
                f"[{bar:<30}] {share:4.0%} {self.done:,}/{self.total:,} {self.unit} {elapsed:5.1f}s"
            )
            print("\r" + line, end="", file=sys.stderr, flush=True)
        elif int(share * 4) > self.quarter:
            self.quarter = int(share * 4)
            print(
                f"{share:.0%} ({self.done:,} of {self.total:,} {self.unit})",
                file=sys.stderr,
                flush=True,
            )

    def finish(self) -> None:
        self.show(self.total)
        if self.tty:
            print(file=sys.stderr, flush=True)


@contextlib.contextmanager
def _desk(args: argparse.Namespace) -> Iterator[Desk]:
    from desk.cli import _data_dir
    from desk.services.desk import Desk

    data_dir = _data_dir(args)
    if not (data_dir / DB_FILENAME).exists():
        raise DeskError(f"No Desk database in {data_dir} (give --data-dir).")
    desk_ = Desk(Settings(data_dir=data_dir, background_tasks=False))
    try:
        yield desk_
    finally:
        desk_.close()


def cmd_export(args: argparse.Namespace) -> int:
    from desk.services import exports

    if args.kind != "conversations" and (args.since or args.until):
        raise DeskError("--since and --until are for `desk export conversations`.")
    if args.since and args.until and args.since > args.until:
        raise DeskError("--since must not be after --until.")
    with _desk(args) as desk_:
        since = args.since.isoformat() if args.since else None
        until = args.until.isoformat() if args.until else None
        start, end = exports.date_range(desk_, since, until)
        bar = Bar(exports.count_rows(desk_, args.kind, start, end), "rows")
        chunks: Iterator[str | bytes]
        if args.kind == "conversations":
            chunks = exports.conversations_csv(desk_, start, end, bar.advance)
        elif args.kind == "contacts":
            chunks = exports.contacts_csv(desk_, bar.advance)
        else:
            chunks = exports.workspace_json(desk_, bar.advance)
        if args.output is None or str(args.output) == "-":
            try:
                _write(chunks, sys.stdout.buffer)
                sys.stdout.buffer.flush()
            except BrokenPipeError:  # `desk export … | head`: the reader has had enough
                with contextlib.suppress(OSError):
                    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (no flush error at exit)
                return 0
        else:
            _write_file(chunks, args.output)
        bar.finish()
    if args.output is not None and str(args.output) != "-":
        print(f"Exported {bar.total:,} rows to {args.output}.", file=sys.stderr, flush=True)
    return 0


def _write(chunks: Iterator[str | bytes], out: IO[bytes]) -> None:
    for chunk in chunks:
        out.write(chunk.encode() if isinstance(chunk, str) else chunk)


def _write_file(chunks: Iterator[str | bytes], path: Path) -> None:
    """Into PATH.part, renamed to PATH when complete: a failed export leaves no half file.
    A device or pipe (`-o /dev/null`, a FIFO) is written as it is, never renamed over."""
    if path.exists() and not path.is_file():
        try:
            with path.open("wb") as out:
                _write(chunks, out)
        except OSError as exc:
            raise DeskError(f"Could not write {path}: {exc.strerror or exc}.") from None
        return
    partial = path.with_name(path.name + ".part")
    try:
        with partial.open("wb") as out:
            _write(chunks, out)
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise DeskError(f"Could not write {path}: {exc.strerror or exc}.") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def cmd_import_contacts(args: argparse.Namespace) -> int:
    from desk.services import contact_import

    with contextlib.ExitStack() as stack:
        source = stack.enter_context(_source(args.file))
        stack.enter_context(_not_while_serving(args))
        desk_ = stack.enter_context(_desk(args))
        bar: Bar | None = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            bar = bar or Bar(total, "lines")
            bar.show(done)

        report = contact_import.import_contacts(desk_, source, args.dry_run, progress)
        if bar is not None:
            bar.finish()
    verb = (
        ("Dry run (nothing written): would create", "would update")
        if args.dry_run
        else (
            "Created",
            "updated",
        )
    )
    print(
        f"{verb[0]} {report.created:,} and {verb[1]} {report.updated:,} contacts;"
        f" lines skipped: {report.skipped_total:,}.",
        flush=True,
    )
    for skipped in report.skipped[:SHOWN_ERRORS]:
        print(f"  line {skipped.line}: {skipped.error}", flush=True)
    if report.skipped_total > SHOWN_ERRORS:
        print(f"  … and {report.skipped_total - SHOWN_ERRORS:,} more.", flush=True)
    return 0


@contextlib.contextmanager
def _not_while_serving(args: argparse.Namespace) -> Iterator[None]:
    """Hold the data dir's instance lock: an import is one long write transaction, and a
    running Desk's own writes would give up waiting for it (its busy timeout) and fail."""
    from desk.cli import _data_dir
    from desk.instance import InstanceLock, find_running

    data_dir = _data_dir(args)
    if not (data_dir / DB_FILENAME).exists():
        raise DeskError(f"No Desk database in {data_dir} (give --data-dir).")
    lock = InstanceLock(data_dir)
    if not lock.acquire():
        running = find_running(data_dir, wait_seconds=2)
        where = f" at {running.url}" if running and running.url else ""
        raise DeskError(
            f"Desk is running for {data_dir}{where}: import there (Settings → Data), or stop"
            " it first. Nothing was changed."
        )
    with lock:
        yield


@contextlib.contextmanager
def _source(path: Path) -> Iterator[IO[bytes]]:
    """The file, or standard input spooled to a temporary file (the import reads twice)."""
    if str(path) == "-":
        with tempfile.TemporaryFile() as spool:
            shutil.copyfileobj(sys.stdin.buffer, spool)
            spool.seek(0)
            yield spool
        return
    try:
        opened = path.open("rb")
    except OSError as exc:
        raise DeskError(f"Could not read {path}: {exc.strerror or exc}.") from None
    with opened:
        yield opened
