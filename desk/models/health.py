"""What `/api/health` says: up, and what is wrong with the machine Desk runs on."""

from __future__ import annotations

from typing import Literal

import msgspec

ProblemCode = Literal["disk_full", "disk_low", "database_damaged", "backup_failed", "channel_down"]


class Problem(msgspec.Struct, frozen=True):
    code: ProblemCode
    message: str  # one line: what is wrong and what to do


class Health(msgspec.Struct, frozen=True):
    status: Literal["ok", "degraded"]
    version: str
    problems: list[Problem] = msgspec.field(default_factory=list)
