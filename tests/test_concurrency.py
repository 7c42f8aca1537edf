"""Many agents replying at once: every reply that got its 201 is stored, none is refused."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.conftest import ADMIN
from tests.servers import start_desk

THREADS = 8
REPLIES_EACH = 15


@pytest.mark.slow
def test_concurrent_replies_are_all_stored(tmp_path: Path) -> None:
    server = start_desk(tmp_path / "data")
    try:
        ada = server.client()
        setup = {**ADMIN, "workspace_name": "Acme"}
        assert ada.post("/api/setup", json=setup).status_code == 201
        channels = [
            ada.post("/api/channels", json={"name": t, "type": t, "config": c}).json()["id"]
            for t, c in (("phone", {}), ("api", {"webhook_url": None}))
        ]
        conversations = [
            ada.post(
                "/api/conversations",
                json={"channel_id": channel, "contact": {"email": f"c{channel}@example.com"}},
            ).json()["id"]
            for channel in channels
        ]
        cookies = dict(ada.cookies)

        def reply(n: int) -> list[tuple[int, int | None, str]]:
            results = []
            with httpx.Client(base_url=server.url, cookies=cookies, timeout=30) as client:
                for i in range(REPLIES_EACH):
                    conversation_id = conversations[(n + i) % len(conversations)]
                    response = client.post(
                        f"/api/conversations/{conversation_id}/messages",
                        json={
                            "body": f"reply {n}-{i}",
                            "type": "note" if i % 5 == 0 else "outgoing",
                        },
                    )
                    body = response.json()
                    results.append((response.status_code, body.get("id"), str(body)))
            return results

        with ThreadPoolExecutor(THREADS) as pool:
            results = [r for batch in pool.map(reply, range(THREADS)) for r in batch]

        failures = [text for status, _, text in results if status != 201]
        assert failures == []
        created = {message_id for _, message_id, _ in results}
        stored: set[int] = set()
        for conversation_id in conversations:
            page = 1
            while True:
                items = ada.get(
                    f"/api/conversations/{conversation_id}/messages",
                    params={"page": page, "per_page": 100},
                ).json()["items"]
                stored |= {m["id"] for m in items}
                if len(items) < 100:
                    break
                page += 1
        assert len(created) == THREADS * REPLIES_EACH
        assert created <= stored
    finally:
        server.stop()
    assert not any("database is locked" in line for line in server.lines)
