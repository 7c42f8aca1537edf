"""`desk demo`: the data it writes is what the real API reads, consistently."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from desk.app import create_app
from desk.config import Settings
from desk.services import demo
from desk.services.context import Desk
from desk.services.demo_script import PRIORITIES
from tests.conftest import CHEAP, FakeClock, login, new_client

SAM = "sam@demo.desk.example"


def run_demo(settings: Settings, conversations: int, seed: int = 3) -> demo.DemoSummary:
    desk = Desk(settings)
    try:
        return demo.generate_demo(desk, conversations=conversations, seed=seed)
    finally:
        desk.close()


def connect(settings: Settings) -> sqlite3.Connection:
    conn = sqlite3.connect(settings.db_path)
    conn.row_factory = sqlite3.Row
    return conn


@pytest.fixture
def demo_client(settings: Settings) -> Iterator[TestClient[Litestar]]:
    run_demo(settings, 200)
    with new_client(create_app(settings)) as client:
        login(client, SAM, demo.DEMO_PASSWORD)
        yield client


def expected_columns(messages: list[sqlite3.Row], status: str, channel: str) -> dict[str, Any]:
    """m002's denormalisation rules, recomputed from a conversation's messages."""
    said = [m for m in messages if m["type"] != "activity"]
    last = said[-1]
    replies = [m for m in messages if m["type"] == "outgoing" and m["sender_type"] == "agent"]
    incoming = [m for m in messages if m["type"] == "incoming"]
    after_reply = [m for m in incoming if not replies or m["id"] > replies[-1]["id"]]
    return {
        "last_message_id": last["id"],
        "last_message_type": last["type"],
        "last_message_preview": last["body"][:140],
        "last_message_at": last["created_at"],
        "last_activity_at": last["created_at"],
        "updated_at": messages[-1]["created_at"],
        "created_at": messages[0]["created_at"],
        "first_incoming_at": incoming[0]["created_at"],
        "first_reply_at": replies[0]["created_at"] if replies else None,
        "waiting_since": after_reply[-1]["created_at"] if after_reply else None,
        "unread_count": len(after_reply) if status == "open" and channel != "phone" else 0,
        "resolved_at": messages[-1]["created_at"] if status == "resolved" else None,
    }


def test_demo_denormalised_columns_agree_with_messages(settings: Settings) -> None:
    run_demo(settings, 200)
    with connect(settings) as conn:
        conversations = conn.execute(
            "SELECT c.*, ch.type AS channel_type FROM conversations c"
            " JOIN channels ch ON ch.id = c.channel_id"
        ).fetchall()
        assert len(conversations) == 200
        for conversation in conversations:
            messages = conn.execute(
                "SELECT * FROM messages WHERE conversation_id = ? ORDER BY id",
                (conversation["id"],),
            ).fetchall()
            assert 3 <= len(messages) <= 15
            assert [m["created_at"] for m in messages] == sorted(m["created_at"] for m in messages)
            expected = expected_columns(
                messages, conversation["status"], conversation["channel_type"]
            )
            actual = {key: conversation[key] for key in expected}
            assert actual == expected, conversation["id"]
            assert conversation["priority_rank"] == PRIORITIES.index(conversation["priority"])
            document = conn.execute(
                "SELECT subject, people, bodies FROM search_index WHERE rowid = ?",
                (conversation["id"],),
            ).fetchone()
            contact = conn.execute(
                "SELECT name, email, phone FROM contacts WHERE id = ?",
                (conversation["contact_id"],),
            ).fetchone()
            assert document["subject"] == conversation["subject"]
            assert document["people"] == " ".join(p for p in contact if p)
            bodies = [m["body"] for m in messages if m["type"] != "activity"]
            assert document["bodies"] == "\n".join(bodies)
            outgoing = [m for m in messages if m["type"] == "outgoing"]
            assert {m["delivery_status"] for m in outgoing} == {"sent"}


def test_demo_covers_every_status_priority_channel_and_message_type(settings: Settings) -> None:
    summary = run_demo(settings, 200)
    with connect(settings) as conn:

        def values(sql: str) -> set[str]:
            return {row[0] for row in conn.execute(sql)}

        assert values("SELECT status FROM conversations") == {
            "open",
            "pending",
            "snoozed",
            "resolved",
        }
        assert values("SELECT priority FROM conversations") == set(PRIORITIES)
        assert values("SELECT type FROM channels") == {"web_chat", "email", "api", "phone"}
        assert values(
            "SELECT DISTINCT ch.type FROM conversations c JOIN channels ch ON ch.id = c.channel_id"
        ) == {"web_chat", "email", "api", "phone"}
        assert values("SELECT type FROM messages") == {"incoming", "outgoing", "note", "activity"}
        assert len(values("SELECT tag FROM conversation_tags")) >= 10
        assert 6 <= conn.execute("SELECT count(*) FROM agents").fetchone()[0] <= 10
        assert conn.execute("SELECT count(*) FROM messages").fetchone()[0] == summary.messages
        snoozed = values("SELECT snoozed_until FROM conversations WHERE status = 'snoozed'")
        assert min(snoozed) > settings.clock().strftime("%Y-%m-%dT%H:%M:%SZ")
        oldest = conn.execute("SELECT min(created_at) FROM conversations").fetchone()[0]
        assert oldest >= "2026-08-31"  # the fake clock's 29 November minus 90 days
        # Recurring questions: the team's answer greets the customer by first name.
        answered = conn.execute(
            "SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id"
            " JOIN contacts p ON p.id = c.contact_id WHERE m.type = 'outgoing'"
            " AND m.body LIKE 'Hi ' || substr(p.name, 1, instr(p.name, ' ') - 1) || ', %'"
        ).fetchone()[0]
        assert answered >= 200


def test_demo_agents_sign_in_with_the_demo_password(
    demo_client: TestClient[Litestar],
) -> None:
    me = demo_client.get("/api/auth/me").json()["agent"]
    assert me["email"] == SAM
    assert me["role"] == "agent"


def test_demo_inbox_lists_counts_and_searches(
    demo_client: TestClient[Litestar], settings: Settings
) -> None:
    everything = demo_client.get("/api/conversations", params={"status": "all"}).json()
    assert everything["total"] == 200
    with connect(settings) as conn:
        unresolved = conn.execute(
            "SELECT count(*) FROM conversations WHERE status != 'resolved'"
        ).fetchone()[0]
        planted = conn.execute(
            "SELECT count(DISTINCT conversation_id) FROM messages"
            " WHERE type != 'activity' AND body LIKE ?",
            (f"%{demo.SEARCH_WORD}%",),
        ).fetchone()[0]
        billing = conn.execute(
            "SELECT count(*) FROM conversation_tags WHERE tag = 'billing'"
        ).fetchone()[0]
        mine = conn.execute(
            "SELECT count(*) FROM conversations c JOIN agents a ON a.id = c.assignee_id"
            " WHERE a.email = ? AND c.status != 'resolved'",
            (SAM,),
        ).fetchone()[0]
    assert demo_client.get("/api/conversations").json()["total"] == unresolved
    assert planted > 0
    found = demo_client.get(
        "/api/conversations", params={"status": "all", "search": demo.SEARCH_WORD}
    ).json()
    assert found["total"] == planted
    tagged = demo_client.get("/api/conversations", params={"status": "all", "tag": "billing"})
    assert tagged.json()["total"] == billing
    assert demo_client.get("/api/conversations", params={"assignee": "me"}).json()["total"] == mine


def test_demo_conversation_reads_like_its_list_row(demo_client: TestClient[Litestar]) -> None:
    row = demo_client.get("/api/conversations", params={"status": "all"}).json()["items"][0]
    messages = demo_client.get(
        f"/api/conversations/{row['id']}/messages", params={"per_page": 100}
    ).json()
    assert 3 <= messages["total"] <= 15
    said = [m for m in messages["items"] if m["type"] != "activity"]
    assert row["last_message"]["id"] == said[-1]["id"]
    assert row["last_message"]["preview"] == said[-1]["body"][:140]
    got = demo_client.get(f"/api/conversations/{row['id']}").json()
    assert got["id"] == row["id"]
    assert got["unread_count"] == 0
    reply = demo_client.post(
        f"/api/conversations/{row['id']}/messages", json={"body": "Following up on this."}
    )
    assert reply.status_code == 201, reply.text


def test_demo_second_run_adds_to_the_workspace(settings: Settings) -> None:
    first = run_demo(settings, 120, seed=1)
    second = run_demo(settings, 80, seed=1)
    assert first.created_agents and not second.created_agents
    with connect(settings) as conn:
        count = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("conversations", "messages", "agents", "channels", "search_index")
        }
    assert count["conversations"] == count["search_index"] == 200
    assert count["messages"] == first.messages + second.messages
    assert count["agents"] == len(first.agents)
    assert count["channels"] == 4


def test_demo_same_seed_same_data(tmp_path: Path, clock: FakeClock) -> None:
    bodies = []
    for name in ("one", "two"):
        settings = Settings(
            data_dir=tmp_path / name, clock=clock, background_tasks=False, password_cost=CHEAP
        )
        run_demo(settings, 50, seed=42)
        with connect(settings) as conn:
            bodies.append(conn.execute("SELECT body, created_at FROM messages").fetchall())
    assert [tuple(r) for r in bodies[0]] == [tuple(r) for r in bodies[1]]


def test_demo_command_prints_progress_and_sign_in(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "desk",
            "demo",
            "--conversations",
            "30",
            "--data-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "DESK_TEST_CHEAP_PASSWORDS": "1"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "30/30 conversations" in result.stderr
    assert "Added 30 conversations" in result.stdout
    assert SAM in result.stdout and demo.DEMO_PASSWORD in result.stdout
