"""`web_chat`: the chat widget on the team's website. Its config: the origins that may embed it,
the greeting, the colour. Its wiring: the public token and the `<script>` snippet to paste.
Replies are read from Desk by the widget, so they are `sent` at once and never queued."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from desk.models.channels import ChannelRecord
from desk.models.messages import DeliveryJob, DeliveryStatus
from desk.services.channels.base import ConfigKey
from desk.validation import check_color, check_origins, check_text

CONFIG_KEYS: Mapping[str, ConfigKey] = {
    "allowed_origins": ConfigKey(check_origins, []),
    "greeting": ConfigKey(lambda v, f: check_text(v, f), "Hi! How can we help?"),
    "color": ConfigKey(check_color, "#3b82f6"),
}


class WebChatAdapter:
    type = "web_chat"
    config_keys = CONFIG_KEYS
    wiring_keys = frozenset({"public_token", "embed_snippet"})
    reply_status: DeliveryStatus = "sent"

    def wiring(self, channel: ChannelRecord, base_url: str) -> dict[str, Any]:
        """The public token, and the snippet (absolute with `base_url`) that loads the widget."""
        src = html.escape(f"{base_url.rstrip('/')}/widget.js", quote=True)
        snippet = f'<script src="{src}" data-desk-token="{channel.token}" async></script>'
        return {"public_token": channel.token, "embed_snippet": snippet}

    def send(self, job: DeliveryJob) -> None:
        """Nothing to hand over: the widget reads replies from Desk (replies start `sent`)."""


ADAPTER = WebChatAdapter()
