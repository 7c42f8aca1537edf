"""`make bench`: Desk's performance on demo databases of 1,000 and 100,000 conversations.

For each size: build the demo database once (`desk demo`, cached in bench/.cache/ until the
generator or the schema changes), copy it, start a real `desk serve --port 0` on the copy,
sign in as a demo agent over HTTP, and run every module of BENCHMARKS. Prints one markdown
table with both sizes and the 100k / 1k ratio of each latency. Targets are reported, never
asserted.

To add benchmarks: write a module with `run(ctx: bench.harness.Context) -> list[Row]`
(see bench/inbox.py; `ctx.measure(name, call)` times `ctx.requests` requests after a warm-up)
and append its name to BENCHMARKS.
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import sqlite3
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    AGENT_EMAIL,
    CACHE,
    Context,
    Row,
    demo_database,
    rss_mib,
    sign_in,
    start_server,
    working_copy,
)
from desk.services.demo_text import DEMO_PASSWORD

BENCHMARKS = [
    "bench.inbox",
]
RSS_TARGET = "< 150 MB"


def log(text: str) -> None:
    print(f"bench: {text}", file=sys.stderr, flush=True)


def bench_size(size: int, modules: list[str], requests: int) -> list[Row]:
    cached, built_seconds = demo_database(size, log)
    rows: list[Row] = []
    if built_seconds is not None:
        rows.append(Row("demo build (`desk demo`)", value=built_seconds, unit="s"))
    work = working_copy(cached, size)
    server = start_server(work)
    try:
        client = sign_in(server.url, AGENT_EMAIL, DEMO_PASSWORD)
        pid = server.process.pid
        ctx = Context(size, server.url, pid, work, client, DEMO_PASSWORD, requests=requests)
        rows.append(Row("server RSS, idle", value=rss_mib(pid), unit="MiB", target=RSS_TARGET))
        for name in modules:
            log(f"{size:,} conversations: {name}")
            rows.extend(importlib.import_module(name).run(ctx))
        rows.append(
            Row("server RSS, after the run", value=rss_mib(pid), unit="MiB", target=RSS_TARGET)
        )
        client.close()
    finally:
        server.stop()
    size_mb = (cached / "desk.db").stat().st_size / 1e6
    rows.append(Row("database size (desk.db)", value=size_mb, unit="MB"))
    return rows


def _cell(row: Row | None) -> list[str]:
    if row is None:
        return ["", ""]
    if row.p50_ms is not None and row.p95_ms is not None:
        return [f"{row.p50_ms:.1f}", f"{row.p95_ms:.1f}"]
    value = row.value or 0.0
    return [f"{value:,.0f} {row.unit}" if value >= 100 else f"{value:.1f} {row.unit}", ""]


def _ratio(first: Row | None, last: Row | None) -> str:
    if first is None or last is None or first.p95_ms is None or last.p95_ms is None:
        return ""
    assert first.p50_ms and last.p50_ms is not None
    return f"{last.p50_ms / first.p50_ms:.2f} / {last.p95_ms / first.p95_ms:.2f}"


def table(sizes: Sequence[int], results: dict[int, list[Row]]) -> str:
    names: list[str] = []
    for size in sizes:
        names += [row.name for row in results[size] if row.name not in names]
    short = [f"{size // 1000}k" if size >= 1000 else str(size) for size in sizes]
    header = ["measure"]
    for label in short:
        header += [f"{label} p50 ms", f"{label} p95 ms"]
    header += [f"{short[-1]}/{short[0]} p50 / p95", "target"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name in names:
        by_size = {size: next((r for r in results[size] if r.name == name), None) for size in sizes}
        cells = [name]
        for size in sizes:
            cells += _cell(by_size[size])
        target = next((r.target for r in by_size.values() if r and r.target), "")
        cells += [_ratio(by_size[sizes[0]], by_size[sizes[-1]]), target]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,100000", help="comma-separated sizes")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per row")
    parser.add_argument("--only", action="append", help="run only these modules")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    modules = args.only or BENCHMARKS
    results = {size: bench_size(size, modules, args.requests) for size in sizes}
    print(
        f"Desk benchmarks, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
        f"{platform.machine()}, {_cores()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}; {args.requests} timed requests per latency row "
        f"after a warm-up, one client (except the concurrent row).\n"
    )
    print(table(sizes, results))
    out = CACHE / "results.json"
    out.write_text(json.dumps({str(s): [asdict(r) for r in rows] for s, rows in results.items()}))
    log(f"raw figures in {out}")
    return 0


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    sys.exit(main())
