"""Start a real `desk serve` process on a free loopback port, for end-to-end tests."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

URL_LINE = re.compile(r"^Open (https?://\S+)/$")
TOKEN_LINE = re.compile(r"setup token: (\S+)\)")
TEST_ENV = {"DESK_TEST_CHEAP_PASSWORDS": "1"}


def run_desk(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """One `desk` command run to its end (cheap passwords; `env` added to the environment)."""
    return subprocess.run(
        [sys.executable, "-m", "desk", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **TEST_ENV, **(env or {})},
    )


@dataclass
class RunningDesk:
    process: subprocess.Popen[str]
    url: str
    lines: list[str] = field(default_factory=list)

    @property
    def setup_token(self) -> str | None:
        for line in self.lines:
            found = TOKEN_LINE.search(line)
            if found:
                return found.group(1)
        return None

    def client(self) -> httpx.Client:
        # verify=False: TLS tests use a self-signed certificate on loopback.
        return httpx.Client(base_url=self.url, timeout=10, verify=False)

    def stop(self, timeout: float = 15) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise


def start_desk(
    data_dir: Path,
    *args: str,
    command: Sequence[str] | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 30,
) -> RunningDesk:
    """Run `desk serve --port 0 --data-dir DIR ARGS` and wait until /api/health answers."""
    base = list(command) if command else [sys.executable, "-m", "desk"]
    process = subprocess.Popen(
        [*base, "serve", "--port", "0", "--data-dir", str(data_dir), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **TEST_ENV, **(env or {})},
    )
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError("desk exited before serving:\n" + "".join(lines))
        lines.append(line)
        found = URL_LINE.match(line.strip())
        if found:
            running = RunningDesk(process, found.group(1), lines)
            # Keep draining output so a chatty server never blocks on a full pipe.
            threading.Thread(target=_drain, args=(process, lines), daemon=True).start()
            _wait_healthy(running, deadline)
            return running
    process.kill()
    raise RuntimeError("desk did not print its URL in time:\n" + "".join(lines))


def _drain(process: subprocess.Popen[str], lines: list[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line)


def _wait_healthy(running: RunningDesk, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if httpx.get(running.url + "/api/health", timeout=1, verify=False).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise RuntimeError("desk never answered /api/health")
