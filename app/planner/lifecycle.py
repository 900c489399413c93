"""A dialogue's lifecycle: draft -> open -> closed -> archived, and nothing else.

Services flush; the caller commits. Every change is written to the audit log.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..domain import STATUS_LABELS, today_in_sweden
from ..extensions import db
from ..models import AuditEvent, Dialogue
from ..models.audit import record
from ..models.types import utcnow
from ..surveys import SurveyError, definition_from_frozen

# The only legal moves, with the action's name in the audit log.
TRANSITIONS: dict[tuple[str, str], str] = {
    ("draft", "open"): "dialogue.open",
    ("open", "closed"): "dialogue.close",
    ("closed", "archived"): "dialogue.archive",
    ("closed", "open"): "dialogue.reopen",  # only through extend(), with a new end date
}
# The moves that are the project leader's (access.py "lifecycle"); opening a draft is "edit".
LEADER_TARGETS = ("closed", "archived")
ACTION_LABELS = {
    "open": _l("Open for residents"),
    "closed": _l("Close"),
    "archived": _l("Archive"),
}


class TransitionError(ValueError):
    """A lifecycle change that is not allowed; str() gives the reason in the user's language."""

    def __init__(self, *reasons):
        super().__init__(*reasons)
        self.reasons = reasons

    def __str__(self) -> str:
        return " ".join(str(reason) for reason in self.reasons)


def next_statuses(dialogue: Dialogue) -> list[str]:
    """The statuses the dialogue may move to with a button (reopening takes a new end date)."""
    return [target for (source, target) in TRANSITIONS
            if source == dialogue.status and action_of(source, target) != "dialogue.reopen"]


def action_of(source: str, target: str) -> str | None:
    """The audit action of a move, or None if the move is not allowed."""
    return TRANSITIONS.get((source, target))


def extend(dialogue: Dialogue, new_end: date | None, *, user, reason: str,
           today: date | None = None) -> str:
    """Give an open or closed dialogue a new end date, reopening a closed one; audited.

    Returns the audit action: "dialogue.extend" or "dialogue.reopen".
    """
    today = today or today_in_sweden()
    reason = (reason or "").strip()
    problems = []
    if dialogue.status not in ("open", "closed"):
        problems.append(_l("Only an open or closed dialogue can get a new end date."))
    if new_end is None or new_end < today:
        problems.append(_l("Choose a new end date, today or later."))
    elif dialogue.opens_on and new_end < dialogue.opens_on:
        problems.append(_l("The end date cannot be before the start date."))
    if not reason:
        problems.append(_l("Say why: the reason is kept in the log."))
    if problems:
        raise TransitionError(*problems)
    previous = dialogue.closes_on
    dialogue.closes_on = new_end
    reopened = dialogue.status == "closed"
    if reopened:
        transition(dialogue, "open", user=user, today=today, reason=reason)
    record("dialogue.extend", user=user, municipality_id=dialogue.municipality_id, obj=dialogue,
           previous_end=previous.isoformat() if previous else None, new_end=new_end.isoformat(),
           reopened=reopened, reason=reason)
    db.session.flush()
    return "dialogue.reopen" if reopened else "dialogue.extend"


def propose_closing(dialogue: Dialogue, *, user, reason: str) -> None:
    """The working group proposes closing; the project leader sees it and decides."""
    reason = (reason or "").strip()
    if dialogue.effective_status != "open":
        raise TransitionError(_l("Only an open dialogue can be proposed for closing."))
    if not reason:
        raise TransitionError(_l("Say why: the reason is kept in the log."))
    record("dialogue.close_proposed", user=user, municipality_id=dialogue.municipality_id,
           obj=dialogue, reason=reason)
    db.session.flush()


def closing_proposals(dialogue: Dialogue) -> list[AuditEvent]:
    """Proposals to close made since the dialogue last opened, newest first."""
    query = select(AuditEvent).where(AuditEvent.object_type == "Dialogue",
                                     AuditEvent.object_id == dialogue.id,
                                     AuditEvent.action == "dialogue.close_proposed")
    if dialogue.opened_at:
        query = query.where(AuditEvent.created_at >= dialogue.opened_at)
    return list(db.session.execute(query.order_by(AuditEvent.created_at.desc()).limit(5))
                .scalars())


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
        dialogue.opened_at = dialogue.opened_at or utcnow()
        dialogue.closed_at = None
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
