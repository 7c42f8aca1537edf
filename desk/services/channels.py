"""Channels (admin): where conversations come from and where replies go, and the `api`
channel's inbound hook. Each channel gets an unguessable token (its inbound hook URL and the
web-chat widget's public token) and a signing secret for outgoing webhooks."""

from __future__ import annotations

import html
import secrets
from typing import Any, Literal

import msgspec

from desk.errors import Conflict, Invalid, NotFound
from desk.services import contacts as contacts_service
from desk.services import conversations as conversations_service
from desk.services import delivery, web_chat_live
from desk.services.channel_config import clean_config, public_config
from desk.services.context import Desk
from desk.services.inbox import Changes, clean_body, publish_changes
from desk.services.validation import clean_name
from desk.store import channels as channels_store
from desk.store import outbox as outbox_store
from desk.store.channels import ChannelRecord
from desk.store.paging import page_offset

ChannelType = Literal["web_chat", "email", "api", "phone"]
MAX_THREAD_ID = 200


class Channel(msgspec.Struct, kw_only=True):
    """A channel as the API shows it: secrets hidden, wiring fields added to `config`."""

    id: int
    name: str
    type: ChannelType
    active: bool
    config: dict[str, Any]
    created_at: str
    updated_at: str


class ChannelCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: str
    type: ChannelType
    config: dict[str, Any] = msgspec.field(default_factory=dict)
    active: bool = True


class ChannelChanges(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: str | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET
    # Merged over the stored config: keys left out (a secret, say) keep their value.
    config: dict[str, Any] | msgspec.UnsetType = msgspec.UNSET


def view(record: ChannelRecord, base_url: str = "") -> Channel:
    """The client's view of a stored channel; `base_url` makes the embed snippet absolute."""
    config = public_config(record.type, record.config)
    if record.type == "api":
        config["inbound_url"] = f"/hooks/{record.token}/messages"
        config["signing_secret"] = record.signing_secret
    elif record.type == "web_chat":
        config["public_token"] = record.token
        config["identity_secret"] = record.signing_secret
        src = html.escape(f"{base_url.rstrip('/')}/widget.js", quote=True)
        config["embed_snippet"] = (
            f'<script src="{src}" data-desk-token="{record.token}" async></script>'
        )
    return Channel(
        id=record.id,
        name=record.name,
        type=record.type,  # type: ignore[arg-type]
        active=record.active,
        config=config,
        created_at=record.created_at,
        updated_at=record.updated_at,
    )


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
    return record


def update_channel(desk: Desk, channel_id: int, changes: ChannelChanges) -> ChannelRecord:
    with desk.db.write() as conn:
        current = channels_store.get_channel(conn, channel_id)
        if current is None:
            raise NotFound(f"Channel {channel_id} not found.")
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
    if record.type == "web_chat" and (
        not record.active
        or record.config.get("allowed_origins") != current.config.get("allowed_origins")
    ):
        web_chat_live.end_channel_streams(desk, channel_id)  # reconnecting checks them anew
    return record


def delete_channel(desk: Desk, channel_id: int, *, force: bool) -> None:
    """Delete a channel; with `force`, its conversations (and their messages) go too."""
    with desk.db.write() as conn:
        if not channels_store.channel_exists(conn, channel_id):
            raise NotFound(f"Channel {channel_id} not found.")
        in_use = channels_store.count_channel_conversations(conn, channel_id)
        if in_use and not force:
            raise Conflict(
                f"{in_use} conversation(s) use this channel; delete with ?force=true to remove"
                " them too, or deactivate the channel instead."
            )
        channels_store.delete_channel(conn, channel_id)
    web_chat_live.end_channel_streams(desk, channel_id)


# -- the api channel's inbound hook ----------------------------------------------------------


class HookContact(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    external_id: str | None = None


class HookMessage(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    contact: HookContact
    body: str
    thread_id: str | None = None
    subject: str | None = None


class HookReceipt(msgspec.Struct, kw_only=True):
    conversation_id: int
    message_id: int


def _hook_channel(desk: Desk, token: str) -> ChannelRecord | None:
    with desk.db.read() as conn:
        channel = channels_store.find_channel_by_token(conn, token)
    if channel is None or channel.type != "api" or not channel.active:
        return None
    return channel


def hook_exists(desk: Desk, token: str) -> bool:
    """An active `api` channel has this token (unknown, inactive or other types: 404)."""
    return _hook_channel(desk, token) is not None


def receive_hook(desk: Desk, token: str, data: HookMessage) -> HookReceipt:
    """Another system posted a message from a contact: continue or start their conversation."""
    channel = _hook_channel(desk, token)
    if channel is None:
        raise NotFound("No active API channel has this hook URL.")
    who = data.contact
    if not any((v or "").strip() for v in (who.email, who.phone, who.external_id)):
        raise Invalid("contact needs an email, a phone or an external_id.", "contact")
    body = clean_body(data.body)  # the same rule as every message
    thread_id = (data.thread_id or "").strip() or None
    if thread_id and len(thread_id) > MAX_THREAD_ID:
        raise Invalid(f"thread_id must be at most {MAX_THREAD_ID} characters.", "thread_id")
    now = desk.now_iso()
    changes = Changes()
    with desk.db.write() as conn:  # one transaction: the contact, the conversation, the message
        contact_id = contacts_service.resolve_contact(
            conn, now, name=who.name, email=who.email, phone=who.phone, external_id=who.external_id
        )
        message_id = conversations_service.record_incoming(
            conn,
            changes,
            now,
            channel_id=channel.id,
            contact_id=contact_id,
            body=body,
            thread_key=thread_id,
            subject=data.subject,
            external_id=None,
        )
    publish_changes(desk, changes)
    return HookReceipt(conversation_id=changes.conversation_id, message_id=message_id)
