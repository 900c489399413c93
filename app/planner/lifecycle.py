"""A dialogue's lifecycle: draft -> open -> closed -> archived, and nothing else.

Services flush; the caller commits. Every change is written to the audit log.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..domain import STATUS_LABELS
from ..extensions import db
from ..models import Dialogue
from ..models.audit import record
from ..models.types import utcnow
from ..surveys import SurveyError, definition_from_frozen

# The only legal moves, with the action's name in the audit log.
TRANSITIONS: dict[tuple[str, str], str] = {
    ("draft", "open"): "dialogue.open",
    ("open", "closed"): "dialogue.close",
    ("closed", "archived"): "dialogue.archive",
}
ACTION_LABELS = {
    "open": _l("Open for residents"),
    "closed": _l("Close"),
    "archived": _l("Archive"),
}
MUNICIPAL_TIMEZONE = ZoneInfo("Europe/Stockholm")


class TransitionError(ValueError):
    """A lifecycle change that is not allowed; str() gives the reason in the user's language."""

    def __init__(self, *reasons):
        super().__init__(*reasons)
        self.reasons = reasons

    def __str__(self) -> str:
        return " ".join(str(reason) for reason in self.reasons)


def today_in_sweden() -> date:
    """Today's date where the municipalities are, which decides when a dialogue ends."""
    return datetime.now(MUNICIPAL_TIMEZONE).date()


def next_statuses(dialogue: Dialogue) -> list[str]:
    """The statuses the dialogue may move to from where it is."""
    return [target for (source, target) in TRANSITIONS if source == dialogue.status]


def publish_problems(dialogue: Dialogue, today: date) -> list:
    """Why a draft may not be opened yet (lazy translated sentences); empty when it may."""
    problems = []
    try:
        definition_from_frozen(dialogue.survey_version.definition)
    except SurveyError as err:
        problems.append(_l("The survey definition has problems: %(problems)s", problems=err))
    if dialogue.closes_on and dialogue.closes_on < today:
        problems.append(_l("The end date has passed. Choose a later end date first."))
    if not dialogue.languages:
        problems.append(_l("Choose at least one language."))
    return problems


def transition(dialogue: Dialogue, target: str, *, user=None, today: date | None = None,
               reason: str = "manual") -> Dialogue:
    """Move the dialogue to the target status, or raise TransitionError saying why not."""
    action = TRANSITIONS.get((dialogue.status, target))
    if action is None:
        raise TransitionError(_l("A dialogue cannot go from %(source)s to %(target)s.",
                                 source=STATUS_LABELS.get(dialogue.status, dialogue.status),
                                 target=STATUS_LABELS.get(target, target)))
    if target == "open":
        problems = publish_problems(dialogue, today or today_in_sweden())
        if problems:
            raise TransitionError(*problems)
        dialogue.opened_at = utcnow()
    if target == "closed":
        dialogue.closed_at = utcnow()
    source = dialogue.status
    dialogue.status = target
    record(action, user=user, municipality_id=dialogue.municipality_id, obj=dialogue,
           source=source, target=target, reason=reason)
    db.session.flush()
    return dialogue


def close_expired_dialogues(today: date) -> list[Dialogue]:
    """Close every open dialogue whose end date is before today; return the ones closed."""
    expired = (
        db.session.execute(
            select(Dialogue).where(
                Dialogue.status == "open",
                Dialogue.closes_on.is_not(None),
                Dialogue.closes_on < today,
            )
        )
        .scalars()
        .all()
    )
    for dialogue in expired:
        transition(dialogue, "closed", today=today, reason="end_date")
    return list(expired)


def close_expired_lazily() -> None:
    """Before a request: close dialogues past their end date (one cheap query when none are)."""
    if close_expired_dialogues(today_in_sweden()):
        db.session.commit()
