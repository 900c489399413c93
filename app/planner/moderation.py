"""Moderation: the queue of residents' comments, publish or hide with a reason, all audited."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import case, select

from ..access import can, declares, dialogue_or_404
from ..domain import SENTIMENT_LABELS, VALUE_LABELS, VALUES
from ..extensions import db
from ..models import Dialogue, Pin
from ..models.audit import record
from ..moderation.flags import FLAG_LABELS, FLAG_ORDER
from .forms import HideForm
from .routes import bp

STATES = ("pending", "published", "hidden")
STATE_LABELS = {"pending": _l("Waiting"), "published": _l("Published"), "hidden": _l("Hidden")}


def pin_of(dialogue: Dialogue, pin_id: int) -> Pin:
    """A pin of this dialogue, or 404 (the dialogue was already checked for the user)."""
    pin = db.session.get(Pin, pin_id)
    if pin is None or pin.dialogue_id != dialogue.id:
        abort(404)
    return pin


def queue_query(dialogue: Dialogue, *, state: str | None, flagged: bool, value: str | None):
    """The queue: waiting comments first, then the newest; filtered as asked."""
    query = select(Pin).where(Pin.dialogue_id == dialogue.id)
    if state in STATES:
        query = query.where(Pin.moderation_state == state)
    if value in VALUES:
        query = query.where(Pin.value == value)
    pending_first = case((Pin.moderation_state == "pending", 0), else_=1)
    query = query.order_by(pending_first, Pin.created_at.desc(), Pin.id.desc())
    pins = db.session.execute(query).scalars().all()
    if flagged:  # flags are a JSON list: filtered here, the same on both databases
        pins = [p for p in pins if p.flags]
    return pins


@bp.route("/dialoger/<int:dialogue_id>/moderering")
@declares("read_raw")
def moderation_queue(dialogue_id: int):
    """The moderation queue with filters by state, value and automatic flags."""
    dialogue = dialogue_or_404(dialogue_id, "read_raw")
    state = request.args.get("state") or None
    value = request.args.get("value") or None
    flagged = request.args.get("flagged") == "1"
    pins = queue_query(dialogue, state=state, flagged=flagged, value=value)
    return render_template(
        "planner/moderation.html", dialogue=dialogue, pins=pins, state=state, value=value,
        flagged=flagged, states=STATES, state_labels=STATE_LABELS, value_labels=VALUE_LABELS,
        sentiment_labels=SENTIMENT_LABELS, flag_labels=FLAG_LABELS, flag_order=FLAG_ORDER,
        hide_form=HideForm(), may_edit=can(current_user, "edit", dialogue.municipality),
    )


def _back(dialogue: Dialogue, pin: Pin):
    return redirect(request.form.get("next_url") if _safe(request.form.get("next_url"))
                    else url_for("planner.moderation_queue", dialogue_id=dialogue.id)
                    + f"#pin-{pin.id}")


def _safe(target: str | None) -> bool:
    return bool(target) and target.startswith("/planering/") and "//" not in target


@bp.route("/dialoger/<int:dialogue_id>/moderering/<int:pin_id>/publicera", methods=["POST"])
def publish_pin(dialogue_id: int, pin_id: int):
    """Publish a comment: residents may see it if the dialogue shows others' comments."""
    dialogue = dialogue_or_404(dialogue_id, "edit")
    pin = pin_of(dialogue, pin_id)
    previous = pin.moderation_state
    pin.moderation_state = "published"
    pin.moderation_reason = None
    record("pin.publish", user=current_user, municipality_id=dialogue.municipality_id, obj=pin,
           previous=previous, flags=list(pin.flags or []))
    db.session.commit()
    flash(_("The comment is published."), "success")
    return _back(dialogue, pin)


@bp.route("/dialoger/<int:dialogue_id>/moderering/<int:pin_id>/dolj", methods=["POST"])
def hide_pin(dialogue_id: int, pin_id: int):
    """Hide a comment with a reason; it is kept and marked, and left out of public views."""
    dialogue = dialogue_or_404(dialogue_id, "edit")
    pin = pin_of(dialogue, pin_id)
    form = HideForm()
    if not form.validate_on_submit():
        flash(form.reason.errors[0] if form.reason.errors else _("Say why the comment is hidden."),
              "error")
        return _back(dialogue, pin)
    previous = pin.moderation_state
    pin.moderation_state = "hidden"
    pin.moderation_reason = form.reason.data.strip()
    record("pin.hide", user=current_user, municipality_id=dialogue.municipality_id, obj=pin,
           previous=previous, reason=pin.moderation_reason, flags=list(pin.flags or []))
    db.session.commit()
    flash(_("The comment is hidden."), "success")
    return _back(dialogue, pin)
