"""The inbox: list (default, search for a rare and for a common word, tag, assignee=me), get a
conversation, its messages, post a reply, and the default list under 16 concurrent clients.

Repeating one list request is answered partly from the server's count cache (valid until
the next commit); the "after a write" rows post an untimed note before each request, as in
a busy inbox where the data changes between two looks."""

from __future__ import annotations

import random
import threading
import time

import httpx

from bench.harness import Context, Row
from desk.services.demo.text import COMMON_WORD, SEARCH_WORD

LIST_TARGET = "p95 < 50 ms"
CLIENTS = 16
ROUNDS = 4  # alternate sizes 4 times (bench/run.py pools the samples)


def run(ctx: Context) -> list[Row]:
    client = ctx.client
    rng = random.Random(ctx.size)
    ids = [rng.randint(1, ctx.size) for _ in range(ctx.warmup + ctx.requests)]
    phone = client.get(
        "/api/conversations", params={"channel_type": "phone", "status": "all", "per_page": 100}
    ).json()["items"]
    phone_ids = [item["id"] for item in phone]
    if not phone_ids:
        raise RuntimeError("the demo database has no phone conversations to reply to")

    def listing(params: dict[str, str]) -> httpx.Response:
        return client.get("/api/conversations", params=params)

    def write(i: int) -> httpx.Response:
        """A teammate's note: the data changes, so no cached total survives (untimed)."""
        return client.post(
            f"/api/conversations/{phone_ids[-1]}/messages",
            json={"body": f"Benchmark note {i}", "type": "note"},
        )

    search = {"search": SEARCH_WORD}
    common = {"search": COMMON_WORD}
    return [
        ctx.measure("inbox list (default)", lambda i: listing({}), LIST_TARGET),
        ctx.measure(
            "inbox list (default), after a write",
            lambda i: listing({}),
            LIST_TARGET,
            before=write,
        ),
        ctx.measure(
            f"list + search '{SEARCH_WORD}' (~1% of messages)",
            lambda i: listing(search),
            LIST_TARGET,
        ),
        ctx.measure(
            "list + search, after a write",
            lambda i: listing(search),
            LIST_TARGET,
            before=write,
        ),
        ctx.measure(
            f"list + search '{COMMON_WORD}' (20% of conversations)",
            lambda i: listing(common),
            LIST_TARGET,
        ),
        ctx.measure(
            f"list + search '{COMMON_WORD}', after a write",
            lambda i: listing(common),
            LIST_TARGET,
            before=write,
        ),
        ctx.measure(
            f"list + search '{COMMON_WORD}', every status",
            lambda i: listing({**common, "status": "all"}),
            LIST_TARGET,
        ),
        ctx.measure("list + tag=billing", lambda i: listing({"tag": "billing"}), LIST_TARGET),
        ctx.measure(
            "list + tag=billing, after a write",
            lambda i: listing({"tag": "billing"}),
            LIST_TARGET,
            before=write,
        ),
        ctx.measure("list + assignee=me", lambda i: listing({"assignee": "me"}), LIST_TARGET),
        ctx.measure(
            "get conversation",
            lambda i: client.get(f"/api/conversations/{ids[i]}"),
            LIST_TARGET,
        ),
        ctx.measure(
            "list its messages",
            lambda i: client.get(f"/api/conversations/{ids[i]}/messages"),
            LIST_TARGET,
        ),
        ctx.measure(
            "post a reply (phone, sent at once)",
            lambda i: client.post(
                f"/api/conversations/{phone_ids[i % len(phone_ids)]}/messages",
                json={"body": f"Benchmark reply {i}: thanks, we're on it."},
            ),
        ),
        concurrent_list(ctx),
    ]


def concurrent_list(ctx: Context) -> Row:
    """Requests per second of the default list with CLIENTS clients at once."""
    per_client = max(10, ctx.requests // 4)
    errors: list[str] = []
    start = threading.Barrier(CLIENTS + 1)

    def worker() -> None:
        with ctx.new_client() as client:
            client.get("/api/conversations")  # connect before the clock starts
            start.wait()
            for _ in range(per_client):
                response = client.get("/api/conversations")
                if not response.is_success:
                    errors.append(f"{response.status_code} {response.text[:100]}")

    threads = [threading.Thread(target=worker) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    start.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"concurrent list: {len(errors)} errors, first: {errors[0]}")
    return Row(
        f"inbox list, {CLIENTS} concurrent clients",
        value=CLIENTS * per_client / elapsed,
        unit="req/s",
    )
