"""Small pieces of a resident's submission shared by the writer, the demo and the factories."""

from __future__ import annotations

import re
import secrets
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud without mistakes


def clean_text(text: str | None) -> str:
    """Text as stored: NFC-normalised, control characters removed, whitespace trimmed."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", text or "")).strip()


def new_receipt_code() -> str:
    """A short code the resident may keep to refer to their response."""
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(10))
