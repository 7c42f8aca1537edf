"""`desk backup` of the benchmark's database while its server runs: wall time, the backup's
size, and the backup process's peak memory (the SQLite backup API in one read transaction,
then an integrity check of the copy; see services/backup.py).

Alone: `python bench/backup.py --size 100000`."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import Context, Row, run_alone


def run(ctx: Context) -> list[Row]:
    with tempfile.TemporaryDirectory(dir=ctx.data_dir.parent) as scratch:
        target = Path(scratch) / "bench-backup.db"
        command = [sys.executable, "-m", "desk", "backup", "--data-dir", str(ctx.data_dir)]
        started = time.monotonic()
        process = subprocess.Popen(
            [*command, str(target)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - started
        if status != 0:
            assert process.stderr is not None
            raise RuntimeError(f"desk backup failed: {process.stderr.read().decode()[-500:]}")
        size_mb = target.stat().st_size / 1e6
    return [
        Row("desk backup (server running), time", value=seconds, unit="s"),
        Row("desk backup, file size", value=size_mb, unit="MB"),
        Row("desk backup, peak RSS", value=usage.ru_maxrss / 1024, unit="MiB"),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    args = parser.parse_args()
    raise SystemExit(run_alone(run, args.size, 1))
