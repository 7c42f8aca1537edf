"""GET /api/analytics against hand-built timelines whose answers are worked out below.

The inbox services are not used to build the data: every timestamp here is chosen by hand
(days apart, across a DST change), so rows go straight into the tables the inbox writes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from desk.services.analytics import local_time
from desk.services.desk import Desk
from tests.conftest import FakeClock, new_client


class Timeline:
    """Rows with chosen timestamps, written straight to the inbox tables."""

    def __init__(self, app: Litestar) -> None:
        self.desk: Desk = app.state.desk
        self.channels: dict[str, int] = {}

    def sql(self, statement: str, *params: Any) -> int:
        with self.desk.db.write() as conn:
            return int(conn.execute(statement, params).lastrowid or 0)

    def channel(self, name: str, kind: str) -> int:
        self.channels[name] = self.sql(
            "INSERT INTO channels (name, type, token, signing_secret, created_at, updated_at)"
            " VALUES (?, ?, ?, 's', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
            name, kind, f"token-{name}",
        )  # fmt: skip
        return self.channels[name]

    def conversation(
        self,
        channel: str,
        created: str,
        *,
        assignee: int | None = None,
        status: str = "open",
        first_reply: str | None = None,
        resolved: str | None = None,
        tags: tuple[str, ...] = (),
    ) -> int:
        contact = self.sql(
            "INSERT INTO contacts (name, created_at, updated_at) VALUES ('C', ?, ?)",
            created, created,
        )  # fmt: skip
        conversation = self.sql(
            "INSERT INTO conversations (channel_id, contact_id, status, assignee_id,"
            " first_incoming_at, first_reply_at, resolved_at, created_at, updated_at,"
            " last_activity_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            self.channels[channel], contact, status, assignee, created, first_reply, resolved,
            created, created, created,
        )  # fmt: skip
        for tag in tags:
            self.sql(
                "INSERT INTO conversation_tags (conversation_id, tag, status) VALUES (?, ?, ?)",
                conversation, tag, status,
            )  # fmt: skip
        self.message(conversation, "incoming", created)
        return conversation

    def message(
        self, conversation: int, kind: str, at: str, sender: tuple[str, int | None] = ("", None)
    ) -> None:
        sender_type = sender[0] or {"incoming": "contact", "outgoing": "agent"}.get(kind, "system")
        self.sql(
            "INSERT INTO messages (conversation_id, type, body, sender_type, sender_id,"
            " created_at) VALUES (?, ?, 'text', ?, ?, ?)",
            conversation, kind, sender_type, sender[1], at,
        )  # fmt: skip


def set_timezone(admin: TestClient[Litestar], zone: str) -> None:
    response = admin.post("/api/settings/workspace", json={"timezone": zone})
    assert response.status_code == 200, response.text


ADA, SAM = 1, 2


@pytest.fixture
def berlin_week(
    app: Litestar, admin: TestClient[Litestar], agent: TestClient[Litestar], clock: FakeClock
) -> TestClient[Litestar]:
    """Berlin leaves summer time at 2026-10-25T01:00Z (03:00 CEST -> 02:00 CET). Today is
    Tuesday 2026-10-27 (10:00Z = 11:00 CET); days=4 covers local Sat 24 .. Tue 27, i.e.
    2026-10-23T22:00Z .. 2026-10-27T23:00Z."""
    clock.now = datetime(2026, 10, 27, 10, 0, tzinfo=UTC)
    set_timezone(admin, "Europe/Berlin")
    t = Timeline(app)
    t.channel("Mail", "email")
    t.channel("Chat", "web_chat")
    # A: created 23:30 CEST Fri 23 (before the range), first answered inside it (30600 s).
    a = t.conversation(
        "Mail", "2026-10-23T21:30:00Z", assignee=ADA, status="pending",
        first_reply="2026-10-24T06:00:00Z", tags=("billing",),
    )  # fmt: skip
    t.message(a, "outgoing", "2026-10-24T06:00:00Z", ("agent", ADA))
    # B: created 00:10 CEST Sat 24 (first minutes of the range); answered in 600 s; resolved
    # 02:30 CEST Sun 25 (94800 s). Two more questions at 02:30 CEST and 02:30 CET.
    b = t.conversation(
        "Mail", "2026-10-23T22:10:00Z", assignee=SAM, status="resolved",
        first_reply="2026-10-23T22:20:00Z", resolved="2026-10-25T00:30:00Z",
        tags=("billing", "refund"),
    )  # fmt: skip
    t.message(b, "outgoing", "2026-10-23T22:20:00Z", ("agent", SAM))
    t.message(b, "incoming", "2026-10-25T00:30:00Z")
    t.message(b, "incoming", "2026-10-25T01:30:00Z")
    # C: created 23:30 CET Sun 25 (00:30 Mon if the DST change were missed); 1200 s to answer;
    # resolved 23:30 CET Mon 26 (86400 s).
    c = t.conversation(
        "Chat", "2026-10-25T22:30:00Z", assignee=ADA, status="resolved",
        first_reply="2026-10-25T22:50:00Z", resolved="2026-10-26T22:30:00Z", tags=("refund",),
    )  # fmt: skip
    t.message(c, "outgoing", "2026-10-25T22:50:00Z", ("agent", ADA))
    # D: today 10:00 CET, unanswered.
    t.conversation("Chat", "2026-10-27T09:00:00Z")
    # E: created 23:59:59 CEST Sat 24; a note and an automation reply do not answer it; Sam
    # does at 10:00 CET Mon 26 (126001 s).
    e = t.conversation(
        "Mail", "2026-10-24T21:59:59Z", assignee=SAM, first_reply="2026-10-26T09:00:00Z"
    )
    t.message(e, "note", "2026-10-25T10:00:00Z", ("agent", SAM))
    t.message(e, "outgoing", "2026-10-25T10:05:00Z", ("automation", 1))
    t.message(e, "outgoing", "2026-10-26T09:00:00Z", ("agent", SAM))
    # F: created 09:00 CET Mon 26, resolved an hour later and reopened: not resolved.
    f = t.conversation(
        "Chat", "2026-10-26T08:00:00Z", assignee=ADA, resolved="2026-10-26T09:00:00Z",
        tags=("refund",),
    )  # fmt: skip
    t.message(f, "activity", "2026-10-26T09:00:00Z")
    return agent


def test_analytics_berlin_week_across_dst(berlin_week: TestClient[Litestar]) -> None:
    response = berlin_week.get("/api/analytics?days=4")
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["range"] == {
        "days": 4,
        "from": "2026-10-23T22:00:00Z",
        "to": "2026-10-27T10:00:00Z",
        "timezone": "Europe/Berlin",
    }
    assert data["totals"] == {
        "new_conversations": 5,
        "resolved": 1 + 1,
        "open_now": 4,
        "messages_in": 7,
        "messages_out": 5,
    }
    assert data["by_day"] == [
        {"date": "2026-10-24", "new": 2, "resolved": 0, "messages_in": 2, "messages_out": 2},
        {"date": "2026-10-25", "new": 1, "resolved": 1, "messages_in": 3, "messages_out": 2},
        {"date": "2026-10-26", "new": 1, "resolved": 1, "messages_in": 1, "messages_out": 1},
        {"date": "2026-10-27", "new": 1, "resolved": 0, "messages_in": 1, "messages_out": 0},
    ]
    # 600, 1200, 30600, 126001: median halfway between 1200 and 30600; p90 at rank 2.7.
    assert data["first_response_seconds"] == {"median": 15900, "p90": 97381, "count": 4}
    # 86400, 94800.
    assert data["resolution_seconds"] == {"median": 90600, "p90": 93960, "count": 2}
    assert data["by_channel"] == [
        {"channel_id": 2, "channel_type": "web_chat", "name": "Chat", "new": 3},
        {"channel_id": 1, "channel_type": "email", "name": "Mail", "new": 2},
    ]
    assert data["by_agent"] == [
        {"agent_id": ADA, "name": "Ada Admin", "assigned": 2, "resolved": 1, "replies": 2,
         "first_response_median_seconds": 15900},
        {"agent_id": SAM, "name": "Sam Agent", "assigned": 2, "resolved": 1, "replies": 2,
         "first_response_median_seconds": 63301},
    ]  # fmt: skip
    assert data["by_tag"] == [
        {"tag": "refund", "conversations": 3},
        {"tag": "billing", "conversations": 1},
    ]
    hours = data["busiest_hours"]
    assert len(hours) == 7 and all(len(day) == 24 for day in hours)
    expected = {(5, 0): 1, (5, 23): 1, (6, 2): 2, (6, 23): 1, (0, 9): 1, (1, 10): 1}
    found = {(d, h): n for d, row in enumerate(hours) for h, n in enumerate(row) if n}
    assert found == expected


def test_analytics_two_days_of_the_berlin_week(berlin_week: TestClient[Litestar]) -> None:
    """Mon 26 and Tue 27 only: F (refund) and D are new; C resolved on Monday."""
    data = berlin_week.get("/api/analytics?days=2").json()
    assert data["range"]["from"] == "2026-10-25T23:00:00Z"
    assert [(d["date"], d["new"], d["resolved"]) for d in data["by_day"]] == [
        ("2026-10-26", 1, 1), ("2026-10-27", 1, 0)
    ]  # fmt: skip
    assert data["by_tag"] == [{"tag": "refund", "conversations": 1}]
    assert data["first_response_seconds"] == {"median": 126001, "p90": 126001, "count": 1}
    assert data["resolution_seconds"] == {"median": 86400, "p90": 86400, "count": 1}


def test_analytics_days_default_and_zero_days(
    agent: TestClient[Litestar], clock: FakeClock
) -> None:
    response = agent.get("/api/analytics")
    assert response.status_code == 200
    data = response.json()
    assert data["range"]["days"] == 30 and data["range"]["timezone"] == "UTC"
    assert len(data["by_day"]) == 30
    assert data["by_day"][-1] == {
        "date": "2026-11-29", "new": 0, "resolved": 0, "messages_in": 0, "messages_out": 0
    }  # fmt: skip
    assert data["by_day"][0]["date"] == "2026-10-31"
    assert data["first_response_seconds"] == {"median": None, "p90": None, "count": 0}
    assert data["busiest_hours"] == [[0] * 24] * 7
    assert len(agent.get("/api/analytics?days=365").json()["by_day"]) == 365


@pytest.mark.parametrize("days", ["0", "366", "-1", "abc", "1.5", ""])
def test_analytics_days_out_of_range(agent: TestClient[Litestar], days: str) -> None:
    response = agent.get(f"/api/analytics?days={days}")
    assert response.status_code == 400
    assert "error" in response.json()


def test_analytics_needs_a_session(app: Litestar, admin: TestClient[Litestar]) -> None:
    with new_client(app) as anonymous:
        assert anonymous.get("/api/analytics").status_code == 401


def test_analytics_today_is_local_near_midnight(
    app: Litestar, admin: TestClient[Litestar], clock: FakeClock
) -> None:
    """04:30Z on Nov 29 is still 23:30 on Saturday Nov 28 in New York (UTC-5)."""
    clock.now = datetime(2026, 11, 29, 4, 30, tzinfo=UTC)
    set_timezone(admin, "America/New_York")
    t = Timeline(app)
    t.channel("Phone", "phone")
    t.conversation("Phone", "2026-11-29T04:00:00Z")  # 23:00 Sat Nov 28 local
    t.conversation("Phone", "2026-11-28T04:59:59Z")  # 23:59:59 Fri Nov 27 local
    t.conversation("Phone", "2026-11-28T05:00:00Z")  # 00:00 Sat Nov 28 local
    data = admin.get("/api/analytics?days=1").json()
    assert data["range"]["from"] == "2026-11-28T05:00:00Z"
    assert [(d["date"], d["new"], d["messages_in"]) for d in data["by_day"]] == [
        ("2026-11-28", 2, 2)
    ]
    assert data["busiest_hours"][5][23] == 1 and data["busiest_hours"][5][0] == 1
    assert sum(map(sum, data["busiest_hours"])) == 2


def test_analytics_half_hour_zone_busiest_hours(
    app: Litestar, admin: TestClient[Litestar], clock: FakeClock
) -> None:
    """India is UTC+5:30: now (12:00Z) is 17:30 Sunday Nov 29; 18:40Z Saturday is 00:10
    Sunday and 18:29Z is 23:59 Saturday."""
    set_timezone(admin, "Asia/Kolkata")
    t = Timeline(app)
    t.channel("Phone", "phone")
    t.conversation("Phone", "2026-11-28T18:40:00Z")
    t.conversation("Phone", "2026-11-28T18:29:00Z")
    data = admin.get("/api/analytics?days=2").json()
    assert data["range"]["from"] == "2026-11-27T18:30:00Z"
    assert data["busiest_hours"][6][0] == 1
    assert data["busiest_hours"][5][23] == 1
    assert [(d["date"], d["messages_in"]) for d in data["by_day"]] == [
        ("2026-11-28", 1), ("2026-11-29", 1)
    ]  # fmt: skip


def test_analytics_erasure_removes_counts(
    app: Litestar, admin: TestClient[Litestar], clock: FakeClock
) -> None:
    t = Timeline(app)
    t.channel("Phone", "phone")
    first = t.conversation("Phone", "2026-11-29T08:00:00Z")
    t.conversation("Phone", "2026-11-29T09:00:00Z")
    assert admin.get("/api/analytics?days=1").json()["totals"]["messages_in"] == 2
    contact = admin.get(f"/api/conversations/{first}").json()["contact"]["id"]
    assert admin.delete(f"/api/contacts/{contact}").status_code == 200  # erasure, as users do it
    totals = admin.get("/api/analytics?days=1").json()["totals"]
    assert (totals["new_conversations"], totals["messages_in"]) == (1, 1)


def test_analytics_figures_follow_every_change(
    app: Litestar, admin: TestClient[Litestar], clock: FakeClock
) -> None:
    """Results are reused only while nothing changed: a new message, a renamed channel
    show at once; `to` always says now."""
    t = Timeline(app)
    t.channel("Phone", "phone")
    first = t.conversation("Phone", "2026-11-29T08:00:00Z")
    assert admin.get("/api/analytics?days=1").json()["totals"]["messages_in"] == 1
    t.message(first, "incoming", "2026-11-29T09:00:00Z")
    clock.advance(minutes=5)
    data = admin.get("/api/analytics?days=1").json()
    assert data["totals"]["messages_in"] == 2 and data["range"]["to"] == "2026-11-29T12:05:00Z"
    t.sql("UPDATE channels SET name = 'Hotline'")
    assert admin.get("/api/analytics?days=1").json()["by_channel"][0]["name"] == "Hotline"
    clock.advance(minutes=5)
    assert admin.get("/api/analytics?days=1").json()["range"]["to"] == "2026-11-29T12:10:00Z"


def test_local_time_finds_both_berlin_changes() -> None:
    zone = ZoneInfo("Europe/Berlin")
    found = local_time(zone, datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))
    assert found.boundaries == ["2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z"]
    assert found.offsets == [3600, 7200, 3600]
    assert local_time(
        ZoneInfo("UTC"), datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)
    ).offsets == [0]
