"""Line breaks in headings: long Swedish compounds break at their joint, with a hyphen.

A heading on a phone may be narrower than one word ("Utvecklingsmöjligheter" in a 28 px h1 at 390 px).
CSS `hyphens: auto` needs the browser's Swedish dictionary, which Debian's headless Chromium (and any
browser offline that never fetched one) does not have; `overflow-wrap` then breaks the word before its
last letter. So headings get a soft hyphen (U+00AD) at the joints of the long compounds our pages show:
invisible unless the line breaks there, and skipped by screen readers. Only the rendered heading gets
them (the `soft_hyphens` template filter); labels, exports, CSV and alt texts keep the plain word.
"""

from __future__ import annotations

import re

from markupsafe import Markup

SOFT_HYPHEN = "\u00ad"

# First part of a compound (with its joint -s) and the second parts it is known to join, as stems so
# that inflected forms break too ("utvecklingsområdena"). Add a word here when a heading shows it.
JOINTS: dict[str, tuple[str, ...]] = {
    "utvecklings": ("möjlighet", "område", "plan"),
    "medborgar": ("dialog",),
    "trygghets": ("vandring", "känsla", "aspekt"),
    "referens": ("befolkning",),
    "befolknings": ("tabell", "grupp", "underlag"),
    "tillgänglighets": ("redogörelse",),
    "utvärderings": ("rapport", "omgång"),
    "webbplats": ("administrat",),
    "inloggnings": ("tjänst",),
    "återställnings": ("länk",),
    "rutnäts": ("sammanställning",),
    "representations": ("tal",),
    "uppmärksamhets": ("index", "andel"),
    "personuppgifts": ("ansvarig",),
    "översikts": ("plan",),
    "stadsbyggnads": ("kontor", "förvaltning", "nämnd"),
    "samhällsbyggnads": ("kontor", "förvaltning", "nämnd"),
}
_PATTERNS = [re.compile(f"({first})(?=(?:{'|'.join(seconds)}))", re.IGNORECASE)
             for first, seconds in JOINTS.items()]


def soft_hyphens(text) -> str:
    """The heading text with a soft hyphen at the joint of each known long compound."""
    if text is None:
        return ""
    # A translated heading comes as Markup: back to its text, which the template escapes again.
    plain = text.unescape() if isinstance(text, Markup) else str(text)
    for pattern in _PATTERNS:
        plain = pattern.sub(r"\1" + SOFT_HYPHEN, plain)
    return plain
