"""`phone`: conversations an agent logs by hand (calls, walk-ins). No config and no wiring; a
reply was said on the phone, so it is `sent` the moment it is logged and never queued."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desk.models.channels import ChannelRecord
from desk.models.messages import DeliveryJob, DeliveryStatus
from desk.services.channels.base import ConfigKey


class PhoneAdapter:
    type = "phone"
    config_keys: Mapping[str, ConfigKey] = {}
    wiring_keys: frozenset[str] = frozenset()
    reply_status: DeliveryStatus = "sent"

    def wiring(self, channel: ChannelRecord, base_url: str) -> dict[str, Any]:
        return {}

    def send(self, job: DeliveryJob) -> None:
        """Nothing to hand over: the reply was said on the phone (replies start `sent`)."""


ADAPTER = PhoneAdapter()
