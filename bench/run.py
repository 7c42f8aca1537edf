"""`make bench`: Desk's performance on demo databases of 1,000 and 100,000 conversations.

For each size: build the demo database once (`desk demo`, cached in bench/.cache/ until the
generator or the schema changes), copy it, start a real `desk serve --port 0` on the copy
(all sizes' servers run at once), sign in as a demo agent over HTTP, and run every module of
BENCHMARKS on every size. Prints one markdown
table with both sizes and the 100k / 1k ratio of each latency. Targets are reported, never
asserted.

To add benchmarks: write a module with `run(ctx: bench.harness.Context) -> list[Row]`
(see bench/inbox.py; `ctx.measure(name, call)` times `ctx.requests` requests after a warm-up)
and append its name to BENCHMARKS. A module may set `ROUNDS = n` to be measured in n
alternating rounds per size (fairer ratios on a machine shared with other work).
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import shutil
import sqlite3
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    AGENT_EMAIL,
    CACHE,
    Context,
    Row,
    Server,
    demo_database,
    percentile,
    rss_mib,
    sign_in,
    start_server,
    working_copy,
)
from desk.services.demo.text import DEMO_PASSWORD

BENCHMARKS = [
    "bench.inbox",
    "bench.filters",
    "bench.overhead",
    "bench.fanout",
    "bench.analytics",
    "bench.widget",
    "bench.suggest_eval",
    "bench.ui",
    "bench.binary",
    "bench.email_channel",
    "bench.data",
    "bench.stalled",
    "bench.backup",
]
RSS_TARGET = "< 150 MB"


def log(text: str) -> None:
    print(f"bench: {text}", file=sys.stderr, flush=True)


@dataclass
class Subject:
    """One demo database under test, with its server and the rows measured so far."""

    size: int
    cached: Path
    server: Server
    ctx: Context
    rows: list[Row]


def prepare(size: int, requests: int) -> Subject:
    cached, built_seconds = demo_database(size, log)
    rows: list[Row] = []
    if built_seconds is not None:
        rows.append(Row("demo build (`desk demo`)", value=built_seconds, unit="s"))
    work = working_copy(cached, size)
    started = time.monotonic()
    server = start_server(work)
    rows.append(
        Row("start-up to /api/health", value=time.monotonic() - started, unit="s", target="≤ 2 s")
    )
    client = sign_in(server.url, AGENT_EMAIL, DEMO_PASSWORD)
    pid = server.process.pid
    ctx = Context(size, server.url, pid, work, client, DEMO_PASSWORD, requests=requests)
    rows.append(Row("server RSS, idle", value=rss_mib(pid), unit="MiB", target=RSS_TARGET))
    return Subject(size, cached, server, ctx, rows)


def run_module(name: str, subjects: list[Subject], requests: int) -> None:
    """Run a module on every size. A module with `ROUNDS = n` runs n times with requests/n
    each, alternating the sizes (ABBA), so a burst of load from other processes hits every
    size alike; its rows are then pooled (latency samples merged, values averaged)."""
    module = importlib.import_module(name)
    rounds = max(1, int(getattr(module, "ROUNDS", 1)))
    passes: dict[int, list[list[Row]]] = {s.size: [] for s in subjects}
    for number in range(rounds):
        for subject in subjects if number % 2 == 0 else subjects[::-1]:
            subject.ctx.requests = max(1, requests // rounds)
            subject.ctx.warmup = 20 if number == 0 else 5
            log(f"{subject.size:,} conversations: {name} ({number + 1}/{rounds})")
            passes[subject.size].append(module.run(subject.ctx))
    for subject in subjects:
        subject.ctx.requests, subject.ctx.warmup = requests, 20
        subject.rows.extend(pool(passes[subject.size]))


def pool(passes: list[list[Row]]) -> list[Row]:
    if len(passes) == 1:
        return passes[0]
    pooled = []
    for first in passes[0]:
        same = [row for rows in passes for row in rows if row.name == first.name]
        samples = [ms for row in same for ms in row.samples]
        if samples:
            p50, p95 = percentile(samples, 50), percentile(samples, 95)
            pooled.append(Row(first.name, p50, p95, target=first.target, samples=samples))
        else:
            value = sum(row.value or 0.0 for row in same) / len(same)
            pooled.append(Row(first.name, value=value, unit=first.unit, target=first.target))
    return pooled


def finish(subject: Subject) -> list[Row]:
    pid = subject.server.process.pid
    subject.rows.append(
        Row("server RSS, after the run", value=rss_mib(pid), unit="MiB", target=RSS_TARGET)
    )
    subject.ctx.client.close()
    subject.server.stop()
    shutil.rmtree(subject.ctx.data_dir, ignore_errors=True)  # the working copy, not the cache
    size_mb = (subject.cached / "desk.db").stat().st_size / 1e6
    subject.rows.append(Row("database size (desk.db)", value=size_mb, unit="MB"))
    return subject.rows


def bench(sizes: list[int], modules: list[str], requests: int) -> dict[int, list[Row]]:
    """Every size's server runs at once, so each module is measured on all sizes together."""
    subjects: list[Subject] = []
    try:
        for size in sizes:
            subjects.append(prepare(size, requests))
        for name in modules:
            run_module(name, subjects, requests)
        return {subject.size: finish(subject) for subject in subjects}
    finally:
        for subject in subjects:
            subject.server.stop()


def _cell(row: Row | None) -> list[str]:
    if row is None:
        return ["", ""]
    if row.p50_ms is not None and row.p95_ms is not None:
        return [f"{row.p50_ms:.1f}", f"{row.p95_ms:.1f}"]
    value = row.value or 0.0
    shown = f"{value:,.0f}" if value >= 100 else f"{value:.2g}" if value < 1 else f"{value:.1f}"
    return [f"{shown} {row.unit}".strip(), ""]


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
    load_before = _load()
    results = bench(sizes, modules, args.requests)
    print(
        f"Desk benchmarks, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
        f"{platform.machine()}, {_cores()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}; {args.requests} timed requests per latency row "
        f"after a warm-up, one client (except the concurrent row). Load average before / "
        f"after: {load_before} / {_load()} (other processes share these cores).\n"
    )
    print(table(sizes, results))
    out = CACHE / "results.json"
    raw = {str(size): [_plain(row) for row in rows] for size, rows in results.items()}
    out.write_text(json.dumps(raw, indent=1))
    log(f"raw figures in {out}")
    return 0


def _plain(row: Row) -> dict[str, object]:
    fields = asdict(row)
    fields.pop("samples")
    return fields


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    sys.exit(main())
