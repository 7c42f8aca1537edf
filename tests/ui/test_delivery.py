"""A reply that could not be delivered says why, and Retry sends it once the cause is fixed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import ADMIN, Seeded, api_client, shot


class Receiver(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        Receiver.received.append(self.rfile.read(length))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/replies"
    finally:
        server.shutdown()
        server.server_close()


def test_failed_delivery_shows_the_reason_and_retries(
    open_page: Any, seeded: Seeded, webhook: str
) -> None:
    with api_client(seeded.desk, ADMIN) as admin:
        channel = admin.post(
            "/api/channels",
            json={"name": "Unwired API", "type": "api", "config": {}, "active": True},
        ).json()
        conversation = admin.post(
            "/api/conversations",
            json={
                "channel_id": channel["id"],
                "contact": {"name": "Barbara Liskov", "email": "barbara@example.com"},
                "message": "Is my order on its way?",
            },
        ).json()
    page = open_page(hash=f"#/inbox/open/c/{conversation['id']}").page
    page.get_by_label("Reply", exact=True).fill("Yes, it ships today.")
    page.get_by_role("button", name="Send", exact=True).click()
    failed = page.locator(".delivery.failed")
    expect(failed).to_contain_text("Failed")
    expect(failed).to_contain_text("webhook_url")
    shot(page, "thread-delivery-failed")

    with api_client(seeded.desk, ADMIN) as admin:
        admin.patch(
            f"/api/channels/{channel['id']}", json={"config": {"webhook_url": webhook}}
        ).raise_for_status()
    failed.get_by_role("button", name="Retry").click()
    expect(page.locator(".msg.outgoing .delivery")).to_have_text("Sent")
    assert any(b"Yes, it ships today." in body for body in Receiver.received)
