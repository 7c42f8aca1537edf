"""A minimal client for OpenAI-compatible chat servers (Ollama, llama.cpp server, LM Studio).

Standard library only (urllib): one POST to `{base_url}/v1/chat/completions`, no streaming.
Every way it can go wrong (refused, slow, non-200, not the expected JSON) raises `LlmError`
with a message fit to show an agent; callers fall back to the offline suggestion.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import msgspec

from desk.services import outgoing


class ChatMessage(msgspec.Struct):
    role: str  # "system", "user" or "assistant"
    content: str


class LlmError(Exception):
    """The model could not give an answer; `message` says why, without internals."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def completions_url(base_url: str) -> str:
    """`http://host:11434` and `http://host:11434/v1` both mean the same server."""
    base = base_url.rstrip("/")
    if base.endswith("/v1"):
        base = base[: -len("/v1")]
    return base + "/v1/chat/completions"


def chat(
    base_url: str,
    model: str,
    messages: list[ChatMessage],
    *,
    api_key: str | None,
    timeout: float,
) -> str:
    """The model's reply text to `messages`."""
    body = msgspec.json.encode(
        {"model": model, "messages": messages, "temperature": 0.3, "stream": False}
    )
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    request = urllib.request.Request(
        completions_url(base_url), data=body, headers=headers, method="POST"
    )
    try:
        with outgoing.open_url(request, timeout) as response:  # no redirects: the key stays
            raw = response.read(4 * 1024 * 1024)
    except urllib.error.HTTPError as exc:  # a redirect too: it is not followed
        raise LlmError(f"The AI model answered with HTTP {exc.code}.") from None
    except TimeoutError:
        raise LlmError(f"The AI model did not answer within {timeout:g} s.") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError):
            raise LlmError(f"The AI model did not answer within {timeout:g} s.") from None
        raise LlmError("The AI model could not be reached.") from None
    return _content(raw)


def _content(raw: bytes) -> str:
    try:
        payload: Any = json.loads(raw)
        content = payload["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise LlmError("The AI model's answer was not understood.") from None
    if not isinstance(content, str) or not content.strip():
        raise LlmError("The AI model's answer was empty.")
    return content.strip()
