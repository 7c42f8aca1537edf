"""Agents' work while 200 connections stall (issue 16, item 9): an attacker on the network
holds STALLED connections that each send part of a request's headers and then nothing; the
server closes each after its header deadline (10 s, `408`) and the attacker at once opens
another, so STALLED are held for the whole measurement. The rows: the agent's
`GET /api/conversations` latency and `wrk`'s throughput on it (16 keep-alive connections,
the same agent's session), without and with the stalled connections; how many stalled
connections the server closed, after how long (median), and the longest any lived.

Standalone: `python bench/stalled.py [--size 1000]`.
"""

from __future__ import annotations

import selectors
import socket
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import Context, Row, percentile
from bench.overhead import WRK_SECONDS, wrk

STALLED = 200
PARTIAL = b"GET /api/conversations HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Never-Ending: 1\r\n"
ROUTE = "/api/conversations"


class Stall:
    """STALLED connections that never finish their request, reopened as the server closes
    them; `lifetimes` are the seconds from opening to the server's close."""

    def __init__(self, url: str, count: int = STALLED) -> None:
        parts = urlsplit(url)
        self.address = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.count = count
        self.lifetimes: list[float] = []
        self.open_ages: list[float] = []  # of those still open at the end
        self.answers: dict[str, int] = {}
        self._selector = selectors.DefaultSelector()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._hold, daemon=True)

    def __enter__(self) -> Stall:
        for _ in range(self.count):
            self._open()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        now = time.monotonic()
        for key in list(self._selector.get_map().values()):
            self.open_ages.append(now - key.data[0])
            key.fileobj.close()  # type: ignore[union-attr]
        self._selector.close()

    def _open(self) -> None:
        sock = socket.create_connection(self.address, timeout=10)
        sock.sendall(PARTIAL)
        sock.setblocking(False)
        self._selector.register(sock, selectors.EVENT_READ, (time.monotonic(), bytearray()))

    def _hold(self) -> None:
        while not self._stop.is_set():
            for key, _ in self._selector.select(timeout=0.2):
                sock: socket.socket = key.fileobj  # type: ignore[assignment]
                opened, received = key.data
                try:
                    chunk = sock.recv(4096)
                except BlockingIOError:
                    continue
                except OSError:
                    chunk = b""
                if chunk:
                    received.extend(chunk)
                    continue
                self.lifetimes.append(time.monotonic() - opened)
                status = bytes(received[9:12]).decode(errors="replace") or "closed"
                self.answers[status] = self.answers.get(status, 0) + 1
                self._selector.unregister(sock)
                sock.close()
                if not self._stop.is_set():
                    self._open()

    def wait_for_closes(self, at_least: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while len(self.lifetimes) < at_least and time.monotonic() < deadline:
            time.sleep(0.2)


def run(ctx: Context) -> list[Row]:
    cookie = ctx.client.cookies.get("desk_session")
    url = ctx.url + ROUTE
    rows = [ctx.measure(f"`GET {ROUTE}`, no stalled connections", lambda _: ctx.client.get(ROUTE))]
    rate, _ = wrk(url, cookie, WRK_SECONDS)
    rows.append(Row(f"`GET {ROUTE}`, wrk 16 connections, none stalled", value=rate, unit="req/s"))
    with Stall(ctx.url) as stall:
        rows.append(
            ctx.measure(
                f"`GET {ROUTE}`, {STALLED} stalled connections held",
                lambda _: ctx.client.get(ROUTE),
                target="≈ unchanged",
            )
        )
        rate, _ = wrk(url, cookie, WRK_SECONDS)
        rows.append(
            Row(
                f"`GET {ROUTE}`, wrk 16 connections, {STALLED} stalled",
                value=rate,
                unit="req/s",
                target="≈ unchanged",
            )
        )
        stall.wait_for_closes(STALLED)
    if stall.answers.keys() - {"408"}:
        ctx.notes.append(f"stalled connections ended with {stall.answers}")
    rows.append(
        Row(
            "stalled connections closed by the server",
            value=len(stall.lifetimes),
            unit="",
            target=">= 200",
        )
    )
    if stall.lifetimes:
        rows.append(
            Row(
                "stalled connection closed after (median)",
                value=percentile(stall.lifetimes, 50),
                unit="s",
                target="10 s (408)",
            )
        )
    rows.append(
        Row(
            "longest-lived stalled connection",
            value=max(stall.lifetimes + stall.open_ages),
            unit="s",
            target="≈ 10 s",
        )
    )
    return rows


def main() -> int:
    import argparse

    from bench.harness import run_alone

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    return run_alone(run, args.size, args.requests)


if __name__ == "__main__":
    sys.exit(main())
