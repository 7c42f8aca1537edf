"""The inbox UI in headless Chromium: navigation to the first rendered conversation row.

Plugged into `make bench` by adding "bench.ui" to BENCHMARKS in bench/run.py; or on its own:

    .venv/bin/python bench/ui.py --data-dir bench/.cache/run-100000 [--runs 10]

(on its own it starts `desk serve` on that data dir and signs in as the demo agent). Each run
opens a fresh page on `/#/inbox/open` with the agent's session cookie and reads, in the page,
`performance.now()` at the moment the first `.conv-row` is attached: time from the start of
navigation to the first row an agent can see (HTML, CSS, modules, /api/setup, /api/auth/me,
/api/settings/workspace and the first page of /api/conversations). Target: under 1 s.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import AGENT_EMAIL, Context, Row, percentile, sign_in, start_server
from tests.chromium import ARGS, CHROMIUM

TARGET = "p95 < 1000 ms"
# Records when the first conversation row is attached, in ms since navigation started.
PROBE = """
localStorage.setItem('desk.signed-in', '1');
new MutationObserver((_, observer) => {
  if (document.querySelector('.conv-row')) {
    window.__firstRow = performance.now();
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def first_row_times(url: str, cookies: dict[str, str], runs: int, warmup: int = 2) -> list[float]:
    from playwright.sync_api import sync_playwright

    host = url.split("//", 1)[1].split(":")[0]
    times: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            for i in range(warmup + runs):
                context: Any = browser.new_context(viewport={"width": 1440, "height": 900})
                context.add_cookies(
                    [
                        {"name": k, "value": v, "domain": host, "path": "/"}
                        for k, v in cookies.items()
                    ]
                )
                context.add_init_script(PROBE)
                page = context.new_page()
                page.goto(url + "/#/inbox/open")
                page.wait_for_selector(".conv-row", timeout=60_000)
                elapsed = float(page.evaluate("window.__firstRow"))
                if i >= warmup:
                    times.append(elapsed)
                context.close()
        finally:
            browser.close()
    return times


def run(ctx: Context) -> list[Row]:
    cookies = dict(ctx.client.cookies.items())
    times = first_row_times(ctx.url, cookies, runs=10)
    return [
        Row(
            "UI: navigation to first conversation row (Chromium)",
            percentile(times, 50),
            percentile(times, 95),
            target=TARGET,
        )
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--email", default=AGENT_EMAIL)
    parser.add_argument("--password", default=None, help="default: the demo password")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    password = args.password
    if password is None:
        from desk.services.demo.text import DEMO_PASSWORD

        password = DEMO_PASSWORD
    server = start_server(args.data_dir)
    try:
        client = sign_in(server.url, args.email, password)
        times = first_row_times(server.url, dict(client.cookies.items()), args.runs)
        client.close()
    finally:
        server.stop()
    print(
        f"navigation to first conversation row: p50 {percentile(times, 50):.0f} ms, "
        f"p95 {percentile(times, 95):.0f} ms over {len(times)} runs ({TARGET})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
