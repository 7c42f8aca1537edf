"""Importing contacts from CSV (admin): `name,email,phone,company` plus any other column as a
string custom attribute. Rows match existing contacts by email (case-insensitive, the file's
own earlier rows included); a match gets its non-empty cells, anything else is created. A row
that breaks a rule is skipped with its line number (the header is line 1) and why; the rest go
in, in one transaction. A dry run does exactly the same work and rolls it back, so its report
is what the import would do.

The file is read from a seekable binary file twice, a chunk at a time (memory stays flat,
whatever its size): once to check it is UTF-8 text and count its lines (for progress), then
row by row into the database.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable
from typing import IO, Any

import msgspec

from desk.errors import Invalid
from desk.services.desk import Desk
from desk.store import contacts as contacts_store
from desk.store import search as search_store
from desk.validation import clean_attributes, clean_contact_text, clean_optional_email

STANDARD = ("name", "email", "phone", "company")
MAX_SKIPPED = 1000  # lines listed in the report; `skipped_total` counts them all
CHUNK = 1024 * 1024
PROGRESS_EVERY = 1000  # lines between two progress calls, at least

# progress(lines_done, lines_total): called every PROGRESS_EVERY lines and once at the end
Progress = Callable[[int, int], None]


class Skipped(msgspec.Struct, kw_only=True):
    line: int
    error: str


class ImportReport(msgspec.Struct, kw_only=True):
    created: int = 0
    updated: int = 0
    skipped: list[Skipped] = msgspec.field(default_factory=list)
    skipped_total: int = 0
    dry_run: bool = False


class _RollBack(Exception):
    pass


def count_lines(source: IO[bytes]) -> int:
    """Check the file is UTF-8 text without NUL bytes (else Invalid) and count its lines;
    leaves the file at its start."""
    source.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines, last = 0, b""
    while chunk := source.read(CHUNK):
        if b"\x00" in chunk:
            raise Invalid("The file is not text (it contains NUL bytes).", "file", "csv_not_text")
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError:
            raise Invalid("The file must be UTF-8 text.", "file", "csv_not_text") from None
        lines += chunk.count(b"\n")
        last = chunk[-1:]
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise Invalid("The file must be UTF-8 text.", "file", "csv_not_text") from None
    source.seek(0)
    return lines + (1 if last not in (b"", b"\n") else 0)


def _header(reader: Any) -> list[str]:
    try:
        header = next(reader)
    except StopIteration:
        raise Invalid(
            "The file is empty: the first line names the columns.", "file", "file_empty"
        ) from None
    except csv.Error as exc:
        raise Invalid(f"The header line is not valid CSV: {exc}.", "file", "csv_invalid") from None
    names = [cell.strip().lower() for cell in header]
    if not set(names) & set(STANDARD[:3]):
        raise Invalid(
            "The first line must name a name, email or phone column.", "file", "csv_columns"
        )
    if len(set(names)) != len(names) or "" in names:
        raise Invalid(
            "Every column needs a name of its own in the first line.", "file", "csv_columns"
        )
    return names


def import_contacts(
    desk: Desk, source: IO[bytes] | bytes, dry_run: bool, progress: Progress | None = None
) -> ImportReport:
    """Import (or with `dry_run`, only report) the CSV in `source`, a seekable binary file."""
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    total = count_lines(source)
    text = io.TextIOWrapper(source, encoding="utf-8-sig", newline="")
    try:
        reader = csv.reader(text, strict=True)
        names = _header(reader)
        report = ImportReport(dry_run=dry_run)
        try:
            with desk.db.write() as conn:
                _rows(desk, conn, reader, names, report, _Tick(progress, total))
                if dry_run:
                    raise _RollBack
        except _RollBack:
            pass
    finally:
        text.detach()  # the caller owns (and closes) the file
    if progress is not None:
        progress(total, total)
    return report


def progress_events(desk: Desk, agent_id: int, dry_run: bool) -> Progress:
    """Progress as `import.progress` events `{"dry_run", "done", "total"}` on the importing
    agent's own streams (lines read of the file's lines)."""

    def publish(done: int, total: int) -> None:
        data = {"dry_run": dry_run, "done": done, "total": total}
        desk.events.publish("import.progress", data, agent_id=agent_id)

    return publish


class _Tick:
    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total = progress, total
        self.step = max(PROGRESS_EVERY, total // 100)  # at most ~100 calls
        self.next = self.step

    def __call__(self, line: int) -> None:
        if self.progress is not None and line >= self.next:
            self.next = line + self.step
            self.progress(min(line, self.total), self.total)


def _skip(report: ImportReport, line: int, error: str) -> None:
    report.skipped_total += 1
    if len(report.skipped) < MAX_SKIPPED:
        report.skipped.append(Skipped(line=line, error=error))


def _rows(
    desk: Desk, conn: Any, reader: Any, names: list[str], report: ImportReport, tick: _Tick
) -> None:
    now = desk.now_iso()
    while True:
        line = reader.line_num + 1
        tick(line)
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            _skip(report, line, f"Not valid CSV from here on ({exc}); the rest was not read.")
            return
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        if len(row) != len(names):
            _skip(report, line, f"Expected {len(names)} cells, found {len(row)}.")
            continue
        cells = {name: cell.strip() for name, cell in zip(names, row, strict=True)}
        try:
            _one(conn, cells, report, now)
        except Invalid as exc:
            _skip(report, line, exc.message)


def _one(conn: Any, cells: dict[str, str], report: ImportReport, now: str) -> None:
    name = clean_contact_text(cells.get("name") or None, "name")
    email = clean_optional_email(cells.get("email") or None)
    phone = clean_contact_text(cells.get("phone") or None, "phone")
    company = clean_contact_text(cells.get("company") or None, "company")
    extra = {k: v for k, v in cells.items() if k not in STANDARD and v}
    existing = contacts_store.find_contact_id(conn, email=email) if email else None
    if existing is None:
        if not (name or email or phone):
            raise Invalid(
                "A contact needs a name, an email or a phone.", code="contact_needs_identity"
            )
        attributes = clean_attributes(dict(extra))
        contacts_store.insert_contact(
            conn,
            name=name,
            email=email,
            phone=phone,
            company=company,
            custom_attributes=attributes,
            now=now,
        )
        report.created += 1
        return
    current = contacts_store.get_contact(conn, existing)
    assert current is not None
    columns: dict[str, Any] = {
        key: value
        for key, value in (("name", name), ("phone", phone), ("company", company))
        if value
    }
    if extra:
        columns["custom_attributes"] = clean_attributes(dict(extra), current.custom_attributes)
    contacts_store.update_contact(conn, existing, columns, now)
    if columns.keys() & {"name", "phone"}:
        search_store.refresh_people(conn, existing)
    report.updated += 1
