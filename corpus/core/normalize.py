"""Normalization of raw bytes into the text that every offset in the corpus points into.

The rule, in order: strip one leading UTF-8 BOM; decode strict UTF-8 (no silent replacement);
turn CRLF and lone CR into LF; apply Unicode NFC. Nothing else changes: no-break spaces, bullets,
indentation and blank lines are kept because they are evidence of boilerplate.
"""

from __future__ import annotations

import hashlib
import unicodedata

BOM = b"\xef\xbb\xbf"


class NormalizationError(ValueError):
    """Raw bytes that cannot be normalized; `byte_offset` points at the first bad byte."""

    def __init__(self, message: str, byte_offset: int) -> None:
        super().__init__(message)
        self.byte_offset = byte_offset


def normalize_bytes(data: bytes) -> str:
    """Decode and normalize raw file bytes; raise NormalizationError on invalid UTF-8."""
    body = data[len(BOM) :] if data.startswith(BOM) else data
    try:
        text = body.decode("utf-8", errors="strict")
    except UnicodeDecodeError as err:
        offset = err.start + (len(BOM) if body is not data else 0)
        bad = data[offset : offset + 1].hex()
        raise NormalizationError(
            f"invalid UTF-8 at byte {offset} (0x{bad}): {err.reason}", offset
        ) from None
    return normalize_text(text)


def normalize_text(text: str) -> str:
    """Normalize already-decoded text: drop a leading BOM, unify line ends, apply NFC."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def sha256_text(text: str) -> str:
    """The hex SHA-256 of the UTF-8 encoding of normalized text (the `text_sha256` field)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
