"""Figures of the single executable: size, start to first /api/health (and how much of it
is the one-file unpacking), idle memory, and the window: shown, and the UI loaded in it.

    python bench/binary.py [--runs 5] [--executable dist/desk]

Builds dist/desk first when it is missing or stale (`make binary`). Targets: under 40 MB,
under 1 s to the first /api/health answer (median of 5), under 80 MB resident when idle, the
window shown within 2 s. The window figures need an X display: $DISPLAY, else a virtual one
(Xvfb) started here; with neither, or without xdotool, they are left out. `run(ctx)` gives the
same figures as rows of bench/run.py's table.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `python bench/binary.py` as well as `import bench.binary`
DEFAULT_EXECUTABLE = ROOT / "dist" / "desk"
TARGETS = {"size_mb": 40.0, "start_s": 1.0, "idle_rss_mb": 80.0, "window_shown_s": 2.0}
URL_LINE = re.compile(r"^Open (http://\S+/)$")


def _stale(executable: Path) -> bool:
    if not executable.exists():
        return True
    sources = [
        *(ROOT / "desk").rglob("*.py"),
        *(ROOT / "desk" / "assets").iterdir(),
        ROOT / "build" / "entry.py",
        ROOT / "desk.spec",
        ROOT / "pyproject.toml",
    ]
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


def _start_ticks(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])


def _unpack_seconds(pid: int) -> float:
    """The one-file bootloader unpacks the bundle, then starts its Python as a child: the
    gap between the two processes' start times (kernel ticks, 10 ms) is the unpacking."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        if not children:
            return 0.0
        ticks = _start_ticks(int(children[0])) - _start_ticks(pid)
    except OSError:
        return 0.0
    return ticks / os.sysconf("SC_CLK_TCK")


def start_once(
    executable: Path, data_dir: Path
) -> tuple[float, float, float, subprocess.Popen[str]]:
    """Start `desk serve --port 0`: wall seconds until /api/health answered, CPU seconds,
    seconds of unpacking."""
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
            wall = time.perf_counter() - started
            return wall, _cpu_seconds(process.pid), _unpack_seconds(process.pid), process
    raise RuntimeError("desk exited before serving")


def stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def x_display() -> Iterator[str | None]:
    """$DISPLAY, else a virtual X display (Xvfb) for the duration; None without either."""
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        yield None
        return
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_end), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as numbers:
        number = numbers.readline().strip()
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(10)


def _window_visible(display: str) -> bool:
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", "^Desk"],
        capture_output=True,
        env={**os.environ, "DISPLAY": display},
        timeout=10,
    )
    return bool(found.stdout.strip())


def window_once(executable: Path, data_dir: Path, display: str) -> tuple[float, float]:
    """`desk --close-after-load` on `display`: seconds until its window is on screen (mapped,
    polled with xdotool), and until the UI had loaded in it (the line --close-after-load
    prints). The window then closes by itself."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(executable), "--data-dir", str(data_dir), "--close-after-load"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "DISPLAY": display, "WAYLAND_DISPLAY": ""},
    )
    loaded: list[float] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("Window loaded "):
                loaded.append(time.perf_counter() - started)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    shown = None
    while shown is None and process.poll() is None and not loaded:
        if _window_visible(display):
            shown = time.perf_counter() - started
        elif time.perf_counter() - started > 60:
            break
        else:
            time.sleep(0.01)
    code = process.wait(60)
    reader.join(10)
    if shown is None or not loaded or code != 0:
        raise RuntimeError(f"the window did not show and load (exit code {code})")
    return shown, loaded[0]


def measure_window(executable: Path, data_dir: Path, runs: int = 3) -> dict[str, Any]:
    with x_display() as display:
        if display is None or shutil.which("xdotool") is None:
            return {}
        timings = [window_once(executable, data_dir, display) for _ in range(runs)]
    return {
        "window_shown_s": statistics.median(t[0] for t in timings),
        "window_loaded_s": statistics.median(t[1] for t in timings),
        "window_runs": runs,
    }


def measure(executable: Path, runs: int = 5, idle_seconds: float = 3.0) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="desk-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        first, _, _, process = start_once(executable, data_dir)  # creates and migrates desk.db
        stop(process)
        starts, cpu, unpack = [], [], []
        for _ in range(runs):
            seconds, cpu_seconds, unpack_seconds, process = start_once(executable, data_dir)
            starts.append(seconds)
            cpu.append(cpu_seconds)
            unpack.append(unpack_seconds)
            stop(process)
        _, _, _, process = start_once(executable, data_dir)
        time.sleep(idle_seconds)  # let start-up work (daily backup, GC) settle: idle memory
        rss_mb = _rss_kb(process.pid) / 1024
        stop(process)
        window = measure_window(executable, data_dir)
    return {
        "size_mb": executable.stat().st_size / 1e6,
        "first_start_s": first,
        "start_s": statistics.median(starts),
        "start_max_s": max(starts),
        "start_cpu_s": statistics.median(cpu),
        "unpack_s": statistics.median(unpack),
        "load_average": os.getloadavg()[0],
        "idle_rss_mb": rss_mb,
        "runs": runs,
        **window,
    }


def report(figures: dict[str, Any]) -> None:
    print(f"binary size:             {figures['size_mb']:.1f} MB (target < 40)")
    print(f"first start (new data):  {figures['first_start_s']:.2f} s")
    print(
        f"start -> /api/health:    {figures['start_s']:.2f} s median, "
        f"{figures['start_max_s']:.2f} s max of {figures['runs']} (target < 1)"
    )
    print(f"  of which unpacking:    {figures['unpack_s']:.2f} s median")
    print(f"start CPU time:          {figures['start_cpu_s']:.2f} s median (user + system)")
    print(f"idle memory (RSS):       {figures['idle_rss_mb']:.1f} MB (target < 80)")
    if "window_shown_s" in figures:
        print(
            f"window shown:            {figures['window_shown_s']:.2f} s median of "
            f"{figures['window_runs']} (target < 2); UI loaded in it: "
            f"{figures['window_loaded_s']:.2f} s"
        )
    else:
        print("window shown:            not measured (no X display: Xvfb, and xdotool needed)")
    print(f"load average meanwhile:  {figures['load_average']:.1f} on {os.cpu_count()} CPUs")
    missed = [name for name, limit in TARGETS.items() if figures.get(name, 0) >= limit]
    print("targets: " + ("all met" if not missed else "MISSED " + ", ".join(missed)))


_figures: dict[str, Any] = {}


def run(ctx: object = None) -> list[Any]:
    """Entry for bench/run.py (append "bench.binary" to BENCHMARKS): rows for its table.
    The executable does not depend on the database size: measured once, reused per size."""
    from bench.harness import Row

    if not _figures:
        build(DEFAULT_EXECUTABLE)
        _figures.update(measure(DEFAULT_EXECUTABLE))
    rows = [
        Row("executable size (dist/desk)", value=_figures["size_mb"], unit="MB", target="< 40 MB"),
        Row("executable start to /api/health", value=_figures["start_s"], unit="s", target="< 1 s"),
        Row("executable start: unpacking", value=_figures["unpack_s"], unit="s"),
        Row("executable idle RSS", value=_figures["idle_rss_mb"], unit="MiB", target="< 80 MB"),
    ]
    if "window_shown_s" in _figures:
        rows += [
            Row(
                "executable window shown",
                value=_figures["window_shown_s"],
                unit="s",
                target="< 2 s",
            ),
            Row("executable UI loaded in the window", value=_figures["window_loaded_s"], unit="s"),
        ]
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--executable", type=Path, default=DEFAULT_EXECUTABLE)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    build(args.executable)
    figures = measure(args.executable, args.runs)
    report(figures)
    return 0 if all(figures.get(k, 0) < v for k, v in TARGETS.items()) else 1


if __name__ == "__main__":
    os.environ.setdefault("DESK_LOG_LEVEL", "WARNING")
    raise SystemExit(main())
