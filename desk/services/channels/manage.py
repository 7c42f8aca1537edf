"""Channels as admins manage them: list, create, change (incl. (de)activate) and delete, and
the view a client gets. Each channel gets an unguessable token (its inbound hook URL and the
web-chat widget's public token) and a signing secret for outgoing webhooks. What differs per
type (config keys, wiring fields) comes from the type's adapter (registry.py)."""

from __future__ import annotations

import secrets

import msgspec

from desk.errors import Conflict, NotFound
from desk.models.channels import (
    Channel,
    ChannelChanges,
    ChannelCreate,
    ChannelHealth,
    ChannelRecord,
)
from desk.services import channel_health, delivery
from desk.services.channels import email_poller, web_chat_live
from desk.services.channels.config import clean_config, public_config
from desk.services.channels.registry import adapter_for
from desk.services.desk import Desk
from desk.store import attachments as attachments_store
from desk.store import channels as channels_store
from desk.store import outbox as outbox_store
from desk.store.files import FileStore
from desk.store.paging import page_offset
from desk.validation import clean_name


def views(desk: Desk, records: list[ChannelRecord], base_url: str = "") -> list[Channel]:
    """The client's view of stored channels, with their health."""
    health = channel_health.health_of(desk, [(r.id, r.type) for r in records])
    return [view(record, base_url, health[record.id]) for record in records]


def view(record: ChannelRecord, base_url: str = "", health: ChannelHealth | None = None) -> Channel:
    """The client's view of a stored channel: secrets hidden, the type's wiring fields added;
    `base_url` makes URLs in them (the embed snippet) absolute."""
    config = public_config(record.type, record.config)
    config.update(adapter_for(record.type).wiring(record, base_url))
    return Channel(
        id=record.id,
        name=record.name,
        type=record.type,  # type: ignore[arg-type]
        active=record.active,
        config=config,
        created_at=record.created_at,
        updated_at=record.updated_at,
        health=health or ChannelHealth(ok=True),
    )


CHANGED = "channels.changed"


def announce(desk: Desk) -> None:
    """After a commit that added, changed or removed a channel: every agent's stream gets
    `channels.changed` with the channels as `GET /api/settings/workspace` lists them (no
    config), so every inbox shows the new list without a reload."""
    with desk.db.read() as conn:
        refs = channels_store.list_channel_refs(conn)
    desk.events.publish(CHANGED, {"channels": refs}, private=True)


def channel_exists(desk: Desk, channel_id: int) -> bool:
    with desk.db.read() as conn:
        return channels_store.channel_exists(conn, channel_id)


def list_channels(desk: Desk, page: int, per_page: int) -> tuple[list[ChannelRecord], int]:
    with desk.db.read() as conn:
        total = channels_store.count_channels(conn)
        items = channels_store.list_channels(conn, per_page, page_offset(page, per_page))
    return items, total


def create_channel(desk: Desk, data: ChannelCreate) -> ChannelRecord:
    name = clean_name(data.name)
    config = clean_config(data.type, data.config)
    with desk.db.write() as conn:
        channel_id = channels_store.insert_channel(
            conn,
            name=name,
            type=data.type,
            active=data.active,
            config=config,
            token=secrets.token_urlsafe(24),  # 192 bits
            signing_secret=secrets.token_hex(32),  # 256 bits
            now=desk.now_iso(),
        )
        record = channels_store.get_channel(conn, channel_id)
    assert record is not None
    email_poller.channel_changed(desk, record.id)  # a mailbox is read within seconds
    announce(desk)
    return record


def update_channel(desk: Desk, channel_id: int, changes: ChannelChanges) -> ChannelRecord:
    with desk.db.write() as conn:
        current = channels_store.get_channel(conn, channel_id)
        if current is None:
            raise NotFound(f"Channel {channel_id} not found.", code="channel_not_found")
        name = current.name if changes.name is msgspec.UNSET else clean_name(changes.name)
        active = current.active if changes.active is msgspec.UNSET else changes.active
        config = current.config
        if changes.config is not msgspec.UNSET:
            config = clean_config(current.type, changes.config, current.config)
        now = desk.now_iso()
        channels_store.update_channel(
            conn, channel_id, name=name, active=active, config=config, now=now
        )
        # A fixed webhook_url (say) should not wait out a long backoff: retry now.
        retry_now = config != current.config and outbox_store.make_channel_due(
            conn, channel_id, now
        )
        record = channels_store.get_channel(conn, channel_id)
    assert record is not None
    if retry_now:
        delivery.kick(desk)
    if (active, config) != (current.active, current.config):
        email_poller.channel_changed(desk, channel_id)  # restarted, or stopped when inactive
    if record.type == "web_chat" and (
        not record.active
        or record.config.get("allowed_origins") != current.config.get("allowed_origins")
    ):
        web_chat_live.end_channel_streams(desk, channel_id)  # reconnecting checks them anew
    if (name, active) != (current.name, current.active):
        announce(desk)
    return record


def delete_channel(desk: Desk, channel_id: int, *, force: bool) -> None:
    """Delete a channel; with `force`, its conversations (and their messages) go too."""
    with desk.db.write() as conn:
        if not channels_store.channel_exists(conn, channel_id):
            raise NotFound(f"Channel {channel_id} not found.", code="channel_not_found")
        in_use = channels_store.count_channel_conversations(conn, channel_id)
        if in_use and not force:
            raise Conflict(
                f"{in_use} conversation(s) use this channel; delete with ?force=true to remove"
                " them too, or deactivate the channel instead.",
                "channel_in_use",
            )
        stored = attachments_store.files_of_channel(conn, channel_id)
        channels_store.delete_channel(conn, channel_id)
        FileStore(desk.settings.data_dir).remove_unused(conn, stored)
    email_poller.channel_changed(desk, channel_id)
    web_chat_live.end_channel_streams(desk, channel_id)
    announce(desk)
