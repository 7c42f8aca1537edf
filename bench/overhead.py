"""Desk's request overhead: `wrk` against Desk and against a bare Litestar app doing the same
work on the same file (bench/bare_app.py, the framework's ceiling), in the same run.

Each route is measured in alternating rounds (bare, Desk, Desk, bare, ...), so a burst of other
work on this shared machine hits both alike; the rows give the mean of each side's req/s and
Desk's share of the bare figure, and each server's CPU time per request (from /proc, user +
system), which other work on the machine disturbs far less than req/s: the bare app's CPU per
request over Desk's is the share of the ceiling Desk would reach on idle cores. wrk:
keep-alive, 2 threads, 16 connections, WRK_SECONDS each.

Standalone: `python bench/overhead.py [--size 100000] [--seconds 8] [--rounds 2]` builds (or
reuses) the cached demo database, starts `desk serve` and the bare app, and prints the rows.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import ROOT, Context, Row

WRK_SECONDS = int(os.environ.get("DESK_BENCH_WRK_SECONDS", "8"))
WRK_ROUNDS = int(os.environ.get("DESK_BENCH_WRK_ROUNDS", "2"))
CONNECTIONS = 16
ROUTES = (
    ("/api/health", "`GET /api/health`", 70),
    ("/api/conversations", "`GET /api/conversations` (default, 25 rows)", 60),
)
_RATE = re.compile(r"Requests/sec:\s+([0-9.]+)")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+([0-9]+)")
_MADE = re.compile(r"([0-9]+) requests in ")


def wrk(url: str, cookie: str | None, seconds: int, check: bool = True) -> tuple[float, int]:
    """Requests per second and requests made by `wrk` on one URL; every answer must be 2xx."""
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "20s"]
    if cookie:
        command += ["-H", f"Cookie: desk_session={cookie}"]
    out = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    if not check:
        return 0.0, 0
    bad, rate, made = _NON_2XX.search(out), _RATE.search(out), _MADE.search(out)
    if bad or rate is None or made is None or float(rate.group(1)) <= 0:
        raise RuntimeError(f"wrk {url}: unexpected answers:\n{out}")
    return float(rate.group(1)), int(made.group(1))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Side:
    """One server's figures for one route, over the rounds."""

    url: str
    pid: int
    cookie: str | None
    rates: list[float] = field(default_factory=list)
    requests: int = 0
    cpu: float = 0.0

    def measure(self, path: str, seconds: int) -> None:
        before = cpu_seconds(self.pid)
        rate, made = wrk(self.url + path, self.cookie, seconds)
        self.cpu += cpu_seconds(self.pid) - before
        self.rates.append(rate)
        self.requests += made

    @property
    def rate(self) -> float:
        return sum(self.rates) / len(self.rates)

    @property
    def cpu_us(self) -> float:
        """Server CPU per request (µs): steadier than req/s when other work shares the cores."""
        return 1e6 * self.cpu / self.requests


class BareApp:
    """bench/bare_app.py on a data dir, until stopped."""

    def __init__(self, data_dir: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "bare_app.py"), str(data_dir)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if not line.startswith("Open "):
            self.stop()
            raise RuntimeError(f"bare app did not start: {line}")
        self.url = line.removeprefix("Open ").rstrip("/")
        threading.Thread(target=self.process.stdout.read, daemon=True).start()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def run(ctx: Context) -> list[Row]:
    if shutil.which("wrk") is None:
        raise RuntimeError("bench.overhead needs wrk (Debian: apt install wrk)")
    cookie = ctx.client.cookies.get("desk_session")
    bare = BareApp(ctx.data_dir)
    rows: list[Row] = []
    try:
        for path, label, goal in ROUTES:
            for url in (bare.url, ctx.url):  # warm both (threads, connections, page cache)
                ctx.client.get(url + path).raise_for_status()
                wrk(url + path, cookie, 2, check=False)
            plain = Side(bare.url, bare.process.pid, None)
            desk = Side(ctx.url, ctx.pid, cookie)
            for number in range(WRK_ROUNDS):
                for side in (plain, desk) if number % 2 == 0 else (desk, plain):
                    side.measure(path, WRK_SECONDS)
            rows += [
                Row(f"{label}: Desk, wrk -c{CONNECTIONS}", value=desk.rate, unit="req/s"),
                Row(f"{label}: bare Litestar, same run", value=plain.rate, unit="req/s"),
                Row(
                    f"{label}: Desk / bare, req/s",
                    value=100 * desk.rate / plain.rate,
                    unit="%",
                    target=f">= {goal}%",
                ),
                Row(f"{label}: Desk, server CPU per request", value=desk.cpu_us, unit="µs"),
                Row(f"{label}: bare, server CPU per request", value=plain.cpu_us, unit="µs"),
                Row(
                    f"{label}: bare / Desk, CPU per request",
                    value=100 * plain.cpu_us / desk.cpu_us,
                    unit="%",
                    target=f">= {goal}%",
                ),
            ]
    finally:
        bare.stop()
    return rows


def main() -> int:
    import argparse

    from bench.harness import run_alone

    global WRK_SECONDS, WRK_ROUNDS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=WRK_SECONDS)
    parser.add_argument("--rounds", type=int, default=WRK_ROUNDS)
    args = parser.parse_args()
    WRK_SECONDS, WRK_ROUNDS = args.seconds, args.rounds
    return run_alone(run, args.size)


if __name__ == "__main__":
    sys.exit(main())
