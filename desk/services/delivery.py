"""The delivery queue: outgoing messages leave through their channel, never from a request.

Creating an outgoing message puts it in the `outbox` table in the same transaction
(`enqueue`), so a reply that got its 201 is never lost, even across a restart; `kick` wakes
the delivery worker (services/delivery_worker.py) after the commit. The worker takes due rows,
hands each to its channel type's adapter (services/channels/) and records the outcome on the
message (`delivery_status`, `delivery_error`):
- success: `sent`, the outbox row goes;
- a temporary failure: still `queued` with the error text visible, retried with exponential
  backoff (5 s, 10 s, 20 s ... at most an hour apart);
- a permanent failure, or MAX_ATTEMPTS failures: `failed` (services/failures.py: the
  conversation shows it and reopens); an agent can retry it (`failures.retry_message`).
Every change publishes `message.updated` after its commit.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime

from desk.models.timestamps import iso
from desk.services.desk import Desk
from desk.store import outbox as outbox_store

# -- called by the messages service inside its write transaction --------------------------


def enqueue(conn: sqlite3.Connection, message_id: int, now: datetime | str) -> None:
    """Queue an outgoing message for delivery, due now. Call `kick` after the commit."""
    outbox_store.add(conn, message_id, now if isinstance(now, str) else iso(now))


def wakeup(desk: Desk) -> threading.Event:
    """What the delivery worker of this Desk waits on between passes."""
    return desk.shared("delivery.wakeup", threading.Event)


def kick(desk: Desk) -> None:
    """Wake the worker (if this Desk runs one) to look at the queue now."""
    wakeup(desk).set()
