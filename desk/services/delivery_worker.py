"""The delivery worker: a thread per Desk that takes the queue's due messages (see
services/delivery.py), hands each to its channel type's adapter (`send`, services/channels/)
and records the outcome. Due times come from the Desk's clock, so tests move the clock and call
`run_due` instead of waiting.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from functools import partial

from desk.models.messages import DeliveryJob, Message
from desk.models.timestamps import iso, parse_iso
from desk.services import failures
from desk.services.changes import Changes
from desk.services.channels.base import DeliveryError, PreparingAdapter, SendNow
from desk.services.channels.registry import adapter_for
from desk.services.delivery import wakeup
from desk.services.desk import Desk
from desk.store import channel_health as health_store
from desk.store import messages as messages_store
from desk.store import outbox as outbox_store
from desk.store.db import DatabaseError

log = logging.getLogger("desk.delivery")

MAX_ATTEMPTS = 10  # 5 s doubling to 5 s * 2**8: about 43 minutes of trying before `failed`
FIRST_DELAY_SECONDS = 5.0
MAX_DELAY_SECONDS = 3600.0
BATCH = 50
MAX_PARALLEL = 8  # channels delivered side by side in one pass
IDLE_WAIT_SECONDS = 30.0


# -- the delivery pass -------------------------------------------------------------------


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure."""
    return timedelta(seconds=min(FIRST_DELAY_SECONDS * 2 ** (attempts - 1), MAX_DELAY_SECONDS))


def _pass_lock(desk: Desk) -> threading.Lock:
    return desk.shared("delivery.pass_lock", threading.Lock)


def run_due(desk: Desk, limit: int = BATCH) -> int:
    """Deliver every message that is due now (one pass; returns how many were taken).

    Channels are delivered side by side, so one slow or dead receiver never holds up the
    others; within a channel, messages go one after another in queue order, and once one
    fails the rest of that channel's batch waits for the same retry instead of knocking on
    a closed door again. Only the sending happens in the pool; the database work stays in
    this thread.
    """
    with _pass_lock(desk):
        with desk.db.read() as conn:
            jobs = outbox_store.due_jobs(conn, desk.now_iso(), limit)
        groups: dict[int, list[DeliveryJob]] = {}
        for job in jobs:
            groups.setdefault(job.channel_id, []).append(job)
        if not groups:
            return 0
        send = partial(_send_in_order, _prepare(desk, jobs))
        if len(groups) == 1:
            outcomes = [send(jobs_of_channel) for jobs_of_channel in groups.values()]
        else:
            with ThreadPoolExecutor(min(len(groups), MAX_PARALLEL), "desk-send") as pool:
                outcomes = list(pool.map(send, groups.values()))
        for channel_id, group in zip(groups, outcomes, strict=True):
            _record_group(desk, channel_id, group)
    return len(jobs)


Prepared = dict[int, SendNow | DeliveryError]


def _prepare(desk: Desk, jobs: list[DeliveryJob]) -> Prepared:
    """The database work of the types that need it before sending (PreparingAdapter: email),
    in this thread and one write transaction; the pool then only sends."""
    preparing = [
        (job, adapter)
        for job in jobs
        if isinstance(adapter := adapter_for(job.channel_type), PreparingAdapter)
    ]
    prepared: Prepared = {}
    if not preparing:
        return prepared
    with desk.db.write() as conn:
        for job, adapter in preparing:
            try:
                prepared[job.message_id] = adapter.prepare(
                    conn, job, desk.settings.data_dir, desk.now()
                )
            except DeliveryError as exc:
                prepared[job.message_id] = exc
    return prepared


Outcome = tuple[int, DeliveryError | None, bool]  # message id, error, deferred (not tried)


def _send_in_order(prepared: Prepared, jobs: list[DeliveryJob]) -> list[Outcome]:
    outcomes: list[Outcome] = []
    blocked: DeliveryError | None = None
    for job in jobs:
        if blocked is not None:
            outcomes.append((job.message_id, blocked, True))
            continue
        error = _try_send(job, prepared.get(job.message_id))
        if error is not None and not error.permanent:
            blocked = error
        outcomes.append((job.message_id, error, False))
    return outcomes


def _try_send(job: DeliveryJob, prepared: SendNow | DeliveryError | None) -> DeliveryError | None:
    try:
        if isinstance(prepared, DeliveryError):
            raise prepared
        if prepared is not None:
            prepared()
        else:
            adapter_for(job.channel_type).send(job)
    except DeliveryError as exc:
        return exc
    except Exception:  # an adapter bug must not stop the queue
        log.exception("delivering message %s failed unexpectedly", job.message_id)
        return DeliveryError("Delivery failed with an internal error; see the server log.")
    return None


def _record_group(desk: Desk, channel_id: int, outcomes: list[Outcome]) -> None:
    retry_at: str | None = None  # when the channel's failed message is tried again
    for message_id, error, deferred in outcomes:
        if not deferred:
            _note_health(desk, channel_id, error)
        message, due_at = _record_outcome(desk, message_id, error, deferred, retry_at)
        retry_at = due_at or retry_at
        if isinstance(message, Changes):
            failures.publish_failure(desk, message_id, message)
        elif message is not None:
            desk.events.publish("message.updated", message)


def _note_health(desk: Desk, channel_id: int, error: DeliveryError | None) -> None:
    """The sending side of the channel's health: its last success and failure."""
    now = desk.now_iso()
    with desk.db.write() as conn:
        if error is None:
            health_store.note_success(conn, channel_id, "send", now)
        else:
            health_store.note_failure(conn, channel_id, "send", error.message, now)


def _record_outcome(
    desk: Desk,
    message_id: int,
    error: DeliveryError | None,
    deferred: bool,
    retry_at: str | None,
) -> tuple[Message | Changes | None, str | None]:
    """Write one outcome; returns the message as it now is (or, when it failed for good, what
    that changed: `failures.mark_failed`) and its next attempt, if any."""
    with desk.db.write() as conn:
        item = outbox_store.get_item(conn, message_id)
        if item is None:  # erased (contact or channel deleted) while we were sending
            return None, None
        attempts = item.attempts + 1
        due_at = None
        if error is None:
            outbox_store.remove(conn, message_id)
            outbox_store.set_delivery(conn, message_id, "sent", None)
        elif deferred:  # not tried: waits behind the channel's failed message
            due_at = retry_at or iso(desk.now() + backoff(1))
            text = f"Waiting to retry: {error.message}"
            outbox_store.reschedule(
                conn, message_id, attempts=item.attempts, due_at=due_at, error=text
            )
            outbox_store.set_delivery(conn, message_id, "queued", text)
        elif error.permanent or attempts >= MAX_ATTEMPTS:
            return failures.mark_failed(conn, message_id, error.message, desk.now_iso()), None
        else:
            due_at = iso(desk.now() + backoff(attempts))
            text = f"{error.message} Retrying (attempt {attempts + 1} of {MAX_ATTEMPTS})."
            outbox_store.reschedule(conn, message_id, attempts=attempts, due_at=due_at, error=text)
            outbox_store.set_delivery(conn, message_id, "queued", text)
        return messages_store.get_message(conn, message_id), due_at


# -- the worker thread ---------------------------------------------------------------------


class _Worker:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.wakeup = wakeup(desk)  # set by delivery.kick
        self.thread = threading.Thread(target=self._run, name="desk-delivery", daemon=True)

    def _run(self) -> None:
        while True:
            self.wakeup.clear()
            try:
                attempted = run_due(self.desk)
                wait = 0.0 if attempted >= BATCH else self._seconds_to_next()
            except (DatabaseError, sqlite3.ProgrammingError):
                return  # the database was closed: the app is shutting down
            except Exception:
                log.exception("delivery pass failed")
                wait = IDLE_WAIT_SECONDS
            if wait > 0:
                self.wakeup.wait(wait)

    def _seconds_to_next(self) -> float:
        with self.desk.db.read() as conn:
            due_at = outbox_store.next_due_at(conn)
        if due_at is None:
            return IDLE_WAIT_SECONDS
        seconds = (parse_iso(due_at) - self.desk.now()).total_seconds()
        return min(max(seconds, 0.2), IDLE_WAIT_SECONDS)


class _WorkerSlot:
    """This Desk's delivery thread, once the background job has started it."""

    worker: _Worker | None = None


def _slot(desk: Desk) -> _WorkerSlot:
    return desk.shared("delivery.worker", _WorkerSlot)


def ensure_worker(desk: Desk) -> None:
    """The background job: start the delivery thread, or restart it if it died."""
    slot = _slot(desk)
    worker = slot.worker
    if worker is None or not worker.thread.is_alive():
        worker = slot.worker = _Worker(desk)
        worker.thread.start()
    worker.wakeup.set()
