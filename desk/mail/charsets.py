"""Text in any charset: the declared one when Python knows it, UTF-8 otherwise, and U+FFFD
for bytes that do not decode. Never an exception."""

from __future__ import annotations

import codecs
from email.message import Message

# Mail that says it is ASCII or Latin-1 is, in practice, often Windows-1252 (the WHATWG
# encoding standard decodes these labels that way for the same reason).
_WINDOWS_1252_LABELS = {"iso-8859-1", "latin-1", "latin1", "iso8859-1", "l1", "cp819"}
_ASCII_LABELS = {"us-ascii", "ascii", "ansi_x3.4-1968"}


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Bytes in the declared charset; an unknown charset is read as UTF-8; undecodable bytes
    become U+FFFD."""
    label = (charset or "us-ascii").strip().strip('"').lower()
    if label in _ASCII_LABELS:
        try:
            return data.decode("utf-8")  # 8-bit mail that forgot to declare UTF-8
        except UnicodeDecodeError:
            label = "windows-1252"
    if label in _WINDOWS_1252_LABELS:
        label = "windows-1252"
    try:
        codecs.lookup(label)
    except LookupError:
        label = "utf-8"
    try:
        return data.decode(label, "replace")
    except Exception:  # a codec that fails in its own way (rare stateful ones)
        return data.decode("utf-8", "replace")


def part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    return decode_bytes(data, part.get_content_charset()).replace("\x00", "\ufffd")


def repair(text: str) -> str:
    """Undo surrogate escapes (raw 8-bit bytes in a header): UTF-8 if they are, else U+FFFD."""
    if not any("\udc80" <= char <= "\udcff" for char in text):
        return text
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
