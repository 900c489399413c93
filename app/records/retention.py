"""Retention (gallring): deleting residents' comments once a dialogue's retention period has passed.

Moderation never deletes; this is the only path that does, and only as the dialogue's retention
decision says. Every purge leaves an audit event with the counts; the dialogue itself, its
settings, themes and feedback, and the audit log stay (they document what was done).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, select

from ..domain import MUNICIPAL_TIMEZONE
from ..extensions import db
from ..models import Answer, Dialogue, Photo, Pin, Response, pin_theme
from ..models.audit import record
from ..models.types import utcnow


@dataclass(frozen=True)
class Purge:
    """What one dialogue's purge deleted, or would delete."""

    dialogue_id: int
    title: str
    due_on: date
    responses: int
    pins: int
    answers: int
    photos: int


def add_months(day: date, months: int) -> date:
    """The same day so many months later (the month's last day where it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def closing_day(dialogue: Dialogue) -> date | None:
    """The day the dialogue closed (or will close): its end date, or the day it was closed if earlier."""
    closed = dialogue.closed_at.astimezone(MUNICIPAL_TIMEZONE).date() if dialogue.closed_at else None
    days = [d for d in (dialogue.closes_on, closed) if d is not None]
    return min(days) if days else None


def due_on(dialogue: Dialogue) -> date | None:
    """The first day the dialogue's comments may be deleted, or None if they are kept."""
    closed = closing_day(dialogue)
    if not dialogue.retention_months or closed is None:
        return None
    return add_months(closed, dialogue.retention_months)


def due_dialogues(today: date) -> list[Dialogue]:
    """Closed or archived dialogues whose retention period has passed and that still hold answers."""
    candidates = db.session.execute(
        select(Dialogue).where(Dialogue.status.in_(("closed", "archived")),
                               Dialogue.retention_months.is_not(None))
        .where(select(Response.id).where(Response.dialogue_id == Dialogue.id).exists())
        .order_by(Dialogue.id)
    ).scalars().all()
    return [d for d in candidates if (due := due_on(d)) is not None and due <= today]


def _count(statement) -> int:
    return db.session.execute(select(func.count()).select_from(statement.subquery())).scalar_one()


def purge_dialogue(dialogue: Dialogue, *, dry_run: bool = False) -> Purge:
    """Delete the dialogue's responses, answers, pins and their photos (audited; the caller commits)."""
    responses = select(Response.id).where(Response.dialogue_id == dialogue.id)
    pins = select(Pin.id).where(Pin.dialogue_id == dialogue.id)
    photo_ids = list(db.session.execute(
        select(Pin.photo_id).where(Pin.dialogue_id == dialogue.id, Pin.photo_id.is_not(None))
    ).scalars())
    counts = {"responses": _count(responses), "pins": _count(pins),
              "answers": _count(select(Answer.id).where(Answer.response_id.in_(responses))),
              "photos": len(set(photo_ids))}
    result = Purge(dialogue.id, dialogue.title, due_on(dialogue), **counts)
    if dry_run:
        return result
    db.session.execute(delete(pin_theme).where(pin_theme.c.pin_id.in_(pins)))
    db.session.execute(delete(Pin).where(Pin.dialogue_id == dialogue.id))
    db.session.execute(delete(Answer).where(Answer.response_id.in_(responses)))
    db.session.execute(delete(Response).where(Response.dialogue_id == dialogue.id))
    if photo_ids:
        db.session.execute(delete(Photo).where(Photo.id.in_(set(photo_ids))))
    dialogue.purged_at = utcnow()
    record("records.purge", municipality_id=dialogue.municipality_id, obj=dialogue,
           decision=dialogue.retention_decision, retention_months=dialogue.retention_months,
           due_on=result.due_on.isoformat(), diarienummer=dialogue.diarienummer, **counts)
    return result


def purge_expired(today: date, *, dry_run: bool = False) -> list[Purge]:
    """Purge every dialogue whose retention period has passed (one transaction; the caller commits)."""
    return [purge_dialogue(d, dry_run=dry_run) for d in due_dialogues(today)]
