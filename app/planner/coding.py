"""Coding comments into themes (one at a time or in bulk) and feedback to residents."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from ..access import can, declares, dialogue_or_404
from ..domain import SENTIMENT_LABELS, VALUE_LABELS
from ..extensions import db
from ..models import Dialogue, Feedback, Pin, Theme
from ..models.audit import record
from . import queue
from .forms import FeedbackForm, OutcomeForm, ThemeForm
from .routes import bp


def theme_of(dialogue: Dialogue, theme_id: int) -> Theme:
    """A theme of this dialogue, or 404."""
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.dialogue_id != dialogue.id:
        abort(404)
    return theme


def themes_of(dialogue: Dialogue) -> list[Theme]:
    """The dialogue's themes by name."""
    return db.session.execute(
        select(Theme).where(Theme.dialogue_id == dialogue.id).order_by(Theme.name)
    ).scalars().all()


def tag_pins(dialogue: Dialogue, theme: Theme, pin_ids: list[int], *, remove: bool = False) -> int:
    """Add (or remove) a theme on the chosen pins of this dialogue; returns how many changed."""
    pins = db.session.execute(
        select(Pin).where(Pin.dialogue_id == dialogue.id, Pin.id.in_(pin_ids))
        .options(selectinload(Pin.themes))
    ).scalars().all()
    if len(pins) != len(set(pin_ids)):
        abort(404)  # a pin of another dialogue (or municipality) was asked for
    changed = 0
    for pin in pins:
        if remove and theme in pin.themes:
            pin.themes.remove(theme)
            changed += 1
        elif not remove and theme not in pin.themes:
            pin.themes.append(theme)
            changed += 1
    db.session.flush()
    return changed


@bp.route("/dialoger/<int:dialogue_id>/teman", methods=["GET", "POST"])
@declares("read_raw", POST="edit")
def coding(dialogue_id: int):
    """Themes of the dialogue and its comments, to be tagged one by one or several at once."""
    dialogue = dialogue_or_404(dialogue_id, "read_raw")
    may_edit = can(current_user, "edit", dialogue.municipality)
    form = ThemeForm()
    status = 200
    if request.method == "POST":
        if not may_edit:
            abort(403)
        name = (form.name.data or "").strip()
        if form.validate_on_submit() and not any(
                t.name.casefold() == name.casefold() for t in themes_of(dialogue)):
            theme = Theme(dialogue_id=dialogue.id, name=name)
            db.session.add(theme)
            db.session.flush()
            record("theme.create", user=current_user, municipality_id=dialogue.municipality_id,
                   obj=theme, name=name)
            db.session.commit()
            flash(_("The theme %(name)s is added.", name=name), "success")
            return redirect(url_for("planner.coding", dialogue_id=dialogue.id))
        if not form.name.errors:
            form.name.errors = [_("The dialogue already has a theme with that name.")]
        status = 422
    filters = queue.parse_filters(request.args)
    try:
        shown = queue.page(dialogue.id, filters, after=request.args.get("after"),
                           before=request.args.get("before"), with_themes=True)
    except queue.BadCursor:
        abort(400, description=_("This page link is not valid any more. Start from the first "
                                 "page."))
    return render_template(
        "planner/coding.html", dialogue=dialogue, themes=themes_of(dialogue), page=shown,
        pins=shown.pins, theme_counts=queue.theme_counts(dialogue.id), filters=filters,
        form=form, may_edit=may_edit, value=filters.value, theme_filter=filters.theme_id,
        value_labels=VALUE_LABELS, sentiment_labels=SENTIMENT_LABELS,
    ), status


@bp.route("/dialoger/<int:dialogue_id>/teman/tagga", methods=["POST"])
def tag(dialogue_id: int):
    """Apply (or remove) one theme on every selected comment."""
    dialogue = dialogue_or_404(dialogue_id, "edit")
    theme = theme_of(dialogue, request.form.get("theme_id", type=int) or 0)
    pin_ids = queue.parse_ids(request.form.getlist("pin_ids"))
    if pin_ids is None:
        abort(400, description=_("Choose comments from the list and what to do with them."))
    if not pin_ids:
        flash(_("Select at least one comment."), "error")
        return redirect(url_for("planner.coding", dialogue_id=dialogue.id))
    remove = request.form.get("action") == "remove"
    changed = tag_pins(dialogue, theme, pin_ids, remove=remove)
    record("theme.untag" if remove else "theme.tag", user=current_user,
           municipality_id=dialogue.municipality_id, obj=theme, pin_ids=sorted(pin_ids))
    db.session.commit()
    flash(_("%(n)s comments changed for the theme %(name)s.", n=changed, name=theme.name),
          "success")
    return redirect(url_for("planner.coding", dialogue_id=dialogue.id))


@bp.route("/dialoger/<int:dialogue_id>/teman/<int:theme_id>/ta-bort", methods=["POST"])
def delete_theme(dialogue_id: int, theme_id: int):
    """Remove a theme (its feedback goes with it; the comments stay)."""
    dialogue = dialogue_or_404(dialogue_id, "edit")
    theme = theme_of(dialogue, theme_id)
    record("theme.delete", user=current_user, municipality_id=dialogue.municipality_id,
           obj=theme, name=theme.name)
    db.session.execute(db.delete(Feedback).where(Feedback.theme_id == theme.id))
    db.session.delete(theme)
    db.session.commit()
    flash(_("The theme %(name)s is removed.", name=theme.name), "success")
    return redirect(url_for("planner.coding", dialogue_id=dialogue.id))


FEEDBACK_PIN_CHOICES = 200


def feedback_targets(dialogue: Dialogue) -> list[tuple[str, str]]:
    """What feedback can be about: the whole dialogue, a theme, or one published comment."""
    targets = [("overall", _("The whole dialogue"))]
    targets += [(f"theme:{t.id}", _("Theme: %(name)s", name=t.name)) for t in themes_of(dialogue)]
    # The newest published comments; any comment can be answered from the moderation queue.
    pins = db.session.execute(
        select(Pin).where(Pin.dialogue_id == dialogue.id, Pin.moderation_state == "published")
        .order_by(Pin.created_at.desc(), Pin.id.desc()).limit(FEEDBACK_PIN_CHOICES)
    ).scalars().all()
    targets += [(f"pin:{p.id}", _("Comment %(n)s: %(text)s", n=p.id, text=p.text[:60]))
                for p in pins]
    return targets


@bp.route("/dialoger/<int:dialogue_id>/aterkoppling", methods=["GET", "POST"])
@declares("read_raw", POST="edit")
def feedback(dialogue_id: int):
    """Write feedback per theme, per comment or overall, and the dialogue's outcome summary."""
    dialogue = dialogue_or_404(dialogue_id, "read_raw")
    may_edit = can(current_user, "edit", dialogue.municipality)
    form = FeedbackForm(prefix="fb")
    form.target.choices = [SelectChoice(v, label) for v, label in feedback_targets(dialogue)]
    outcome = OutcomeForm(prefix="outcome", obj=dialogue)
    status = 200
    if request.method == "POST":
        if not may_edit:
            abort(403)
        if form.validate_on_submit():
            item = _new_feedback(dialogue, form)
            record("feedback.create", user=current_user, municipality_id=dialogue.municipality_id,
                   obj=item, published=item.published)
            db.session.commit()
            flash(_("The feedback is saved."), "success")
            return redirect(url_for("planner.feedback", dialogue_id=dialogue.id))
        status = 422
    items = db.session.execute(
        select(Feedback).where(Feedback.dialogue_id == dialogue.id).order_by(Feedback.created_at)
        .options(selectinload(Feedback.pin), selectinload(Feedback.theme))
    ).scalars().all()
    return render_template("planner/feedback.html", dialogue=dialogue, form=form,
                           outcome=outcome, items=items, may_edit=may_edit), status


def _new_feedback(dialogue: Dialogue, form: FeedbackForm) -> Feedback:
    kind, _sep, raw_id = (form.target.data or "overall").partition(":")
    item = Feedback(dialogue_id=dialogue.id, text=form.text.data.strip(),
                    published=bool(form.published.data), author_id=current_user.id)
    if kind == "theme":
        item.theme_id = theme_of(dialogue, int(raw_id) if raw_id.isdigit() else 0).id
    elif kind == "pin":
        pin = db.session.get(Pin, int(raw_id) if raw_id.isdigit() else 0)
        if pin is None or pin.dialogue_id != dialogue.id or pin.moderation_state != "published":
            abort(404)  # feedback answers only comments residents can see
        item.pin_id = pin.id
    db.session.add(item)
    db.session.flush()
    return item


def _feedback_of(dialogue: Dialogue, feedback_id: int) -> Feedback:
    item = db.session.get(Feedback, feedback_id)
    if item is None or item.dialogue_id != dialogue.id:
        abort(404)
    return item


@bp.route("/dialoger/<int:dialogue_id>/aterkoppling/<int:feedback_id>/publicera",
          methods=["POST"])
def toggle_feedback(dialogue_id: int, feedback_id: int):
    """Show a piece of feedback on the public page, or take it down."""
    dialogue = dialogue_or_404(dialogue_id, "edit")
    item = _feedback_of(dialogue, feedback_id)
    item.published = request.form.get("published") == "1"
    record("feedback.publish" if item.published else "feedback.unpublish", user=current_user,
           municipality_id=dialogue.municipality_id, obj=item)
    db.session.commit()
    return redirect(url_for("planner.feedback", dialogue_id=dialogue.id))


@bp.route("/dialoger/<int:dialogue_id>/aterkoppling/<int:feedback_id>/ta-bort", methods=["POST"])
def delete_feedback(dialogue_id: int, feedback_id: int):
    """Delete a piece of feedback."""
    dialogue = dialogue_or_404(dialogue_id, "edit")
    item = _feedback_of(dialogue, feedback_id)
    record("feedback.delete", user=current_user, municipality_id=dialogue.municipality_id,
           obj=item)
    db.session.delete(item)
    db.session.commit()
    return redirect(url_for("planner.feedback", dialogue_id=dialogue.id))


@bp.route("/dialoger/<int:dialogue_id>/utfall", methods=["POST"])
def outcome_summary(dialogue_id: int):
    """Save what was heard and what happens next, shown to residents when the dialogue closes."""
    dialogue = dialogue_or_404(dialogue_id, "edit")
    form = OutcomeForm(prefix="outcome")
    if form.validate_on_submit():
        dialogue.outcome_summary = (form.outcome_summary.data or "").strip()
        record("dialogue.outcome", user=current_user, municipality_id=dialogue.municipality_id,
               obj=dialogue)
        db.session.commit()
        flash(_("The summary is saved."), "success")
    else:
        flash(_("The summary could not be saved."), "error")
    return redirect(url_for("planner.feedback", dialogue_id=dialogue.id))


def public_outcome(dialogue: Dialogue) -> dict:
    """What a closed dialogue's public page shows: the summary and the published feedback."""
    items = db.session.execute(
        select(Feedback).where(Feedback.dialogue_id == dialogue.id, Feedback.published.is_(True))
        .order_by(Feedback.created_at, Feedback.id)
    ).scalars().all()
    # Feedback on a comment is shown only while the comment itself is public.
    items = [f for f in items if f.pin is None or f.pin.moderation_state == "published"]
    return {
        "summary": dialogue.outcome_summary,
        "overall": [f for f in items if f.theme_id is None and f.pin_id is None],
        "themes": [f for f in items if f.theme_id is not None],
        "pins": [f for f in items if f.pin_id is not None],
    }
