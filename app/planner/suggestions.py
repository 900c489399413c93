"""Suggested themes (found offline in the comments' words) and a search over word forms."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from ..access import can, declares, dialogue_or_404
from ..domain import SENTIMENT_LABELS, VALUE_LABELS
from ..export.service import TASKS
from ..export.source import ExportOptions
from ..extensions import db
from ..jobs.service import QueueUnavailable, progress, start_export
from ..models import Dialogue, ExportJob, Pin, ThemeSuggestion
from ..models.audit import record
from ..themes.service import accept, open_suggestions, reject
from ..themes.suggest import EXAMPLES
from ..themes.swedish import lemma, matches, search_stems, words
from .coding import themes_of
from .routes import bp

SEARCH_LIMIT = 200


def _suggestion_of(dialogue: Dialogue, suggestion_id: int) -> ThemeSuggestion:
    suggestion = db.session.get(ThemeSuggestion, suggestion_id)
    if suggestion is None or suggestion.dialogue_id != dialogue.id:
        abort(404)
    return suggestion


def search_comments(dialogue: Dialogue, query: str) -> tuple[list[Pin], int]:
    """The dialogue's comments with a form of every query word ('lampa' finds 'lamporna');
    the first SEARCH_LIMIT of them and how many there are."""
    wanted = [lemma(w) for w in words(query)][:5]
    if not wanted:
        return [], 0
    statement = select(Pin.id, Pin.text).where(Pin.dialogue_id == dialogue.id).order_by(Pin.id)
    for wanted_lemma in wanted:
        statement = statement.where(or_(*(Pin.text.contains(stem, autoescape=True)
                                          for stem in sorted(search_stems(wanted_lemma)))))
    rows = db.session.execute(statement).all()
    ids = [pin_id for pin_id, text in rows if matches(text, wanted)]
    pins = db.session.execute(
        select(Pin).where(Pin.id.in_(ids[:SEARCH_LIMIT])).order_by(Pin.id)
    ).scalars().all() if ids else []
    return pins, len(ids)


@bp.route("/dialoger/<int:dialogue_id>/teman/forslag")
@declares("read_raw")
def theme_suggestions(dialogue_id: int):
    """Open theme suggestions with their key words and example comments, and the word search."""
    dialogue = dialogue_or_404(dialogue_id, "read_raw")
    suggestions = open_suggestions(dialogue.id)
    example_ids = {i for s in suggestions for i in s.pin_ids[:EXAMPLES]}
    examples = {p.id: p for p in db.session.execute(
        select(Pin).where(Pin.id.in_(example_ids))).scalars()} if example_ids else {}
    query = (request.args.get("q") or "").strip()[:200]
    found, found_count = search_comments(dialogue, query) if query else ([], 0)
    answered = db.session.execute(
        select(ThemeSuggestion).where(ThemeSuggestion.dialogue_id == dialogue.id,
                                      ThemeSuggestion.status != "open")
        .order_by(ThemeSuggestion.id.desc())
    ).scalars().all()
    return render_template(
        "planner/suggestions.html", dialogue=dialogue, suggestions=suggestions, examples=examples,
        example_count=EXAMPLES, answered=answered, query=query, found=found,
        found_count=found_count, search_limit=SEARCH_LIMIT, themes=themes_of(dialogue),
        job=latest_suggestion_job(dialogue.id),
        may_edit=can(current_user, "edit", dialogue.municipality),
        value_labels=VALUE_LABELS, sentiment_labels=SENTIMENT_LABELS,
    )


@bp.route("/dialoger/<int:dialogue_id>/teman/forslag/ta-fram", methods=["POST"])
def suggest_themes(dialogue_id: int):
    """Find themes in the comments as a job (replacing the open suggestions when it is done)."""
    dialogue = dialogue_or_404(dialogue_id, "edit")
    try:
        job = start_export(dialogue, TASKS["theme-suggestions"], ExportOptions(), user=current_user,
                           via="ui")
    except QueueUnavailable:
        flash(_("The suggestions could not be queued. Try again in a while."), "error")
        return redirect(url_for("planner.theme_suggestions", dialogue_id=dialogue.id))
    record("theme.suggest", user=current_user, municipality_id=dialogue.municipality_id,
           obj=dialogue, job=job.id)
    db.session.commit()
    return redirect(url_for("planner.theme_suggestions", dialogue_id=dialogue.id))


def latest_suggestion_job(dialogue_id: int) -> dict | None:
    """The progress of the dialogue's latest search for suggestions, if any."""
    job = db.session.execute(
        select(ExportJob).where(ExportJob.dialogue_id == dialogue_id,
                                ExportJob.format == "theme-suggestions")
        .order_by(ExportJob.created_at.desc()).limit(1)).scalar()
    return progress(job) if job is not None else None


def _name(suggestion: ThemeSuggestion | None = None) -> str:
    name = (request.form.get("name") or "").strip()
    if not name and suggestion is not None:
        name = suggestion.label
    if not name or len(name) > 120:
        flash(_("Give the theme a name of at most 120 characters."), "error")
        return ""
    return name


@bp.route("/dialoger/<int:dialogue_id>/teman/forslag/<int:suggestion_id>/godta", methods=["POST"])
def accept_suggestion(dialogue_id: int, suggestion_id: int):
    """Make the suggestion a theme (under the name given) and code its comments with it."""
    dialogue = dialogue_or_404(dialogue_id, "edit")
    suggestion = _suggestion_of(dialogue, suggestion_id)
    name = _name(suggestion)
    if suggestion.status != "open" or not name:
        return redirect(url_for("planner.theme_suggestions", dialogue_id=dialogue.id))
    theme, changed = accept(dialogue, [suggestion], name)
    record("theme.accept_suggestion", user=current_user, municipality_id=dialogue.municipality_id,
           obj=theme, suggestion_ids=[suggestion.id], name=theme.name, coded=changed)
    db.session.commit()
    flash(_("The theme %(name)s now has %(n)s more comments.", name=theme.name, n=changed), "success")
    return redirect(url_for("planner.theme_suggestions", dialogue_id=dialogue.id))


@bp.route("/dialoger/<int:dialogue_id>/teman/forslag/sla-ihop", methods=["POST"])
def merge_suggestions(dialogue_id: int):
    """Make several suggestions one theme."""
    dialogue = dialogue_or_404(dialogue_id, "edit")
    ids = sorted({int(v) for v in request.form.getlist("suggestion_ids") if v.isdigit()})
    chosen = [_suggestion_of(dialogue, i) for i in ids]
    chosen = [s for s in chosen if s.status == "open"]
    if len(chosen) < 2:
        flash(_("Choose at least two suggestions to merge."), "error")
        return redirect(url_for("planner.theme_suggestions", dialogue_id=dialogue.id))
    name = _name()
    if not name:
        return redirect(url_for("planner.theme_suggestions", dialogue_id=dialogue.id))
    theme, changed = accept(dialogue, chosen, name)
    record("theme.accept_suggestion", user=current_user, municipality_id=dialogue.municipality_id,
           obj=theme, suggestion_ids=ids, name=theme.name, coded=changed)
    db.session.commit()
    flash(_("The theme %(name)s now has %(n)s more comments.", name=theme.name, n=changed), "success")
    return redirect(url_for("planner.theme_suggestions", dialogue_id=dialogue.id))


@bp.route("/dialoger/<int:dialogue_id>/teman/forslag/<int:suggestion_id>/avvisa", methods=["POST"])
def reject_suggestion(dialogue_id: int, suggestion_id: int):
    """Reject a suggestion: it (and any like it) is not suggested again."""
    dialogue = dialogue_or_404(dialogue_id, "edit")
    suggestion = _suggestion_of(dialogue, suggestion_id)
    if suggestion.status == "open":
        reject(suggestion)
        record("theme.reject_suggestion", user=current_user,
               municipality_id=dialogue.municipality_id, obj=suggestion, label=suggestion.label)
        db.session.commit()
        flash(_("The suggestion %(name)s is rejected and will not be suggested again.",
                name=suggestion.label), "success")
    return redirect(url_for("planner.theme_suggestions", dialogue_id=dialogue.id))
