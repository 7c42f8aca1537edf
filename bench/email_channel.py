"""The email channel's speed against a real dovecot (the tests' throwaway one):

- **ingest**: a Maildir of 5,000 emails (customers' questions, a fifth of them replies in a
  thread), then an email channel created on a fresh `desk serve`; the time from the create
  request to the 5,000th message in the database, as emails per minute;
- **latency**: with the channel idle, an email written into the Maildir (tmp/ then new/, as
  a mail server delivers) until its `message.created` event reaches an agent's
  `/api/events` stream, p50/p95 over 30 emails.

Runs once per `make bench` (beside the first demo size, on a server of its own), or alone:
`.venv/bin/python bench/email_channel.py [--emails 5000] [--latency 30]`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import Context, Row, percentile, start_server
from tests.mailservers import PASSWORD, Dovecot, Maildir, free_port, make_certificate

EMAILS = 5000
LATENCY_SAMPLES = 30
_ran = False


def run(ctx: Context) -> list[Row]:
    global _ran
    if _ran:
        return []  # independent of the demo database: measured once
    _ran = True
    return measure(EMAILS, LATENCY_SAMPLES)


def measure(emails: int, samples: int) -> list[Row]:
    base = Path(tempfile.mkdtemp(prefix="desk-bench-email-"))
    dovecot = Dovecot(make_certificate(base / "certs"))
    server = None
    try:
        maildir = dovecot.mailbox("bench@example.com")
        _fill(maildir, emails)
        server = start_server(base / "data")
        client = _admin(server.url)
        per_minute = _ingest(client, base / "data" / "desk.db", dovecot, maildir, emails)
        latencies = _latency(client, maildir, samples)
        return [
            Row(f"email: ingested from a {emails:,}-message mailbox", value=per_minute,
                unit="emails/min"),
            Row("email: Maildir to the agent's event stream", percentile(latencies, 50),
                percentile(latencies, 95), samples=latencies, target="p95 < 2000 ms"),
        ]  # fmt: skip
    finally:
        if server is not None:
            server.stop()
        dovecot.close()
        shutil.rmtree(base, ignore_errors=True)


def _mail(n: int, subject: str, reply_to: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"Customer {n % 700} <customer{n % 700}@example.com>"
    message["To"] = "support@acme.example"
    message["Subject"] = f"Re: {subject}" if reply_to else subject
    message["Date"] = format_datetime(datetime(2026, 11, 1, tzinfo=UTC) + timedelta(minutes=n))
    message["Message-ID"] = f"<bench-{n}@example.com>"
    if reply_to:
        message["In-Reply-To"] = reply_to
        message["References"] = reply_to
    message.set_content(
        f"Hello,\n\nquestion {n}: my order {1000 + n} has not arrived yet. Could you check"
        f" where it is?\n\nThanks,\nCustomer {n % 700}\n"
    )
    return message


def _fill(maildir: Maildir, emails: int) -> None:
    for n in range(emails):
        reply_to = f"<bench-{n - 1}@example.com>" if n % 5 == 4 else None
        maildir.deliver(_mail(n, f"Order {1000 + n}", reply_to).as_bytes())


def _admin(url: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30)
    response = client.post(
        "/api/setup",
        json={"workspace_name": "Bench", "name": "Ada", "email": "ada@bench.example",
              "password": "bench-password-1"},
    )  # fmt: skip
    response.raise_for_status()
    return client


def _incoming(db: Path) -> int:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(
            conn.execute("SELECT count(*) FROM messages WHERE type = 'incoming'").fetchone()[0]
        )
    finally:
        conn.close()


def _ingest(
    client: httpx.Client, db: Path, dovecot: Dovecot, maildir: Maildir, emails: int
) -> float:
    config = {
        "imap_host": "127.0.0.1", "imap_port": dovecot.port, "imap_user": maildir.user,
        "imap_password": PASSWORD, "imap_tls": "none", "smtp_host": "127.0.0.1",
        "smtp_port": free_port(), "smtp_tls": "none", "from_address": "support@acme.example",
        "poll_seconds": 3600,
    }  # fmt: skip
    started = time.monotonic()
    response = client.post(
        "/api/channels", json={"name": "Bench", "type": "email", "config": config}
    )
    response.raise_for_status()
    deadline = started + 1800
    while _incoming(db) < emails:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {_incoming(db)} of {emails} emails after 30 minutes")
        time.sleep(0.2)
    return emails / ((time.monotonic() - started) / 60)


def _latency(client: httpx.Client, maildir: Maildir, samples: int) -> list[float]:
    arrived: dict[str, float] = {}
    seen = threading.Condition()

    def listen() -> None:
        with client.stream("GET", "/api/events", timeout=None) as stream:
            for line in stream.iter_lines():
                if not line.startswith("data:"):
                    continue
                data = json.loads(line[5:])
                body = str(data.get("body", "")) if isinstance(data, dict) else ""
                if body.startswith("latency probe "):
                    with seen:
                        arrived.setdefault(body.split()[2], time.monotonic())
                        seen.notify_all()

    threading.Thread(target=listen, daemon=True).start()
    time.sleep(1.0)  # the stream is open and the poller idles
    timings = []
    for n in range(samples):
        key = f"p{n}"
        message = _mail(90_000 + n, f"Probe {n}")
        message.set_content(f"latency probe {key} \n")
        sent = time.monotonic()
        maildir.deliver(message.as_bytes())
        with seen:
            if not seen.wait_for(lambda k=key: k in arrived, timeout=60):  # type: ignore[misc]
                raise RuntimeError(f"probe {key} never reached the event stream")
        timings.append((arrived[key] - sent) * 1000)
        time.sleep(0.2)
    return timings


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--emails", type=int, default=EMAILS)
    parser.add_argument("--latency", type=int, default=LATENCY_SAMPLES)
    args = parser.parse_args()
    load = _load()
    for row in measure(args.emails, args.latency):
        if row.p50_ms is not None:
            print(f"{row.name}: p50 {row.p50_ms:.0f} ms, p95 {row.p95_ms:.0f} ms")
        else:
            print(f"{row.name}: {row.value:,.0f} {row.unit}")
    print(f"load average before: {load}; after: {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
