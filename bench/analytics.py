"""Analytics: GET /api/analytics over 30 and 365 days (target p95 < 300 ms at 100k).

Results are reused while nothing changed (services/analytics.py), so each range is timed
twice: `warm`, the same request again and again (a dashboard several agents reload), and
`cold`, with a reply posted (untimed) before every request, so every figure is recomputed.
"""

from __future__ import annotations

import time

from bench.harness import Context, Row, percentile

TARGET = "p95 < 300 ms"


def run(ctx: Context) -> list[Row]:
    phone = ctx.client.get(
        "/api/conversations", params={"channel_type": "phone", "status": "all", "per_page": 100}
    ).json()["items"]
    rows = []
    for days in (30, 365):
        rows.append(
            ctx.measure(
                f"analytics days={days}, warm",
                lambda i, days=days: ctx.client.get("/api/analytics", params={"days": days}),
                TARGET,
            )
        )
        rows.append(cold(ctx, days, [item["id"] for item in phone]))
    return rows


def cold(ctx: Context, days: int, phone_ids: list[int]) -> Row:
    timings = []
    for i in range(max(10, ctx.requests // 4) + 2):
        conversation = phone_ids[i % len(phone_ids)]
        reply = ctx.client.post(
            f"/api/conversations/{conversation}/messages", json={"body": f"Analytics bench {i}"}
        )
        reply.raise_for_status()
        started = time.perf_counter()
        response = ctx.client.get("/api/analytics", params={"days": days})
        elapsed = (time.perf_counter() - started) * 1000
        response.raise_for_status()
        if i >= 2:  # the first two warm the server's caches
            timings.append(elapsed)
    return Row(
        f"analytics days={days}, cold (after a change)",
        percentile(timings, 50),
        percentile(timings, 95),
        target=TARGET,
    )
