"""The chat widget: its size, how fast an agent's reply reaches a visitor's open stream, and
what 500 idle visitor streams cost the server (memory) and the agents (inbox list and get).

Visitors are made the way the widget makes them (POST /widget/{t}/visitors, then a first
message). The API allows 10 new visitors a minute per client address, so each batch of ten
comes from its own loopback address (127.0.1.x). The 500 streams are raw sockets held open by
one thread that reads their heartbeats: the client costs the server nothing a browser would
not. The inbox rows alternate four times: without streams, with 500 (pooled), so load from
other processes hits both alike."""

from __future__ import annotations

import contextlib
import gzip
import json
import queue
import selectors
import socket
import sqlite3
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from bench.harness import ROOT, Context, Row, percentile

WIDGET_JS = ROOT / "desk" / "ui" / "widget.js"
STREAMS = 500
PER_ADDRESS = 10  # the API's new-visitor limit per client address and minute
REPLIES = 30
ALTERNATIONS = 4  # inbox rows: without and with the streams, alternating (pooled)


def public_token(data_dir: Path) -> str:
    """The demo's web-chat channel (read from the file: the channel list is for admins)."""
    with sqlite3.connect(f"file:{data_dir / 'desk.db'}?mode=ro", uri=True) as conn:
        row = conn.execute(
            "SELECT token FROM channels WHERE type = 'web_chat' AND active = 1 LIMIT 1"
        ).fetchone()
    if row is None:
        raise RuntimeError("the demo database has no active web-chat channel")
    return str(row[0])


def new_visitor(url: str, token: str, address: str, text: str) -> str:
    """A visitor who wrote once, from `address`; their token."""
    transport = httpx.HTTPTransport(local_address=address)
    with httpx.Client(base_url=url, transport=transport, timeout=30) as client:
        made = client.post(f"/widget/{token}/visitors", json={})
        made.raise_for_status()
        visitor = made.json()["visitor_token"]
        headers = {"Authorization": f"Bearer {visitor}"}
        client.post(f"/widget/{token}/messages", json={"body": text}, headers=headers)
    return visitor


class IdleStreams:
    """Many open /widget/{t}/events streams on raw sockets; a thread drains their heartbeats."""

    def __init__(self, url: str, token: str, visitors: list[str]) -> None:
        parts = urlsplit(url)
        self.selector = selectors.DefaultSelector()
        self.sockets: list[socket.socket] = []
        for visitor in visitors:
            sock = socket.create_connection((parts.hostname, parts.port))
            request = (
                f"GET /widget/{token}/events HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                f"Authorization: Bearer {visitor}\r\nAccept: text/event-stream\r\n\r\n"
            )
            sock.sendall(request.encode())
            head = sock.recv(4096)
            if b" 200 " not in head.split(b"\r\n", 1)[0]:
                raise RuntimeError(f"stream refused: {head[:200]!r}")
            sock.setblocking(False)
            self.selector.register(sock, selectors.EVENT_READ)
            self.sockets.append(sock)
        self.running = True
        self.thread = threading.Thread(target=self._drain, daemon=True)
        self.thread.start()

    def _drain(self) -> None:
        while self.running:
            for key, _ in self.selector.select(timeout=0.5):
                with contextlib.suppress(OSError):
                    key.fileobj.recv(65536)  # type: ignore[union-attr]

    def close(self) -> None:
        self.running = False
        self.thread.join()
        for sock in self.sockets:
            sock.close()


def reply_latency(ctx: Context, token: str, address: str) -> list[float]:
    """ms from an agent starting POST /api/.../messages to the visitor's stream having it."""
    visitor = new_visitor(ctx.url, token, address, "Is the bike shop open today?")
    conversation = ctx.client.get(
        "/api/conversations", params={"channel_type": "web_chat", "sort": "created_desc"}
    ).json()["items"][0]["id"]
    arrived: queue.Queue[float] = queue.Queue()
    opened = threading.Event()
    headers = {"Authorization": f"Bearer {visitor}"}

    def read() -> None:
        timeout = httpx.Timeout(10, read=120)
        with (
            httpx.Client(base_url=ctx.url, timeout=timeout) as client,
            client.stream("GET", f"/widget/{token}/events", headers=headers) as response,
        ):
            for line in response.iter_lines():
                if line.startswith(": connected"):
                    opened.set()
                if line == "event: message.created":
                    arrived.put(time.perf_counter())
                if not line and arrived.qsize() >= REPLIES:
                    return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if not opened.wait(10):
        raise RuntimeError("the visitor's stream did not open")
    timings = []
    for n in range(REPLIES):
        started = time.perf_counter()
        ctx.client.post(
            f"/api/conversations/{conversation}/messages", json={"body": f"Reply {n}"}
        ).raise_for_status()
        timings.append((arrived.get(timeout=10) - started) * 1000)
    reader.join(10)
    return timings


def latency_row(name: str, timings: list[float], target: str = "") -> Row:
    p50, p95 = percentile(timings, 50), percentile(timings, 95)
    return Row(name, p50, p95, target=target, samples=timings)


def inbox(ctx: Context, label: str, requests: int, ids: list[int]) -> list[Row]:
    """The list and a get, `requests` times each (the harness's warm-up first)."""
    saved = ctx.requests
    ctx.requests = requests
    try:
        return [
            ctx.measure(f"inbox list (default), {label}", lambda i: ctx.client.get(
                "/api/conversations")),
            ctx.measure(f"get conversation, {label}", lambda i: ctx.client.get(
                f"/api/conversations/{ids[i % len(ids)]}")),
        ]  # fmt: skip
    finally:
        ctx.requests = saved


def pooled(passes: list[list[Row]]) -> list[Row]:
    return [
        latency_row(first.name, [ms for rows in passes for ms in rows[i].samples])
        for i, first in enumerate(passes[0])
    ]


def compared(without: list[Row], with_streams: list[Row]) -> list[Row]:
    rows = []
    for a, b in zip(without, with_streams, strict=True):
        assert a.p50_ms and a.p95_ms and b.p50_ms is not None and b.p95_ms is not None
        for label, old, new in (("p50", a.p50_ms, b.p50_ms), ("p95", a.p95_ms, b.p95_ms)):
            name = b.name.split(",")[0] + f", {label} with {STREAMS} streams vs none"
            target = "within +20%" if label == "p95" else ""
            rows.append(Row(name, value=(new / old - 1) * 100, unit="%", target=target))
    return rows


def run(ctx: Context) -> list[Row]:
    raw = WIDGET_JS.read_bytes()
    rows = [
        Row("widget.js size", value=len(raw) / 1000, unit="KB", target="< 30 KB"),
        Row("widget.js gzipped", value=len(gzip.compress(raw)) / 1000, unit="KB"),
    ]
    token = public_token(ctx.data_dir)
    rows.append(latency_row("agent reply → widget stream", reply_latency(
        ctx, token, "127.0.1.250"), "< 1000 ms"))  # fmt: skip
    listed = ctx.client.get("/api/conversations", params={"per_page": 100}).json()["items"]
    ids = [item["id"] for item in listed]
    visitors = []
    for n in range(STREAMS):
        address = f"127.0.1.{n // PER_ADDRESS + 1}"
        visitors.append(new_visitor(ctx.url, token, address, f"Visitor {n} says hello"))
    share = max(1, ctx.requests // ALTERNATIONS)
    before: list[list[Row]] = []
    during: list[list[Row]] = []
    growth = []
    replies: list[float] = []
    for number in range(ALTERNATIONS):  # without, with, without, with...: load hits both alike
        before.append(inbox(ctx, "no visitor streams", share, ids))
        rss_before = ctx.rss_mib()
        streams = IdleStreams(ctx.url, token, visitors)
        time.sleep(2)  # let the server settle before reading its memory (a benchmark, not a test)
        growth.append(ctx.rss_mib() - rss_before)
        during.append(inbox(ctx, f"{STREAMS} idle visitor streams", share, ids))
        if number == 0:
            replies = reply_latency(ctx, token, "127.0.1.251")
        streams.close()
    without, with_streams = pooled(before), pooled(during)
    rows += without + with_streams + compared(without, with_streams)
    rows.append(latency_row(f"agent reply → widget stream, {STREAMS} streams open", replies,
                            "< 1000 ms"))  # fmt: skip
    rows.append(Row(f"server RSS added by {STREAMS} idle visitor streams (most of {ALTERNATIONS})",
                    value=max(growth), unit="MiB", target="< 100 MB"))  # fmt: skip
    ctx.notes.append(json.dumps({"rss_growth_mib": growth}))
    return rows
