"""The one small interface every channel type implements (`ChannelAdapter`), and the error
its outbound side raises.

A channel type is one module of this package holding everything about that type: the keys
of its `config` (checks, defaults, secrets), the read-only wiring fields a client sees
(an inbound URL, a public token), the delivery status a new reply starts with, how the
delivery worker sends one queued reply, and its inbound side (the `api` type's hook, say).
`registry.py` lists the types; the channel CRUD (`manage.py`) and the delivery worker ask it.

Where what comes next plugs in, beside this interface rather than in it:
- a type that polls (email: IMAP) runs a per-channel background task; channels change only
  through `manage.py` (create, update incl. (de)activation, delete), so that is where such a
  task is started, re-read or stopped after the commit, and where a per-channel health record
  and a "check connection" call belong;
- a type with a public API of its own (web_chat's visitor API) adds its routes in `desk/api/`,
  calling its module here, as the `api` type's `/hooks` route calls `api.receive_hook`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from desk.models.channels import ChannelRecord
from desk.models.messages import DeliveryJob, DeliveryStatus


class DeliveryError(Exception):
    """Delivery did not happen. `permanent` ones are not retried (nothing would change)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


@dataclass(frozen=True)
class ConfigKey:
    """One key of a type's `config`: `check(value, "config.<key>")` returns the value to store
    or raises Invalid; a `secret` is never shown (only `<key>_set`); `nullable` keeps an
    explicit null instead of resetting the key to its default."""

    check: Callable[[Any, str], Any]
    default: Any = None
    required: bool = False
    secret: bool = False
    nullable: bool = False


class ChannelAdapter(Protocol):
    """Everything Desk needs to know about one channel type."""

    @property
    def type(self) -> str:
        """The `type` of the channels it serves ("api", "email", ...)."""
        ...

    @property
    def config_keys(self) -> Mapping[str, ConfigKey]:
        """The keys its `config` may hold."""
        ...

    @property
    def wiring_keys(self) -> frozenset[str]:
        """The read-only `config` fields `wiring` adds (ignored when a client sends them back)."""
        ...

    @property
    def reply_status(self) -> DeliveryStatus:
        """A new reply's delivery status: `queued` (the worker will `send` it) or `sent`."""
        ...

    def wiring(self, channel: ChannelRecord, base_url: str) -> dict[str, Any]:
        """What a client needs to connect the channel (an inbound URL, a public token);
        `base_url` (the server's, as the client reached it) makes URLs absolute."""
        ...

    def send(self, job: DeliveryJob) -> None:
        """Hand one queued reply over (called by the delivery worker, never in a request);
        raise DeliveryError(message, permanent=...) when it did not go out."""
        ...
