"""The working group's answer to suggestions: accept (with a new name), merge, or reject.

An accepted suggestion becomes a theme with its comments coded through the coding model
(planner.coding.tag_pins); an accepted or rejected suggestion is kept, so that a new run
leaves out whatever resembles it.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import delete, select

from ..extensions import db
from ..models import Dialogue, Pin, Theme, ThemeSuggestion
from .suggest import FoundTheme, find_themes

SAME_KEYWORDS = 0.4  # Jaccard overlap of key words that makes two suggestions the same theme
SAME_COMMENTS = 0.5  # share of the smaller one's comments that makes two suggestions the same


def resembles(found: FoundTheme, earlier: ThemeSuggestion) -> bool:
    """Whether a new suggestion is, in effect, one the working group already answered."""
    if (found.value, found.sentiment) != (earlier.value, earlier.sentiment):
        return False
    words, before = set(found.keywords), set(earlier.keywords)
    if words and before and len(words & before) / len(words | before) >= SAME_KEYWORDS:
        return True
    pins, earlier_pins = set(found.pin_ids), set(earlier.pin_ids)
    smaller = min(len(pins), len(earlier_pins))
    return bool(smaller) and len(pins & earlier_pins) / smaller >= SAME_COMMENTS


def refresh_suggestions(dialogue: Dialogue) -> tuple[list[ThemeSuggestion], int]:
    """Replace the open suggestions with new ones; returns them and how many were left out
    because they resemble a suggestion accepted or rejected before (the caller commits)."""
    answered = db.session.execute(
        select(ThemeSuggestion).where(ThemeSuggestion.dialogue_id == dialogue.id,
                                      ThemeSuggestion.status != "open")
    ).scalars().all()
    db.session.execute(delete(ThemeSuggestion).where(
        ThemeSuggestion.dialogue_id == dialogue.id, ThemeSuggestion.status == "open"))
    fresh, left_out = [], 0
    for found in find_themes(dialogue.id):
        if any(resembles(found, earlier) for earlier in answered):
            left_out += 1
            continue
        suggestion = ThemeSuggestion(dialogue_id=dialogue.id, value=found.value,
                                     sentiment=found.sentiment, label=found.label,
                                     keywords=found.keywords, pin_ids=found.pin_ids)
        db.session.add(suggestion)
        fresh.append(suggestion)
    db.session.flush()
    return fresh, left_out


def suggestions_csv(dialogue: Dialogue) -> Iterator[str]:
    """Find the suggestions anew (the job's work; its final commit keeps them) and give them as
    CSV rows: value, sentiment, label, key words, comments."""
    from ..export.tabular import csv_chunks, neutralise

    fresh, left_out = refresh_suggestions(dialogue)
    rows = [[s.value, s.sentiment, neutralise(s.label), neutralise(" ".join(s.keywords)), len(s.pin_ids)]
            for s in fresh]
    if left_out:
        rows.append(["", "", f"({left_out} like answered suggestions left out)", "", ""])
    return csv_chunks(["value", "sentiment", "label", "keywords", "comments"], rows)


def open_suggestions(dialogue_id: int) -> list[ThemeSuggestion]:
    """The suggestions waiting for an answer, by value, sentiment and size."""
    rows = db.session.execute(
        select(ThemeSuggestion).where(ThemeSuggestion.dialogue_id == dialogue_id,
                                      ThemeSuggestion.status == "open")
    ).scalars().all()
    return sorted(rows, key=lambda s: (s.value, s.sentiment or "", -len(s.pin_ids), s.id))


def accept(dialogue: Dialogue, suggestions: list[ThemeSuggestion], name: str) -> tuple[Theme, int]:
    """One theme (new, or the dialogue's theme of that name) with every suggestion's comments
    coded; returns it and how many comments were newly coded (the caller commits)."""
    from ..planner.coding import tag_pins, themes_of

    name = name.strip()[:120]
    theme = next((t for t in themes_of(dialogue) if t.name.casefold() == name.casefold()), None)
    if theme is None:
        theme = Theme(dialogue_id=dialogue.id, name=name)
        db.session.add(theme)
        db.session.flush()
    wanted = {pin_id for s in suggestions for pin_id in s.pin_ids}
    # Comments deleted since the suggestion was made are simply no longer there.
    existing = db.session.execute(
        select(Pin.id).where(Pin.dialogue_id == dialogue.id, Pin.id.in_(wanted))
    ).scalars().all() if wanted else []
    changed = tag_pins(dialogue, theme, sorted(existing)) if existing else 0
    for suggestion in suggestions:
        suggestion.status, suggestion.theme_id = "accepted", theme.id
    db.session.flush()
    return theme, changed


def reject(suggestion: ThemeSuggestion) -> None:
    """Mark a suggestion rejected: it and its likes are not offered again."""
    suggestion.status = "rejected"
    db.session.flush()
