"""`api`: other systems post a contact's messages in and get the team's replies out.

Inbound: `POST /hooks/{token}/messages` (the channel's `inbound_url`, whose unguessable token
is the credential) continues or starts the contact's conversation (`receive_hook`).

Outbound: each reply is queued, then POSTed as JSON to the channel's `webhook_url`;
`X-Desk-Signature: sha256=<hex>` is the HMAC-SHA256 of the exact body bytes with the channel's
`signing_secret`, so the receiver can check who sent it. Delivery is at least once: a receiver
that answered but whose answer was lost gets the message again, with the same
`X-Desk-Message-Id`.
"""

from __future__ import annotations

import hashlib
import hmac
import socket
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any

import msgspec

import desk
from desk.errors import Invalid, NotFound
from desk.models.channels import ChannelRecord
from desk.models.messages import DeliveryJob, DeliveryStatus, Sender
from desk.services import contacts as contacts_service
from desk.services import incoming, outgoing
from desk.services.changes import Changes, publish_changes
from desk.services.channels.base import ConfigKey, DeliveryError
from desk.services.desk import Desk
from desk.store import channels as channels_store
from desk.validation import check_http_url, clean_body

TIMEOUT_SECONDS = 10.0
SIGNATURE_HEADER = "X-Desk-Signature"


# -- the adapter -------------------------------------------------------------------------------

CONFIG_KEYS: Mapping[str, ConfigKey] = {
    "webhook_url": ConfigKey(check_http_url, None, nullable=True),
}


class ApiAdapter:
    type = "api"
    config_keys = CONFIG_KEYS
    wiring_keys = frozenset({"inbound_url", "signing_secret"})
    reply_status: DeliveryStatus = "queued"

    def wiring(self, channel: ChannelRecord, base_url: str) -> dict[str, Any]:
        return {
            "inbound_url": f"/hooks/{channel.token}/messages",
            "signing_secret": channel.signing_secret,
        }

    def send(self, job: DeliveryJob) -> None:
        url = job.channel_config.get("webhook_url")
        if not url:
            raise DeliveryError(
                "This API channel has no webhook_url; set one in the channel's settings, then"
                " retry.",
                permanent=True,
            )
        post_signed(str(url), webhook_payload(job), job.signing_secret, message_id=job.message_id)


ADAPTER = ApiAdapter()


# -- outbound: signed webhooks -----------------------------------------------------------------


def sign(body: bytes, secret: str) -> str:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def post_signed(
    url: str, body: bytes, secret: str, *, message_id: int, timeout: float = TIMEOUT_SECONDS
) -> None:
    """POST `body` to `url`, signed; raise DeliveryError unless the answer is 2xx."""
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": f"Desk/{desk.__version__}",
            SIGNATURE_HEADER: sign(body, secret),
            "X-Desk-Message-Id": str(message_id),
        },
    )
    where = outgoing.location(url)  # never the path (it may hold a token), user or password
    try:
        with outgoing.open_url(request, timeout) as response:
            response.read(65536)
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"The webhook at {where} answered HTTP {exc.code}.") from None
    except TimeoutError:
        raise DeliveryError(
            f"The webhook at {where} did not answer within {timeout:g} s."
        ) from None
    except urllib.error.URLError as exc:
        raise DeliveryError(f"Could not reach the webhook at {where}: {_reason(exc)}.") from None
    except (OSError, ValueError) as exc:
        raise DeliveryError(f"Could not reach the webhook at {where}: {_reason(exc)}.") from None
    if not 200 <= status < 300:
        raise DeliveryError(f"The webhook at {where} answered HTTP {status}.")


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, TimeoutError):
        return "timed out"
    if isinstance(reason, socket.gaierror):
        return "unknown host"
    if isinstance(reason, outgoing.RefusedAddress):
        return str(reason)
    text = getattr(reason, "strerror", None) or str(reason)
    return str(text)[:200]


class WebhookMessage(msgspec.Struct):
    id: int
    conversation_id: int
    body: str
    sender: Sender
    created_at: str


class WebhookContact(msgspec.Struct):
    id: int
    name: str | None
    email: str | None
    phone: str | None
    external_id: str | None


class WebhookConversation(msgspec.Struct):
    id: int
    subject: str
    thread_id: str | None


class WebhookPayload(msgspec.Struct):
    """What an `api` channel's webhook receives for each reply."""

    event: str
    message: WebhookMessage
    conversation: WebhookConversation
    contact: WebhookContact


def webhook_payload(job: DeliveryJob) -> bytes:
    payload = WebhookPayload(
        event="message.created",
        message=WebhookMessage(
            id=job.message_id,
            conversation_id=job.conversation_id,
            body=job.body,
            sender=Sender(
                type=job.sender_type,  # type: ignore[arg-type]
                id=job.sender_id,
                name=job.sender_name,
            ),
            created_at=job.created_at,
        ),
        conversation=WebhookConversation(
            id=job.conversation_id, subject=job.subject, thread_id=job.thread_key
        ),
        contact=WebhookContact(
            id=job.contact_id,
            name=job.contact_name,
            email=job.contact_email,
            phone=job.contact_phone,
            external_id=job.contact_external_id,
        ),
    )
    return msgspec.json.encode(payload)


# -- inbound: the hook -------------------------------------------------------------------------

MAX_THREAD_ID = 200


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
        message_id = incoming.record_incoming(
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
