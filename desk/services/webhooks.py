"""Signed webhooks: the `api` channel's way of handing an agent's reply to another system.

The body is JSON; `X-Desk-Signature: sha256=<hex>` is the HMAC-SHA256 of the exact body bytes
with the channel's signing secret, so the receiver can check who sent it. Delivery is at least
once: a receiver that answered but whose answer was lost gets the message again, with the same
`X-Desk-Message-Id`.
"""

from __future__ import annotations

import hashlib
import hmac
import socket
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

import desk

TIMEOUT_SECONDS = 10.0
SIGNATURE_HEADER = "X-Desk-Signature"


class DeliveryError(Exception):
    """Delivery did not happen. `permanent` ones are not retried (nothing would change)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


def sign(body: bytes, secret: str) -> str:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer we do not follow: a POST must land where it was configured."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


# No proxies from the environment: webhook receivers are usually on loopback or the LAN.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())


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
    where = urlsplit(url).netloc
    try:
        with _OPENER.open(request, timeout=timeout) as response:
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
    text = getattr(reason, "strerror", None) or str(reason)
    return str(text)[:200]
