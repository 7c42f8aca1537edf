"""What every benchmark module gets: a real `desk serve` over a cached demo database, a
signed-in HTTP client, and helpers that time requests and turn them into table rows."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
SEED = 20261129
URL_LINE = re.compile(r"^Open (http://\S+)/$")
# The demo agent the benchmarks sign in as (a plain agent, not the admin).
AGENT_EMAIL = "sam@demo.desk.example"


@dataclass
class Row:
    """One line of the table: a latency (p50/p95 in ms) or a single value with its unit."""

    name: str
    p50_ms: float | None = None
    p95_ms: float | None = None
    value: float | None = None
    unit: str = ""
    target: str = ""
    samples: list[float] = field(default_factory=list, repr=False)  # raw timings, ms


@dataclass
class Context:
    size: int  # conversations in the demo database
    url: str
    pid: int
    data_dir: Path
    client: httpx.Client
    password: str
    requests: int = 200  # timed requests per latency row
    warmup: int = 20
    notes: list[str] = field(default_factory=list)

    def new_client(self) -> httpx.Client:
        """Another client sharing this one's session (for concurrent load)."""
        return httpx.Client(base_url=self.url, cookies=self.client.cookies, timeout=30)

    def rss_mib(self) -> float:
        return rss_mib(self.pid)

    def measure(
        self,
        name: str,
        call: Callable[[int], httpx.Response],
        target: str = "",
        before: Callable[[int], httpx.Response] | None = None,
    ) -> Row:
        """Time `call(i)` `requests` times after `warmup` untimed calls; every answer must be
        2xx (a benchmark of error pages would be meaningless). `before(i)`, if given, runs
        untimed ahead of each timed call (say, a write, so no cached answer survives)."""
        for i in range(self.warmup):
            _check(name, call(i))
        timings = []
        for i in range(self.requests):
            if before is not None:
                _check(f"{name} (before)", before(i))
            started = time.perf_counter()
            response = call(self.warmup + i)
            timings.append((time.perf_counter() - started) * 1000)
            _check(name, response)
        p50, p95 = percentile(timings, 50), percentile(timings, 95)
        return Row(name, p50, p95, target=target, samples=timings)


def _check(name: str, response: httpx.Response) -> None:
    if not response.is_success:
        raise RuntimeError(f"{name}: {response.status_code} {response.text[:200]}")


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def _demo_fingerprint() -> str:
    """Cached databases are rebuilt whenever the demo generator or the schema changes."""
    digest = hashlib.sha256()
    sources = sorted((ROOT / "desk" / "services" / "demo").glob("*.py"))
    sources += sorted((ROOT / "desk" / "store" / "migrations").glob("m*.py"))
    sources.append(ROOT / "desk" / "store" / "demo.py")
    for path in sources:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def demo_database(size: int, log: Callable[[str], None]) -> tuple[Path, float | None]:
    """The cached demo data dir for `size` conversations (built if missing), and the build
    time in seconds when it was built now."""
    target = CACHE / f"demo-{size}-{_demo_fingerprint()}"
    if (target / "desk.db").exists():
        return target, None
    for stale in CACHE.glob(f"demo-{size}-*"):
        shutil.rmtree(stale)
    building = CACHE / f"building-{size}"
    shutil.rmtree(building, ignore_errors=True)
    log(f"building the {size:,}-conversation demo database (cached in {target})")
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "desk", "demo", "--conversations", str(size), "--seed", str(SEED),
         "--data-dir", str(building)],
        check=True, stdout=subprocess.DEVNULL, env=_server_env(),
    )  # fmt: skip
    seconds = time.monotonic() - started
    building.rename(target)
    return target, seconds


def working_copy(cached: Path, size: int) -> Path:
    """Benchmarks write (replies): they run on a copy, so the cache stays as built."""
    work = CACHE / f"run-{size}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.copy2(cached / "desk.db", work / "desk.db")
    return work


def _server_env() -> dict[str, str]:
    # Production password hashing: the demo password is hashed at full argon2 cost.
    env = {k: v for k, v in os.environ.items() if k != "DESK_TEST_CHEAP_PASSWORDS"}
    env.setdefault("DESK_LOG_LEVEL", "WARNING")
    return env


@dataclass
class Server:
    process: subprocess.Popen[str]
    url: str

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(data_dir: Path, timeout: float = 60) -> Server:
    """`desk serve --port 0` on the data dir; returns once /api/health answers."""
    process = subprocess.Popen(
        [sys.executable, "-m", "desk", "serve", "--port", "0", "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=_server_env(),
    )  # fmt: skip
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    lines: list[str] = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError("desk serve exited:\n" + "".join(lines))
        lines.append(line)
        found = URL_LINE.match(line.strip())
        if found:
            threading.Thread(target=_drain, args=(process,), daemon=True).start()
            server = Server(process, found.group(1))
            _wait_healthy(server.url, deadline)
            return server
    process.kill()
    raise RuntimeError("desk serve did not print its URL:\n" + "".join(lines))


def _drain(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        sys.stderr.write(f"  [server] {line}")


def _wait_healthy(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/api/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise RuntimeError("desk serve never answered /api/health")


def sign_in(url: str, email: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30)
    response = client.post("/api/auth/login", json={"email": email, "password": password})
    _check("sign in", response)
    return client


def run_alone(run: Callable[[Context], list[Row]], size: int, requests: int = 200) -> int:
    """A benchmark module's rows by themselves (`python bench/NAME.py`): a fresh server over
    the cached demo of `size` conversations, the rows printed, the server stopped."""
    from desk.services.demo.text import DEMO_PASSWORD

    cached, _ = demo_database(size, lambda text: print(text, file=sys.stderr))
    work = working_copy(cached, size)
    server = start_server(work)
    try:
        client = sign_in(server.url, AGENT_EMAIL, DEMO_PASSWORD)
        ctx = Context(size, server.url, server.process.pid, work, client, DEMO_PASSWORD, requests)
        for row in run(ctx):
            if row.p50_ms is not None:
                print(f"{row.name}: p50 {row.p50_ms:,.1f} ms, p95 {row.p95_ms:,.1f} ms")
            else:
                print(f"{row.name}: {row.value:,.1f} {row.unit}")
        for note in ctx.notes:
            print(note)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0
