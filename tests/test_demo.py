"""`desk demo`: the data it writes is what the real API reads, consistently."""

from __future__ import annotations

import sqlite3
import statistics
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from desk.app import create_app
from desk.config import Settings
from desk.models.workspace import WorkspaceChanges
from desk.services import channel_health, workspace
from desk.services.demo import ahead
from desk.services.demo import generate as demo
from desk.services.demo.script import PRIORITIES
from desk.services.desk import Desk
from desk.store import demo as demo_store
from tests.conftest import CHEAP, FakeClock, login, new_client
from tests.servers import run_desk

SAM = "sam@demo.desk.example"


def run_demo(
    settings: Settings, conversations: int, seed: int = 3, timezone: str | None = None
) -> demo.DemoSummary:
    desk = Desk(settings)
    try:
        if timezone:
            workspace.ensure_workspace(desk)
            workspace.update_workspace(desk, WorkspaceChanges(timezone=timezone))
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
            assert {m["delivery_status"] for m in outgoing} <= {"sent"}
            tag_statuses = conn.execute(  # migration 5: each tag row copies the status
                "SELECT status FROM conversation_tags WHERE conversation_id = ?",
                (conversation["id"],),
            ).fetchall()
            assert {row[0] for row in tag_statuses} <= {conversation["status"]}
        tagged = conn.execute("SELECT count(DISTINCT status) FROM conversation_tags").fetchone()
        assert tagged[0] == 4  # every status is among the tagged conversations


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


def test_demo_plants_the_common_word_in_a_fifth_of_conversations(
    demo_client: TestClient[Litestar], settings: Settings
) -> None:
    from desk.services.demo.text import COMMON_WORD

    with connect(settings) as conn:
        planted = conn.execute(
            "SELECT count(DISTINCT conversation_id) FROM messages WHERE body LIKE ?",
            (f"%{COMMON_WORD}%",),
        ).fetchone()[0]
    assert 0.12 * 200 <= planted <= 0.28 * 200  # 20% of 200, chosen by a hash of the id
    found = demo_client.get(
        "/api/conversations", params={"status": "all", "search": COMMON_WORD}
    ).json()
    assert (found["total"], found["total_capped"]) == (planted, False)


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


@pytest.mark.slow
def test_demo_command_prints_progress_and_sign_in(tmp_path: Path) -> None:
    result = run_desk("demo", "--conversations", "30", "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "30/30 conversations" in result.stderr
    assert "Added 30 conversations" in result.stdout
    assert SAM in result.stdout and demo.DEMO_PASSWORD in result.stdout


LA = ZoneInfo("America/Los_Angeles")


def local(stamp: str, zone: ZoneInfo = LA) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(zone)


def test_demo_traffic_follows_office_hours_in_the_workspace_timezone(settings: Settings) -> None:
    run_demo(settings, 400, timezone="America/Los_Angeles")
    with connect(settings) as conn:
        incoming = [local(r[0]) for r in conn.execute(
            "SELECT created_at FROM messages WHERE type = 'incoming'"
        )]  # fmt: skip
        replies = [local(r[0]) for r in conn.execute(
            "SELECT created_at FROM messages WHERE type = 'outgoing'"
        )]  # fmt: skip
        answered = [(local(r[0]), local(r[1])) for r in conn.execute(
            "SELECT first_incoming_at, first_reply_at FROM conversations"
            " WHERE first_reply_at IS NOT NULL"
        )]  # fmt: skip

    def share(moments: list[datetime], hours: range, weekdays: range = range(5)) -> float:
        inside = [m for m in moments if m.weekday() in weekdays and m.hour in hours]
        return len(inside) / len(moments)

    # Customers write mostly 08:00-18:00 on weekdays, local time; a little outside.
    assert share(incoming, range(8, 18)) > 0.75
    assert 0 < share(incoming, range(24), range(5, 7)) < 0.12  # weekends
    assert 0 < share(incoming, range(18, 24)) < 0.15  # weekday evenings
    # ... which is not office hours in UTC (8 hours ahead): the timezone is the workspace's.
    in_utc = [m.astimezone(UTC) for m in incoming]
    assert share(in_utc, range(8, 18)) < 0.4
    # Agents answer within business hours (09-17 on weekdays by default).
    assert share(replies, range(9, 17)) > 0.9
    # First replies: minutes in the working day, the next morning for late questions.
    by_day = [(reply - asked).total_seconds() / 60 for asked, reply in answered
              if asked.weekday() < 4 and 9 <= asked.hour < 15]  # fmt: skip
    late = [reply for asked, reply in answered if asked.weekday() < 4 and asked.hour >= 19]
    assert statistics.median(by_day) < 90
    assert late and all(r.hour >= 7 for r in late)
    assert sum(9 <= r.hour < 17 for r in late) / len(late) > 0.8


def test_demo_recent_activity_is_spread_out_before_now(settings: Settings) -> None:
    run_demo(settings, 400)
    now = settings.clock().strftime("%Y-%m-%dT%H:%M:%SZ")
    with connect(settings) as conn:
        latest = conn.execute("SELECT max(created_at) FROM messages").fetchone()[0]
        recent = [r[0] for r in conn.execute(
            "SELECT last_activity_at FROM conversations WHERE status = 'open'"
            " ORDER BY last_activity_at DESC LIMIT 20"
        )]  # fmt: skip
    assert latest < now
    assert len(set(recent)) == 20  # no two "just now" at the same instant
    newest, oldest = local(recent[0], ZoneInfo("UTC")), local(recent[-1], ZoneInfo("UTC"))
    assert (oldest - newest).total_seconds() < 0  # ordered newest first
    assert (newest - oldest).total_seconds() > 3600  # over hours, not one moment


def test_demo_never_repeats_a_text_within_a_conversation(settings: Settings) -> None:
    run_demo(settings, 400)
    with connect(settings) as conn:
        repeated = conn.execute(
            "SELECT conversation_id, body FROM messages GROUP BY conversation_id, body"
            " HAVING count(*) > 1"
        ).fetchall()
        notes = conn.execute("SELECT count(*) FROM messages WHERE type = 'note'").fetchone()[0]
    assert notes > 100
    assert [tuple(r) for r in repeated] == []


def test_demo_snoozes_read_as_local_times(settings: Settings) -> None:
    run_demo(settings, 400, timezone="Europe/Berlin")
    berlin = ZoneInfo("Europe/Berlin")
    with connect(settings) as conn:
        snoozed = conn.execute(
            "SELECT c.snoozed_until, m.body FROM conversations c JOIN messages m"
            " ON m.id = (SELECT max(id) FROM messages WHERE conversation_id = c.id)"
            " WHERE c.status = 'snoozed'"
        ).fetchall()
    assert snoozed
    for until, line in snoozed:
        moment = local(until, berlin)
        assert moment.weekday() < 5 and moment.minute == 0  # a working morning or afternoon
        day = f"{moment:%a} {moment.day} {moment:%b}"
        assert line.endswith(f" snoozed this until {day}, {moment:%H}:00 (Europe/Berlin)"), line


def test_demo_mailbox_is_honest_about_not_being_connected(settings: Settings) -> None:
    run_demo(settings, 20)
    desk = Desk(settings)
    try:
        with desk.db.read() as conn:
            row = conn.execute("SELECT id, active FROM channels WHERE type = 'email'").fetchone()
        health = channel_health.health_of(desk, [(row["id"], "email")])[row["id"]]
    finally:
        desk.close()
    assert not row["active"]
    assert health.ok is False
    assert health.last_poll_at is None and health.last_success_at is None  # never "polled"
    assert health.last_error == demo.DEMO_MAIL_NOTICE


def dump(settings: Settings, *tables: str) -> dict[str, list[tuple[Any, ...]]]:
    with connect(settings) as conn:
        return {t: sorted(tuple(r) for r in conn.execute(f"SELECT * FROM {t}")) for t in tables}


def test_demo_bulk_load_does_what_the_insert_triggers_do(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """store/demo.py does the work of the insert triggers per chunk: all of them on this
    schema (else a migration added or changed one: update TAKEN_OVER), with the same result."""
    run_demo(settings, 150)
    desk = Desk(settings)
    try:
        with desk.db.write() as conn, demo_store.bulk_load(conn) as load:
            assert set(load.triggers) == set(demo_store.TAKEN_OVER)
        with desk.db.read() as conn:
            inserts = conn.execute(
                "SELECT name FROM sqlite_schema WHERE type = 'trigger'"
                " AND sql LIKE '%AFTER INSERT%' AND tbl_name IN"
                " ('contacts', 'conversations', 'conversation_tags', 'messages')"
            )
            assert {row[0] for row in inserts} == set(demo_store.TAKEN_OVER)
    finally:
        desk.close()
    monkeypatch.setattr(demo_store, "TAKEN_OVER", {})
    per_row = Settings(
        data_dir=tmp_path / "per-row", clock=settings.clock, background_tasks=False,
        password_cost=CHEAP,
    )  # fmt: skip
    run_demo(per_row, 150)
    tables = ("message_counts", "agent_replies", "conversation_tally", "question_terms",
              "search_vocab", "search_index_config", "question_index_config",
              "contacts_fts_config")  # fmt: skip
    assert dump(settings, *tables) == dump(per_row, *tables)
    schema = "sqlite_schema WHERE type = 'trigger'"
    assert dump(settings, schema) == dump(per_row, schema)
    with connect(settings) as conn:
        assert [r[0] for r in conn.execute("SELECT k FROM search_index_config")] == ["version"]
        for index in ("question_index", "contacts_fts", "search_index"):
            conn.execute(f"INSERT INTO {index} ({index}) VALUES ('integrity-check')")
        found = conn.execute("SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'example'")
        assert found.fetchone()[0] == conn.execute("SELECT count(*) FROM contacts").fetchone()[0]


def test_demo_chunks_made_ahead_are_the_chunks_made_in_turn(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "CHUNK_SIZE", 40)  # 7 chunks,
    monkeypatch.setattr(demo, "TRANSACTION_CHUNKS", 3)  # in 3 transactions
    tables = ("contacts", "conversations", "conversation_tags", "messages", "search_index")
    dumps = []
    for fork in (True, False):
        monkeypatch.setattr(ahead, "FORK", fork)
        settings = Settings(
            data_dir=tmp_path / str(fork), clock=clock, background_tasks=False, password_cost=CHEAP
        )
        assert run_demo(settings, 270, seed=5).conversations == 270
        dumps.append(dump(settings, *tables))
    assert dumps[0] == dumps[1]
    assert len(dumps[0]["conversations"]) == 270


def test_demo_makes_chunks_again_after_another_writer_took_their_ids(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "CHUNK_SIZE", 40)
    desk = Desk(settings)

    def meanwhile(done: int, total: int) -> None:
        if done == 80:  # a contact added between the second and the third chunk
            with desk.db.write() as conn:
                conn.execute(
                    "INSERT INTO contacts (name, created_at, updated_at)"
                    " VALUES ('Someone Else', ?1, ?1)",
                    ("2026-11-29T11:00:00Z",),
                )

    try:
        summary = demo.generate_demo(desk, conversations=200, seed=3, progress=meanwhile)
    finally:
        desk.close()
    with connect(settings) as conn:
        assert conn.execute("SELECT count(*) FROM conversations").fetchone()[0] == 200
        assert conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == summary.contacts + 1
        orphans = (
            "SELECT count(*) FROM conversations WHERE contact_id NOT IN (SELECT id FROM contacts)"
        )
        assert conn.execute(orphans).fetchone()[0] == 0
        # Each demo contact's address carries its own id: none was made for another's.
        for contact_id, email in conn.execute(
            "SELECT id, email FROM contacts WHERE email IS NOT NULL"
        ):
            assert f"{contact_id}@" in email
