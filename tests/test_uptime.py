"""Long uptime: 90 simulated days of a busy desk on the injected clock, running the background
jobs as the server would. What only grows must stay bounded: sessions, login attempts,
delivered outbox rows, the event backlog, the WAL, automatic backups, unused uploads. And
live-event ids never go backwards, even when the system clock does."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desk.app import create_app
from desk.config import Settings
from desk.services import attachments, auth, backup, delivery_worker, events
from desk.services.background import JOBS, checkpoint
from desk.services.desk import Desk
from desk.store.db import WAL_SIZE_LIMIT_BYTES
from tests.conftest import ADMIN, CHEAP, SETUP_TOKEN, FakeClock, login, new_client, run_setup
from tests.inbox_helpers import desk_of, start
from tests.webhook_receiver import Receiver

DAYS = 90


def settings_on(data_dir: Path, clock: FakeClock) -> Settings:
    return Settings(
        data_dir=data_dir,
        password_cost=CHEAP,
        setup_token=SETUP_TOKEN,
        background_tasks=False,
        clock=clock,
    )


def count(conn: sqlite3.Connection, sql: str) -> int:
    return int(conn.execute(sql).fetchone()[0])


def run_jobs(desk: Desk) -> None:
    """The jobs this test covers, as the background loop runs them."""
    auth.prune(desk)
    attachments.remove_unused_uploads(desk)
    backup.run_daily_backup(desk)
    checkpoint(desk)


def test_jobs_this_test_relies_on_run_in_the_server() -> None:
    ran = {job.run for job in JOBS}
    assert {
        auth.prune,
        attachments.remove_unused_uploads,
        backup.run_daily_backup,
        checkpoint,
    } <= ran


def test_ninety_busy_days_stay_bounded(tmp_path: Path, clock: FakeClock) -> None:
    data_dir = tmp_path / "data"
    app = create_app(settings_on(data_dir, clock))
    receiver = Receiver()
    try:
        with new_client(app) as admin:
            run_setup(admin)
            desk = desk_of(admin)
            channel = admin.post(
                "/api/channels",
                json={"name": "Shop", "type": "api", "config": {"webhook_url": receiver.url}},
            ).json()
            receiver.secret = channel["config"]["signing_secret"]
            conversation = start(admin, channel["id"], message="Where is my parcel?")
            peak_wal = 0
            for day in range(DAYS):
                # A new working day: the admin signs in again (yesterday's session went idle).
                login(admin, ADMIN["email"], ADMIN["password"])
                for _ in range(4):  # agents sign in on other machines and leave their sessions
                    other = new_client(app)
                    right = {"email": ADMIN["email"], "password": ADMIN["password"]}
                    assert other.post("/api/auth/login", json=right).status_code == 200
                wrong = {"email": ADMIN["email"], "password": "not it"}
                for _ in range(3):
                    assert new_client(app).post("/api/auth/login", json=wrong).status_code == 401
                upload = admin.post(
                    "/api/attachments", files={"file": (f"day{day}.txt", f"day {day}".encode())}
                )
                assert upload.status_code == 201, upload.text
                for n in range(12):  # replies, delivered by the webhook
                    body = {"body": f"Day {day}, reply {n}: " + "text " * 200, "type": "outgoing"}
                    response = admin.post(
                        f"/api/conversations/{conversation['id']}/messages", json=body
                    )
                    assert response.status_code == 201, response.text
                delivery_worker.run_due(desk)
                wal = data_dir / "desk.db-wal"
                peak_wal = max(peak_wal, wal.stat().st_size if wal.exists() else 0)
                for _ in range(4):  # the day passes; the jobs run
                    clock.advance(hours=6)
                    run_jobs(desk)

            conn = sqlite3.connect(data_dir / "desk.db")
            try:
                # Sessions: only those not idle for 12 hours (the admin's own) remain.
                assert count(conn, "SELECT count(*) FROM sessions") <= 1 + 4
                assert count(conn, "SELECT count(*) FROM login_attempts") == 0
                assert count(conn, "SELECT count(*) FROM outbox") == 0
                replies = count(conn, "SELECT count(*) FROM messages WHERE type = 'outgoing'")
                assert replies == DAYS * 12
                # Never used: each removed 24 hours after its upload (today's may remain).
                assert count(conn, "SELECT count(*) FROM attachments") <= 1
            finally:
                conn.close()
            assert len(receiver.requests) == DAYS * 12
            files = [p for p in (data_dir / "attachments").rglob("*") if p.is_file()]
            assert len(files) <= 1
            assert len(backup.list_backups(data_dir, backup.AUTO_PREFIX)) == backup.KEEP_AUTOMATIC
            assert len(list((data_dir / "backups").glob("*.files"))) <= backup.KEEP_AUTOMATIC
            wal = data_dir / "desk.db-wal"
            assert not wal.exists() or wal.stat().st_size <= WAL_SIZE_LIMIT_BYTES
            assert peak_wal <= WAL_SIZE_LIMIT_BYTES
            # The event backlog is bounded whatever was published.
            published = desk.events.last_id
            for n in range(events.BACKLOG + 500):
                desk.events.publish("test.tick", {"n": n})
            assert desk.events.last_id == published + events.BACKLOG + 500
            assert len(desk.events._backlog) == events.BACKLOG
    finally:
        receiver.stop()


def test_event_ids_never_go_backwards_when_the_clock_does(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(events, "FLOOR_BLOCK", 5)  # cross many reserved blocks
    settings = settings_on(tmp_path / "data", clock)
    seen: list[int] = []

    def publish(desk: Desk, times: int) -> None:
        for n in range(times):
            seen.append(desk.events.publish("test.tick", {"n": n}).id)

    first = Desk(settings)
    publish(first, 12)
    first.close()
    clock.advance(hours=-1)  # the system clock is set back an hour, then Desk restarts
    second = Desk(settings)
    publish(second, 3)
    # Killed without closing, and the clock goes back again.
    clock.advance(hours=-1)
    third = Desk(settings)
    publish(third, 3)
    third.close()
    second.close()
    assert seen == sorted(seen) and len(set(seen)) == len(seen), seen


def test_a_floor_that_cannot_be_written_still_gives_growing_ids(
    tmp_path: Path, clock: FakeClock
) -> None:
    floor = events.IdFloor(tmp_path / "missing-folder" / "event-id-floor")
    bus = events.EventBus(first_id=1000, floor=floor)
    ids = [bus.publish("x", {}).id for _ in range(3)]
    assert ids == [1001, 1002, 1003]
