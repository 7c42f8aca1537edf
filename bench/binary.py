"""Figures of the single executable: size, start to first /api/health, idle memory.

    python bench/binary.py [--runs 5] [--executable dist/desk]

Builds dist/desk first when it is missing or stale (`make binary`). Targets: under 40 MB,
under 1.5 s to the first /api/health answer, under 80 MB resident when idle. `run(ctx)` gives
the same figures as rows of bench/run.py's table.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `python bench/binary.py` as well as `import bench.binary`
DEFAULT_EXECUTABLE = ROOT / "dist" / "desk"
TARGETS = {"size_mb": 40.0, "start_s": 1.5, "idle_rss_mb": 80.0}
URL_LINE = re.compile(r"^Open (http://\S+/)$")


def _stale(executable: Path) -> bool:
    if not executable.exists():
        return True
    sources = [*(ROOT / "desk").rglob("*.py"), ROOT / "desk.spec", ROOT / "pyproject.toml"]
    return max(p.stat().st_mtime for p in sources) > executable.stat().st_mtime


def build(executable: Path) -> None:
    """`make binary` when dist/desk is missing or older than the sources."""
    if executable != DEFAULT_EXECUTABLE or not _stale(executable):
        return
    print("building dist/desk (make binary) ...", file=sys.stderr, flush=True)
    subprocess.run(["make", "-C", str(ROOT), "binary"], check=True, stdout=subprocess.DEVNULL)


def _rss_kb(pid: int) -> int:
    """Resident memory of a process and its children (the one-file bootloader's Python)."""
    total = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return total
    return total + sum(_rss_kb(int(child)) for child in children)


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children so far: unlike wall time, it
    hardly moves with what else the machine is doing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(_cpu_seconds(int(child)) for child in children)


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "api/health", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def start_once(executable: Path, data_dir: Path) -> tuple[float, float, subprocess.Popen[str]]:
    """Start `desk serve --port 0`: wall seconds until /api/health answered, CPU seconds."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(executable), "serve", "--port", "0", "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        found = URL_LINE.match(line.strip())
        if found:
            url = found.group(1)
            while not _healthy(url):
                if time.perf_counter() - started > 60:
                    raise RuntimeError("no /api/health answer within 60 s")
                time.sleep(0.005)
            return time.perf_counter() - started, _cpu_seconds(process.pid), process
    raise RuntimeError("desk exited before serving")


def stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def measure(executable: Path, runs: int = 5, idle_seconds: float = 3.0) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="desk-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        first, _, process = start_once(executable, data_dir)  # creates and migrates desk.db
        stop(process)
        starts, cpu = [], []
        for _ in range(runs):
            seconds, cpu_seconds, process = start_once(executable, data_dir)
            starts.append(seconds)
            cpu.append(cpu_seconds)
            stop(process)
        _, _, process = start_once(executable, data_dir)
        time.sleep(idle_seconds)  # let start-up work (daily backup, GC) settle: idle memory
        rss_mb = _rss_kb(process.pid) / 1024
        stop(process)
    return {
        "size_mb": executable.stat().st_size / 1e6,
        "first_start_s": first,
        "start_s": statistics.median(starts),
        "start_max_s": max(starts),
        "start_cpu_s": statistics.median(cpu),
        "load_average": os.getloadavg()[0],
        "idle_rss_mb": rss_mb,
        "runs": runs,
    }


def report(figures: dict[str, Any]) -> None:
    print(f"binary size:             {figures['size_mb']:.1f} MB (target < 40)")
    print(f"first start (new data):  {figures['first_start_s']:.2f} s")
    print(
        f"start -> /api/health:    {figures['start_s']:.2f} s median, "
        f"{figures['start_max_s']:.2f} s max of {figures['runs']} (target < 1.5)"
    )
    print(f"start CPU time:          {figures['start_cpu_s']:.2f} s median (user + system)")
    print(f"idle memory (RSS):       {figures['idle_rss_mb']:.1f} MB (target < 80)")
    print(f"load average meanwhile:  {figures['load_average']:.1f} on {os.cpu_count()} CPUs")
    missed = [name for name, limit in TARGETS.items() if figures[name] >= limit]
    print("targets: " + ("all met" if not missed else "MISSED " + ", ".join(missed)))


_figures: dict[str, Any] = {}


def run(ctx: object = None) -> list[Any]:
    """Entry for bench/run.py (append "bench.binary" to BENCHMARKS): rows for its table.
    The executable does not depend on the database size: measured once, reused per size."""
    from bench.harness import Row

    if not _figures:
        build(DEFAULT_EXECUTABLE)
        _figures.update(measure(DEFAULT_EXECUTABLE))
    return [
        Row("executable size (dist/desk)", value=_figures["size_mb"], unit="MB", target="< 40 MB"),
        Row(
            "executable start to /api/health", value=_figures["start_s"], unit="s", target="< 1.5 s"
        ),
        Row("executable idle RSS", value=_figures["idle_rss_mb"], unit="MiB", target="< 80 MB"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--executable", type=Path, default=DEFAULT_EXECUTABLE)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    build(args.executable)
    figures = measure(args.executable, args.runs)
    report(figures)
    return 0 if all(figures[k] < v for k, v in TARGETS.items()) else 1


if __name__ == "__main__":
    os.environ.setdefault("DESK_LOG_LEVEL", "WARNING")
    raise SystemExit(main())
