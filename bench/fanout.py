"""Fan-out: 50 signed-in agents on /api/events while 20 of them reply at once.

Each agent has its own session (the demo's agents signed in several times). The 50 streams are
raw sockets read by one thread (HTTP/1.0, so the stream is the body as it comes), which notes
when each `message.created` arrives. 20 agents each post REPLIES replies to a phone
conversation of their own (sent at once), all starting together. Figures: replies acknowledged
per second; the delay from a reply's request to its event on each stream (p50, p95 over every
reply and stream); and events lost (replies x streams not received within WAIT_SECONDS after
the last reply). One lost or received twice fails the run.
"""

from __future__ import annotations

import json
import selectors
import socket
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import Context, Row, percentile, sign_in
from desk.services.demo.generate import agent_email
from desk.services.demo.text import AGENTS

STREAMS = 50
REPLIERS = 20
REPLIES = 15  # per replier
WAIT_SECONDS = 10.0
SIGN_IN_THREADS = 8


def _emails() -> list[str]:
    return [agent_email(name) for name, _ in AGENTS]


class Streams:
    """STREAMS open /api/events streams; `arrived[message_id][stream]` is when that stream got
    it (first time; a second time counts in `duplicates`)."""

    def __init__(self, url: str, cookies: list[str]) -> None:
        parts = urlsplit(url)
        self.selector = selectors.DefaultSelector()
        self.arrived: dict[int, dict[int, float]] = {}
        self.duplicates = 0
        self.lock = threading.Lock()
        self.running = True
        self.sockets = []
        for index, cookie in enumerate(cookies):
            sock = socket.create_connection((parts.hostname, parts.port))
            sock.sendall(
                f"GET /api/events HTTP/1.0\r\nHost: {parts.netloc}\r\n"
                f"Cookie: desk_session={cookie}\r\nAccept: text/event-stream\r\n\r\n".encode()
            )
            sock.setblocking(False)
            self.selector.register(sock, selectors.EVENT_READ, data=(index, bytearray()))
            self.sockets.append(sock)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        while self.running:
            for key, _ in self.selector.select(timeout=0.2):
                now = time.perf_counter()
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                index, buffer = key.data
                try:
                    chunk = sock.recv(65536)
                except BlockingIOError:
                    continue
                if not chunk:
                    self.selector.unregister(sock)
                    continue
                # Litestar ends SSE lines with CRLF: normalised, so a blank line is "\n\n"
                # (a CR and its LF split between two reads meet again in the buffer).
                buffer += chunk
                buffer[:] = bytes(buffer).replace(b"\r\n", b"\n")
                while b"\n\n" in buffer:
                    block, _, rest = bytes(buffer).partition(b"\n\n")
                    buffer[:] = rest
                    self._event(index, block, now)

    def _event(self, index: int, block: bytes, now: float) -> None:
        lines = block.decode("utf-8", "replace").splitlines()
        if "event: message.created" not in lines:
            return
        data = next((line[6:] for line in lines if line.startswith("data: ")), None)
        if data is None:
            return
        message_id = int(json.loads(data)["id"])
        with self.lock:
            seen = self.arrived.setdefault(message_id, {})
            if index in seen:
                self.duplicates += 1
            else:
                seen[index] = now

    def close(self) -> None:
        self.running = False
        self.thread.join()
        for sock in self.sockets:
            sock.close()


def run(ctx: Context) -> list[Row]:
    emails = _emails()
    # Signed in side by side: each sign-in checks the password at full argon2 cost (which
    # runs outside the GIL), so one after the other they took most of a minute.
    with ThreadPoolExecutor(SIGN_IN_THREADS) as pool:
        clients = list(
            pool.map(
                lambda n: sign_in(ctx.url, emails[n % len(emails)], ctx.password), range(STREAMS)
            )
        )
    phone = ctx.client.get(
        "/api/conversations",
        params={"channel_type": "phone", "status": "all", "per_page": REPLIERS},
    ).json()["items"]
    if len(phone) < REPLIERS:
        raise RuntimeError("the demo database has too few phone conversations")
    cookies = [str(client.cookies.get("desk_session")) for client in clients]
    streams = Streams(ctx.url, cookies)
    time.sleep(1.0)  # every stream connected and subscribed
    sent: dict[int, float] = {}
    acked: list[float] = []
    errors: list[str] = []
    start = threading.Barrier(REPLIERS + 1)

    def replier(client: httpx.Client, conversation_id: int) -> None:
        start.wait()
        for n in range(REPLIES):
            began = time.perf_counter()
            response = client.post(
                f"/api/conversations/{conversation_id}/messages",
                json={"body": f"Fan-out reply {n}: thanks, on it."},
            )
            if response.status_code != 201:
                errors.append(f"{response.status_code} {response.text[:100]}")
                continue
            sent[int(response.json()["id"])] = began
            acked.append(time.perf_counter())

    threads = [
        threading.Thread(target=replier, args=(clients[n], phone[n]["id"])) for n in range(REPLIERS)
    ]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = max(acked) - began if acked else float("nan")
    deadline = time.perf_counter() + WAIT_SECONDS
    while time.perf_counter() < deadline:
        with streams.lock:
            if all(len(streams.arrived.get(m, [])) >= STREAMS for m in sent):
                break
        time.sleep(0.1)
    streams.close()
    for client in clients:
        client.close()
    if errors:
        raise RuntimeError(f"fan-out: {len(errors)} replies failed, first: {errors[0]}")
    delays = [(at - sent[m]) * 1000 for m in sent for at in streams.arrived.get(m, {}).values()]
    lost = len(sent) * STREAMS - len(delays)
    if lost or streams.duplicates:  # loudly: a figure in a table is easy to overlook
        raise RuntimeError(
            f"fan-out: {lost} of {len(sent)} replies x {STREAMS} streams never arrived (within "
            f"{WAIT_SECONDS:.0f} s after the last reply), {streams.duplicates} arrived twice; "
            f"{len(sent) / elapsed:.1f} replies/s"
        )
    return [
        Row(
            f"fan-out: replies acknowledged, {REPLIERS} agents at once",
            value=len(sent) / elapsed,
            unit="replies/s",
            target=">= 100/s",
        ),
        Row(
            f"fan-out: reply to its event on each of {STREAMS} streams",
            percentile(delays, 50),
            percentile(delays, 95),
            target="p95 < 1000 ms",
            samples=delays,
        ),
        Row(
            f"fan-out: events lost ({len(sent)} replies x {STREAMS} streams)",
            value=float(lost),
            unit="",
            target="0",
        ),
    ]


def main() -> int:
    """`python bench/fanout.py [--size 1000]`: the fan-out rows alone, on a fresh server."""
    import argparse

    from bench.harness import run_alone

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    return run_alone(run, parser.parse_args().size)


if __name__ == "__main__":
    raise SystemExit(main())
