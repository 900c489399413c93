"""A block of the written report: a heading, paragraph, table, image or quote."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Block:
    kind: str  # heading, paragraph, table, image, quote
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)  # first row is the header
    png: bytes = b""
    key: str = ""  # a stable name for tests and anchors
    alt: str = ""  # an image's text alternative, where the caption alone does not describe it
