"""Automatic flags on a resident's text: personal data and offensive words, for the moderators.

A flag asks a moderator to look; it never blocks a comment on its own. `flags_for` is pure: the
same text always gives the same flags, in the order of FLAG_ORDER.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from flask_babel import lazy_gettext as _l

FLAG_ORDER = ("personnummer", "phone", "email", "link", "offensive")
FLAG_LABELS = {
    "personnummer": _l("Personal identity number"),
    "phone": _l("Phone number"),
    "email": _l("E-mail address"),
    "link": _l("Link"),
    "offensive": _l("Offensive word"),
}

WORDS_FILE = Path(__file__).with_name("offensive_words.txt")

# YYMMDD or YYYYMMDD, an optional - or + (100 years or older) or space, then four digits.
_PERSONNUMMER = re.compile(r"(?<![\d+])(?:(?:19|20)?(\d{6}))[-+ ]?(\d{4})(?!\d)")
# Swedish numbers: +46 / 0046 / 0, then groups of digits separated by spaces or hyphens.
_PHONE = re.compile(
    r"(?<![\w+])(?:\+46|0046|0)[ \-]?(?:\(0\)[ \-]?)?\d{1,3}(?:[ \-]?\d{1,4}){1,4}(?!\d)"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}", re.UNICODE)
# A web address: with a scheme, starting www., or a name under a common top-level domain.
_LINK = re.compile(
    r"(?:\b(?:https?|ftp)://|\bwww\.)\S+"
    # A bare name needs a lower-case domain: "parken.Se till" is a missing space, not a link.
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?-i:se|nu|com|net|org|info|io|eu|ly|gl)"
    r"(?:/\S*)?(?![\w.])",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+", re.UNICODE)


def luhn_valid(digits: str) -> bool:
    """Whether a digit string passes the Luhn check (the last digit of a personnummer)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        n = int(char)
        if index % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def _is_personnummer(date_part: str, serial: str) -> bool:
    """A real date (day + 60 for a samordningsnummer) and a valid Luhn check digit."""
    month, day = int(date_part[2:4]), int(date_part[4:6])
    if day > 60:  # samordningsnummer: the day of birth plus 60
        day -= 60
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    return luhn_valid(date_part + serial)


def _personnummer_spans(text: str) -> list[tuple[int, int]]:
    return [
        m.span()
        for m in _PERSONNUMMER.finditer(text)
        if _is_personnummer(m.group(1), m.group(2))
    ]


def _has_phone(text: str, taken: list[tuple[int, int]]) -> bool:
    for match in _PHONE.finditer(text):
        if any(start < match.end() and match.start() < end for start, end in taken):
            continue  # the digits are a personnummer, already flagged as such
        digits = re.sub(r"\D", "", match.group())
        national = digits[2:] if match.group().startswith("+") else digits.lstrip("0")
        if match.group().startswith("0046"):
            national = digits[4:]
        national = national.lstrip("0")
        # Swedish numbers have 7 to 9 digits after the leading 0 (08-12 34 56 to 070-123 45 67).
        if 7 <= len(national) <= 9:
            return True
    return False


@lru_cache(maxsize=1)
def offensive_words() -> frozenset[str]:
    """The word list from the data file, normalised like the text it is compared with."""
    words = set()
    for line in WORDS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(_normalise(line))
    return frozenset(words)


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def flags_for(text: str) -> list[str]:
    """The automatic flags for a piece of resident text, e.g. ["personnummer", "email"]."""
    text = unicodedata.normalize("NFKC", text or "")
    found: set[str] = set()
    personnummer = _personnummer_spans(text)
    if personnummer:
        found.add("personnummer")
    if _has_phone(text, personnummer):
        found.add("phone")
    if _EMAIL.search(text):
        found.add("email")
    if _LINK.search(_EMAIL.sub(" ", text)):
        found.add("link")
    words = offensive_words()
    if any(_normalise(word) in words for word in _WORD.findall(text)):
        found.add("offensive")
    return [flag for flag in FLAG_ORDER if flag in found]


def initial_state(moderation: str, flags: list[str]) -> str:
    """The moderation state of a new pin: published at once only under post-moderation and unflagged.

    A comment flagged for personal data or offensive words waits for a moderator even when the
    dialogue publishes first and reviews after: what a resident writes is shown to others only
    after the rules allow it.
    """
    return "published" if moderation == "post" and not flags else "pending"
