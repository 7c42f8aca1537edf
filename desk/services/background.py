"""Periodic jobs that run inside the server: session pruning now; snooze wake-up, delivery and
time-based automations as they land. Each job is a plain function of the Desk, run in a worker
thread so a slow one never blocks requests; a failing run is logged and retried next period."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import anyio
import anyio.to_thread

from desk.services import (
    attachments,
    auth,
    automation_engine,
    delivery_worker,
    health,
    presence,
    scheduled,
    snooze,
)
from desk.services.backup import CHECK_EVERY_SECONDS, run_daily_backup
from desk.services.channels import email_poller, web_chat
from desk.services.desk import Desk

log = logging.getLogger("desk.background")


@dataclass(frozen=True)
class Job:
    name: str
    every_seconds: float
    run: Callable[[Desk], object]


def checkpoint(desk: Desk) -> None:
    desk.db.checkpoint()


JOBS: list[Job] = [
    Job("prune sessions", 3600, auth.prune),
    Job("forget silent web-chat visitors", 3600, web_chat.forget_silent_visitors),
    # Starts (or restarts) the delivery thread; `delivery.kick` wakes it between checks.
    Job("delivery worker", 30, delivery_worker.ensure_worker),
    # Scheduled replies whose time has come join the delivery queue.
    Job("scheduled send", scheduled.SEND_EVERY_SECONDS, scheduled.send_due),
    # Presence not refreshed for 30 seconds ends as `left` (announced to every agent).
    Job("presence expiry", presence.SWEEP_EVERY_SECONDS, presence.expire_job),
    Job("snooze wake-up", snooze.WAKE_EVERY_SECONDS, snooze.wake_job),
    # Starts the automations worker thread; checks `conversation_waiting` every minute.
    Job("automations", automation_engine.WAITING_EVERY_SECONDS, automation_engine.tick),
    Job("daily backup", CHECK_EVERY_SECONDS, run_daily_backup),
    # A poller thread per active email channel (started at once on channel changes too).
    Job("email pollers", 30, email_poller.ensure_pollers),
    Job("unused uploads", 3600, attachments.remove_unused_uploads),
    # Free space, a full disk coming back, channels, backups: told to the agents on change.
    Job("health", health.CHECK_EVERY_SECONDS, health.check),
    # Fold the WAL into the database and cut it back (SQLite's own checkpoints never shrink it).
    Job("checkpoint", 3600, checkpoint),
    # PRAGMA quick_check once after start (in its worker thread, never blocking start-up),
    # then daily.
    Job("database check", 24 * 3600, health.check_database),
]


async def _loop(desk: Desk, job: Job) -> None:
    while True:
        try:
            await anyio.to_thread.run_sync(job.run, desk)
        except Exception:
            log.exception("background job %r failed", job.name)
        await anyio.sleep(job.every_seconds)


@asynccontextmanager
async def running_jobs(desk: Desk, jobs: list[Job] | None = None) -> AsyncIterator[None]:
    """Run every job until the block exits (the app's lifespan)."""
    async with anyio.create_task_group() as group:
        for job in JOBS if jobs is None else jobs:
            group.start_soon(_loop, desk, job)
        try:
            yield
        finally:
            email_poller.stop_all(desk)  # before the cancel: awaiting in a cancelled scope fails
            group.cancel_scope.cancel()
