"""Data in and out (issue 12): a 100,000-row contacts CSV imported (a dry run, then for real)
and the demo exported (the whole workspace as JSON, the conversations as CSV), each by `desk`
run as its own process on the size's working copy (the import on a copy of it: it refuses a
data dir a Desk serves): wall time and the process's peak RSS (its
high-water mark, from wait4). Both read and write a page or a chunk at a time, so the peak
should not grow with the data: compare the sizes' columns. The workspace export is also
fetched over HTTP as the demo admin (time, and the server's RSS after it)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bench.harness import CACHE, Context, Row, rss_mib, sign_in

ROWS = 100_000
ADMIN_EMAIL = "priya@demo.desk.example"  # the demo's admin (exports are for admins)
FLAT = "flat (same at every size)"


def contacts_file() -> Path:
    """A 100,000-row CSV (built once): name,email,phone,company,plan, a few bad lines."""
    path = CACHE / f"contacts-{ROWS}.csv"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8", newline="") as out:
        out.write("name,email,phone,company,plan\n")
        for i in range(ROWS):
            email = f"import{i}@bulk.example" if i % 1000 else "not-an-email"
            out.write(f"Imported Person {i},{email},+1 555 {i:06d},Company {i % 500},tier{i % 3}\n")
    partial.rename(path)
    return path


def desk_process(
    ctx: Context, *args: str, data_dir: Path | None = None
) -> tuple[float, float, str]:
    """`desk ARGS --data-dir DIR` (the size's copy by default) to its end: (seconds, peak RSS
    in MiB, stdout)."""
    data_dir = data_dir or ctx.data_dir
    printed = CACHE / "bench-stdout.txt"
    with printed.open("w") as stdout:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "desk", *args, "--data-dir", str(data_dir)],
            stdout=stdout, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        _, status, usage = os.wait4(process.pid, 0)  # this child's own rusage
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"desk {' '.join(args)} failed ({process.returncode})")
    return seconds, usage.ru_maxrss / 1024, printed.read_text()


def run(ctx: Context) -> list[Row]:
    rows: list[Row] = []
    out = ctx.data_dir / "bench-export.out"
    for kind, label in (("workspace", "workspace.json"), ("conversations", "conversations.csv")):
        seconds, peak, _ = desk_process(ctx, "export", kind, "-o", str(out))
        size_mb = out.stat().st_size / 1e6
        rows.append(Row(f"export {label} (desk export), time", value=seconds, unit="s"))
        rows.append(Row(f"export {label}, file size", value=size_mb, unit="MB"))
        rows.append(Row(f"export {label}, peak RSS", value=peak, unit="MiB", target=FLAT))
    out.unlink(missing_ok=True)
    rows += http_export(ctx)
    source = contacts_file()
    # `desk import-contacts` refuses a data dir a Desk serves: it imports into a copy.
    copy = CACHE / f"import-{ctx.size}"
    shutil.rmtree(copy, ignore_errors=True)
    copy.mkdir(parents=True)
    with sqlite3.connect(ctx.data_dir / "desk.db") as live, sqlite3.connect(copy / "desk.db") as to:
        live.backup(to)  # consistent while the server runs
    for dry in (True, False):
        args = ["import-contacts", str(source), *(["--dry-run"] if dry else [])]
        seconds, peak, printed = desk_process(ctx, *args, data_dir=copy)
        what = "dry run" if dry else "import"
        rows.append(
            Row(f"contacts CSV {ROWS // 1000}k rows, {what}, time", value=seconds, unit="s")
        )
        rows.append(Row(f"contacts CSV {ROWS // 1000}k rows, {what}, peak RSS", value=peak,
                        unit="MiB", target=FLAT))  # fmt: skip
        if "99,900" not in printed:  # 100 of the rows are bad emails, skipped
            raise RuntimeError(f"unexpected import report: {printed}")
    shutil.rmtree(copy, ignore_errors=True)
    return rows


def http_export(ctx: Context) -> list[Row]:
    """GET /api/export/workspace.json streamed by the server, read and dropped."""
    admin = sign_in(ctx.url, ADMIN_EMAIL, ctx.password)
    try:
        before = rss_mib(ctx.pid)
        started = time.perf_counter()
        total = 0
        with admin.stream("GET", "/api/export/workspace.json", timeout=600) as response:
            response.raise_for_status()
            for chunk in response.iter_bytes():
                total += len(chunk)
        seconds = time.perf_counter() - started
        after = rss_mib(ctx.pid)
    finally:
        admin.close()
    return [
        Row("GET /api/export/workspace.json, time", value=seconds, unit="s"),
        Row("server RSS growth over that export", value=after - before, unit="MiB", target=FLAT),
    ]
