"""The channel types Desk knows, by `type`: what the channel CRUD and the delivery worker ask.

A new type: a module beside api.py with an adapter (base.ChannelAdapter), listed here, and
its name added to models.channels.ChannelType (a test checks the two agree).
"""

from __future__ import annotations

from collections.abc import Mapping

from desk.services.channels import api, email, phone, web_chat
from desk.services.channels.base import ChannelAdapter

ADAPTERS: Mapping[str, ChannelAdapter] = {
    adapter.type: adapter
    for adapter in (api.ADAPTER, email.ADAPTER, phone.ADAPTER, web_chat.ADAPTER)
}
# Read-only fields the server adds to a config; ignored when a client sends them back.
WIRING_KEYS = frozenset(key for adapter in ADAPTERS.values() for key in adapter.wiring_keys)


def adapter_for(channel_type: str) -> ChannelAdapter:
    return ADAPTERS[channel_type]
