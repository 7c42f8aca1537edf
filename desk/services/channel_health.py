"""`Channel.health`: is the channel working, as its connections last showed.

- `email`: the last mailbox poll and the last send. Healthy once a poll worked and neither
  side's latest attempt failed; a channel never polled yet is not healthy (nothing has shown
  that it works), with no error either.
- `api`: the last webhook delivery (healthy until one fails).
- `phone`, `web_chat`: nothing to connect to: always healthy.

`last_error` / `last_error_at` are the newest failure of either side, kept after a recovery
so an admin can see what happened; `ok` says whether it is over.
"""

from __future__ import annotations

from desk.models.channels import ChannelHealth
from desk.services.desk import Desk
from desk.store import channel_health as store
from desk.store.channel_health import HealthRecord


def health_of(desk: Desk, channels: list[tuple[int, str]]) -> dict[int, ChannelHealth]:
    """The health of these (id, type) channels."""
    with desk.db.read() as conn:
        records = store.health_of(conn, [channel_id for channel_id, _ in channels])
    return {channel_id: judge(kind, records[channel_id]) for channel_id, kind in channels}


def _side_ok(ok_at: str | None, error_at: str | None) -> bool:
    return error_at is None or (ok_at is not None and ok_at >= error_at)


def judge(kind: str, record: HealthRecord) -> ChannelHealth:
    if kind in ("phone", "web_chat"):
        return ChannelHealth(ok=True)
    send_ok = _side_ok(record.send_ok_at, record.send_error_at)
    if kind == "api":
        return ChannelHealth(
            ok=send_ok,
            last_success_at=record.send_ok_at,
            last_error=record.send_error,
            last_error_at=record.send_error_at,
        )
    receive_ok = record.receive_ok_at is not None and _side_ok(
        record.receive_ok_at, record.receive_error_at
    )
    errors = [
        (at, text)
        for at, text in (
            (record.receive_error_at, record.receive_error),
            (record.send_error_at, record.send_error),
        )
        if at is not None
    ]
    last_error_at, last_error = max(errors) if errors else (None, None)
    successes = [at for at in (record.receive_ok_at, record.send_ok_at) if at is not None]
    return ChannelHealth(
        ok=receive_ok and send_ok,
        last_success_at=max(successes) if successes else None,
        last_error=last_error,
        last_error_at=last_error_at,
        last_poll_at=record.receive_ok_at,
        dropped=record.dropped,
    )
