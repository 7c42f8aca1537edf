"""`web_chat`: the chat widget on the team's website, and its visitors' side.

The channel: its config (the origins that may embed it, the greeting and greetings per
language, the colour), its wiring (the public token, the `<script>` snippet to paste, the
`identity_secret`), and replies that are `sent` at once (the widget reads them from Desk).

The visitors (API.md, "The web chat widget"): the public token names the channel; a visitor
token (256 random bits, only its hash stored) names the visitor. A visitor sees their own
conversation only: what they wrote and what the team replied, never notes, activity or the
contact's other conversations. Their messages are incoming messages like any channel's
(unread, automations, live events, analytics). Live updates: `web_chat_live`.

Identity: a typed email is unverified. It becomes the new contact's email only if no contact
has it yet; otherwise the visitor gets a contact of their own with the address in
`custom_attributes.unverified_email`, for an agent to merge by hand. A site that knows its
signed-in user signs the lower-cased email with the channel's `identity_secret` (`email_hmac`,
hex HMAC-SHA256); a visitor so vouched for joins the contact with that email.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import secrets
import sqlite3
from collections.abc import Mapping
from datetime import timedelta
from typing import Any, Literal

import msgspec

from desk.errors import Invalid, TooManyAttempts, Unauthorized
from desk.models.channels import ChannelRecord
from desk.models.messages import DeliveryJob, DeliveryStatus
from desk.models.timestamps import iso
from desk.models.web_chat import (
    VisibleMessage,
    Visitor,
    VisitorCreate,
    VisitorPost,
    VisitorToken,
    WidgetConfig,
    WidgetMessage,
    WidgetPage,
    WidgetSender,
)
from desk.services.automation_rules import in_business_hours
from desk.services.changes import Changes, publish_changes
from desk.services.channels import web_chat_live
from desk.services.channels.base import ConfigKey
from desk.services.desk import Desk
from desk.services.incoming import record_incoming
from desk.services.limits import SlidingWindow
from desk.services.workspace import get_workspace
from desk.store import channels as channels_store
from desk.store import contacts as contacts_store
from desk.store import messages as messages_store
from desk.store import visitors as store
from desk.validation import (
    check_color,
    check_greetings,
    check_origins,
    check_text,
    clean_contact_text,
    clean_optional_email,
)

DEFAULT_GREETING = "Hi! How can we help?"
DEFAULT_COLOR = "#3b82f6"
CONFIG_KEYS: Mapping[str, ConfigKey] = {
    "allowed_origins": ConfigKey(check_origins, []),
    "greeting": ConfigKey(lambda v, f: check_text(v, f), DEFAULT_GREETING),
    "greetings": ConfigKey(check_greetings, {}),
    "color": ConfigKey(check_color, DEFAULT_COLOR),
}


class WebChatAdapter:
    type = "web_chat"
    config_keys = CONFIG_KEYS
    wiring_keys = frozenset({"public_token", "embed_snippet", "identity_secret"})
    reply_status: DeliveryStatus = "sent"

    def wiring(self, channel: ChannelRecord, base_url: str) -> dict[str, Any]:
        """The public token, the snippet (absolute with `base_url`) that loads the widget, and
        the secret a website signs its signed-in users' emails with (the signing secret every
        channel has; web chat sends no webhooks)."""
        src = html.escape(f"{base_url.rstrip('/')}/widget.js", quote=True)
        snippet = f'<script src="{src}" data-desk-token="{channel.token}" async></script>'
        return {
            "public_token": channel.token,
            "embed_snippet": snippet,
            "identity_secret": channel.signing_secret,
        }

    def send(self, job: DeliveryJob) -> None:
        """Nothing to hand over: the widget reads replies from Desk (replies start `sent`)."""


ADAPTER = WebChatAdapter()

MAX_BODY = 5000
SILENT_VISITOR_DAYS = 7  # a visitor who never wrote is forgotten after this long unseen
PAGE = 100
WINDOW_SECONDS = 60.0
MESSAGES_PER_WINDOW = 30  # per visitor
VISITORS_PER_WINDOW = 10  # new visitors per client address
# The widget's own greeting in each language it speaks, used while the admin keeps the
# default greeting and gave none for the visitor's language.
DEFAULT_GREETINGS = {
    "en": DEFAULT_GREETING,
    "de": "Hallo! Wie können wir helfen?",
    "fr": "Bonjour ! Comment pouvons-nous vous aider ?",
    "es": "¡Hola! ¿En qué podemos ayudarte?",
}


# -- who is asking -----------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def find_channel(desk: Desk, public_token: str) -> ChannelRecord | None:
    """The active web-chat channel with this public token (else None: a 404)."""
    with desk.db.read() as conn:
        channel = channels_store.find_channel_by_token(conn, public_token)
    if channel is None or channel.type != "web_chat" or not channel.active:
        return None
    return channel


def origin_allowed(channel: ChannelRecord, origin: str) -> bool:
    """An exact origin of the channel's list (an empty list allows no browser at all)."""
    allowed: list[str] = channel.config.get("allowed_origins", [])
    return origin.strip().lower() in allowed


def find_visitor(desk: Desk, channel: ChannelRecord, token: str) -> Visitor | None:
    """The visitor with this token on this channel; a token of another channel is no one."""
    if not token or len(token) > 200:
        return None
    with desk.db.read() as conn:
        return store.find_visitor(conn, channel.id, hash_token(token))


def _limits(desk: Desk) -> dict[str, SlidingWindow]:
    return desk.shared(
        "web_chat.limits",
        lambda: {
            "messages": SlidingWindow(MESSAGES_PER_WINDOW, WINDOW_SECONDS),
            "visitors": SlidingWindow(VISITORS_PER_WINDOW, WINDOW_SECONDS),
        },
    )


def check_limit(desk: Desk, kind: Literal["messages", "visitors"], key: str) -> None:
    """Count one more request against its window, or refuse it (429 with Retry-After)."""
    retry_after = _limits(desk)[kind].hit(key, desk.now().timestamp())
    if retry_after is not None:
        what = "messages" if kind == "messages" else "new chats from this address"
        raise TooManyAttempts(f"Too many {what}; try again in {retry_after} s.", retry_after)


# -- what the widget reads and writes -----------------------------------------------------------


def greeting_for(config: dict[str, Any], lang: str | None) -> str:
    """The admin's greeting in the visitor's language if they gave one, else their greeting;
    the default greeting is the widget's own, in the visitor's language."""
    primary = (lang or "").strip().lower().split("-")[0]
    greetings: dict[str, str] = config.get("greetings") or {}
    if primary in greetings:
        return greetings[primary]
    greeting = str(config.get("greeting") or DEFAULT_GREETING)
    if greeting == DEFAULT_GREETING:
        return DEFAULT_GREETINGS.get(primary, greeting)
    return greeting


def widget_config(desk: Desk, channel: ChannelRecord, lang: str | None) -> WidgetConfig:
    workspace = get_workspace(desk)
    return WidgetConfig(
        workspace=workspace.name,
        greeting=greeting_for(channel.config, lang),
        color=str(channel.config.get("color") or DEFAULT_COLOR),
        online=in_business_hours(workspace, desk.now()),
    )


def _identity(channel: ChannelRecord, data: VisitorCreate) -> tuple[str | None, str | None, bool]:
    name = clean_contact_text(data.name, "name")
    email = clean_optional_email(data.email)
    if data.email_hmac is None:
        return name, email, False
    if email is None:
        raise Invalid("email_hmac signs an email: send the email too.", "email_hmac")
    key = channel.signing_secret.encode()
    expected = hmac.new(key, email.lower().encode(), hashlib.sha256).hexdigest().encode()
    given = data.email_hmac.strip().lower().encode("utf-8", "surrogatepass")
    if not hmac.compare_digest(expected, given):
        raise Invalid("email_hmac does not match this email.", "email_hmac")
    return name, email, True


def create_visitor(desk: Desk, channel: ChannelRecord, data: VisitorCreate) -> VisitorToken:
    name, email, verified = _identity(channel, data)
    token = secrets.token_urlsafe(32)  # 256 bits
    with desk.db.write() as conn:
        store.insert_visitor(
            conn,
            channel_id=channel.id,
            token_hash=hash_token(token),
            name=name,
            email=email,
            email_verified=verified,
            now=desk.now_iso(),
        )
    return VisitorToken(visitor_token=token)


def _contact_for(conn: sqlite3.Connection, visitor: Visitor, now: str) -> int:
    """The visitor's contact, made at their first message (Identity in the module doc)."""
    if visitor.contact_id is not None:
        return visitor.contact_id
    email = visitor.email
    if email and visitor.email_verified:
        found = contacts_store.find_contact_id(conn, email=email)
        if found is not None:
            return found
    elif email and contacts_store.email_taken(conn, email):
        return contacts_store.insert_contact(
            conn,
            name=visitor.name or f"Website visitor {visitor.id}",
            email=None,
            phone=None,
            custom_attributes={"unverified_email": email},
            now=now,
        )
    name = visitor.name or (None if email else f"Website visitor {visitor.id}")
    return contacts_store.insert_contact(conn, name=name, email=email, phone=None, now=now)


def clean_visitor_body(body: str) -> str:
    text = body.strip()
    if not text:
        raise Invalid("body must not be empty.", "body")
    if len(text) > MAX_BODY:
        raise Invalid(f"body must be at most {MAX_BODY:,} characters.", "body")
    return text


def post_message(
    desk: Desk, channel: ChannelRecord, visitor: Visitor, data: VisitorPost
) -> WidgetMessage:
    """The visitor wrote: their first message starts the conversation, later ones continue it
    (reopening it as any incoming message does)."""
    body = clean_visitor_body(data.body)
    now = desk.now_iso()
    changes = Changes()
    with desk.db.write() as conn:
        current = store.get_visitor(conn, visitor.id)
        if current is None:  # erased between the check and now
            raise Unauthorized("This visitor token is no longer valid.")
        contact_id = _contact_for(conn, current, now)
        message_id = record_incoming(
            conn,
            changes,
            now,
            channel_id=channel.id,
            contact_id=contact_id,
            body=body,
            thread_key=f"web_chat:visitor:{current.id}",
            subject=None,
            external_id=None,
        )
        store.link_visitor(
            conn,
            current.id,
            contact_id=contact_id,
            conversation_id=changes.conversation_id,
            now=now,
        )
        message = messages_store.get_message(conn, message_id)
    assert message is not None
    web_chat_live.bind(desk, current.id, changes.conversation_id)
    publish_changes(desk, changes)
    return widget_message(message)


def list_messages(desk: Desk, visitor: Visitor, after: int) -> WidgetPage:
    """The visitor's conversation after message `after`, oldest first, at most PAGE items."""
    with desk.db.read() as conn:
        current = store.get_visitor(conn, visitor.id)
        conversation_id = current.conversation_id if current else None
        if conversation_id is None:
            return WidgetPage(items=[], status=None)
        rows = store.visible_messages(conn, conversation_id, after=after, limit=PAGE)
        status = store.conversation_status(conn, conversation_id)
    items = [widget_message(row) for row in rows]
    return WidgetPage(items=items, status=status)


def widget_message(message: Any) -> WidgetMessage:
    """A stored or published message (store row, Message or its dict) as a visitor sees it."""
    if isinstance(message, dict):
        sender = message.get("sender") or {}
        sender_type, sender_name = sender.get("type"), sender.get("name")
        fields = message
    elif isinstance(message, VisibleMessage):
        sender_type, sender_name = message.sender_type, message.sender_name
        fields = msgspec.structs.asdict(message)
    else:
        sender_type, sender_name = message.sender.type, message.sender.name
        fields = msgspec.structs.asdict(message)
    return WidgetMessage(
        id=fields["id"],
        type=fields["type"],
        body=fields["body"],
        sender=_sender(str(sender_type), sender_name),
        attachments=list(fields.get("attachments") or []),
        created_at=fields["created_at"],
    )


def _sender(sender_type: str, name: str | None) -> WidgetSender:
    kind: Any = sender_type
    if sender_type == "agent":
        first = (name or "").split()
        return WidgetSender(type=kind, name=first[0] if first else None)
    if sender_type == "contact":
        return WidgetSender(type=kind, name=name or None)
    return WidgetSender(type=kind, name=None)  # an automation's name is the team's business


def forget_silent_visitors(desk: Desk) -> int:
    """The background job: visitors who never wrote and were not seen for SILENT_VISITOR_DAYS
    go, with the name and email they may have typed (their widget simply starts afresh)."""
    before = iso(desk.now() - timedelta(days=SILENT_VISITOR_DAYS))
    with desk.db.write() as conn:
        return store.prune_silent(conn, before)
