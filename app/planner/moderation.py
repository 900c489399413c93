"""Moderation: the queue of residents' comments, publish or hide with a reason, all audited."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from ..access import can, declares, dialogue_or_404
from ..domain import SENTIMENT_LABELS, VALUE_LABELS
from ..extensions import db
from ..models import Dialogue, Feedback, Pin
from ..models.audit import record
from ..moderation.flags import FLAG_LABELS, FLAG_ORDER
from . import queue
from .forms import HideForm, ReplyForm
from .minimap import minimap
from .routes import bp

STATES = ("pending", "published", "hidden")
STATE_LABELS = {"pending": _l("Waiting"), "published": _l("Published"), "hidden": _l("Hidden")}


def pin_of(dialogue: Dialogue, pin_id: int) -> Pin:
    """A pin of this dialogue, or 404 (the dialogue was already checked for the user)."""
    pin = db.session.get(Pin, pin_id)
    if pin is None or pin.dialogue_id != dialogue.id:
        abort(404)
    return pin


def _filter_labels() -> dict:
    return {"states": STATES, "state_labels": STATE_LABELS, "value_labels": VALUE_LABELS,
            "sentiment_labels": SENTIMENT_LABELS, "flag_labels": FLAG_LABELS,
            "flag_order": FLAG_ORDER}


@bp.route("/dialoger/<int:dialogue_id>/moderering")
@declares("read_raw")
def moderation_queue(dialogue_id: int):
    """The moderation queue, a page at a time, filtered by state, flag, value and date."""
    dialogue = dialogue_or_404(dialogue_id, "read_raw")
    filters = queue.parse_filters(request.args)
    try:
        shown = queue.page(dialogue.id, filters, after=request.args.get("after"),
                           before=request.args.get("before"))
    except queue.BadCursor:
        abort(400, description=_("This page link is not valid any more. Start from the first "
                                 "page."))
    return render_template(
        "planner/moderation.html", dialogue=dialogue, page=shown, filters=filters,
        counts=queue.state_counts(dialogue.id), minimap=minimap(dialogue.area),
        replies=queue.replies_for([p.id for p in shown.pins]),
        hide_form=HideForm(), may_edit=can(current_user, "edit", dialogue.municipality),
        **_filter_labels(),
    )


def _moderate(dialogue: Dialogue, pin: Pin, state: str, reason: str | None) -> None:
    previous = pin.moderation_state
    pin.moderation_state = state
    pin.moderation_reason = reason
    record("pin.publish" if state == "published" else "pin.hide", user=current_user,
           municipality_id=dialogue.municipality_id, obj=pin, previous=previous,
           flags=list(pin.flags or []), **({"reason": reason} if reason else {}))


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
    _moderate(dialogue, pin, "published", None)
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
    _moderate(dialogue, pin, "hidden", form.reason.data.strip())
    db.session.commit()
    flash(_("The comment is hidden."), "success")
    return _back(dialogue, pin)


MAX_BULK = 200


@bp.route("/dialoger/<int:dialogue_id>/moderering/flera", methods=["POST"])
def moderate_many(dialogue_id: int):
    """Publish or hide the selected comments at once, in one transaction, each one audited."""
    dialogue = dialogue_or_404(dialogue_id, "edit")
    pin_ids = queue.parse_ids(request.form.getlist("pin_ids"))
    action = request.form.get("action")
    back = _back_to_queue(dialogue)
    if pin_ids is None or action not in ("publish", "hide"):
        abort(400, description=_("Choose comments from the list and what to do with them."))
    if not pin_ids:
        flash(_("Select at least one comment."), "error")
        return back
    if len(pin_ids) > MAX_BULK:
        abort(400, description=_("At most %(n)s comments at a time.", n=MAX_BULK))
    reason = (request.form.get("reason") or "").strip()
    if action == "hide" and not reason:
        flash(_("Say why the comments are hidden."), "error")
        return back
    if len(reason) > 300:
        abort(400, description=_("The reason is too long (at most 300 characters)."))
    pins = db.session.execute(
        select(Pin).where(Pin.dialogue_id == dialogue.id, Pin.id.in_(pin_ids))).scalars().all()
    if len(pins) != len(pin_ids):
        abort(404)  # a comment of another dialogue was asked for
    state = "published" if action == "publish" else "hidden"
    for pin in pins:
        _moderate(dialogue, pin, state, reason if state == "hidden" else None)
    db.session.commit()
    flash(ngettext("%(num)s comment is published.", "%(num)s comments are published.", len(pins))
          if state == "published" else
          ngettext("%(num)s comment is hidden.", "%(num)s comments are hidden.", len(pins)),
          "success")
    return back


def _back_to_queue(dialogue: Dialogue):
    target = request.form.get("next_url")
    return redirect(target if _safe(target)
                    else url_for("planner.moderation_queue", dialogue_id=dialogue.id))


@bp.route("/dialoger/<int:dialogue_id>/moderering/<int:pin_id>/svara", methods=["POST"])
def reply_to_pin(dialogue_id: int, pin_id: int):
    """Answer a comment publicly; residents see the answer under it while the comment is public."""
    dialogue = dialogue_or_404(dialogue_id, "edit")
    pin = pin_of(dialogue, pin_id)
    form = ReplyForm()
    if not form.validate_on_submit():
        flash(form.text.errors[0] if form.text.errors else _("Write the answer."), "error")
        return _back(dialogue, pin)
    reply = Feedback(dialogue_id=dialogue.id, pin_id=pin.id, text=form.text.data.strip(),
                     published=True, author_id=current_user.id)
    db.session.add(reply)
    db.session.flush()
    record("feedback.create", user=current_user, municipality_id=dialogue.municipality_id,
           obj=reply, published=True, pin_id=pin.id)
    db.session.commit()
    flash(_("The answer is published under the comment.") if pin.moderation_state == "published"
          else _("The answer is saved; residents see it when the comment is published."),
          "success")
    return _back(dialogue, pin)
