"""Analytics: GET /api/analytics over 30 and 365 days (target p95 < 300 ms at 100k)."""

from __future__ import annotations

from bench.harness import Context, Row

TARGET = "p95 < 300 ms"


def run(ctx: Context) -> list[Row]:
    return [
        ctx.measure(
            f"analytics days={days}",
            lambda i, days=days: ctx.client.get("/api/analytics", params={"days": days}),
            TARGET,
        )
        for days in (30, 365)
    ]
