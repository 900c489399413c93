"""Dialogues: the dashboard, creating one from a survey file, settings, lifecycle, preview, QR."""

from __future__ import annotations

import io
from pathlib import Path

import segno
from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from .. import tally
from ..access import can, declares, dialogue_or_404, get_or_404, scope
from ..basemap import service as basemaps
from ..dialogues import create_dialogue, freeze_survey
from ..domain import STATUS_LABELS
from ..extensions import db
from ..models import DevelopmentArea, Dialogue, Municipality, SurveyDraft
from ..models.audit import record
from ..surveys import SurveyError, definition_from_frozen, load_definition
from .forms import ExtendForm, NewDialogueForm, SettingsForm
from .lifecycle import (
    ACTION_LABELS,
    LEADER_TARGETS,
    TransitionError,
    closing_proposals,
    extend,
    next_statuses,
    propose_closing,
    transition,
)
from .poster import poster_pdf
from .queue import state_counts
from .routes import bp
from .survey_drafts import freeze_draft


def survey_files() -> list[Path]:
    """The survey definition files a dialogue may be created from."""
    directory = Path(current_app.config.get("SURVEYS_DIR")
                     or Path(current_app.root_path).parent / "surveys")
    return sorted(directory.glob("*.yaml")) + sorted(directory.glob("*.yml"))


def slug_taken(slug: str, dialogue_id: int | None = None) -> bool:
    """Whether another dialogue already uses the public address."""
    query = select(Dialogue.id).where(Dialogue.slug == slug)
    if dialogue_id is not None:
        query = query.where(Dialogue.id != dialogue_id)
    return db.session.execute(query).first() is not None


@bp.route("/")
def index():
    """The dashboard: the dialogues of each of the user's municipalities, with their tools."""
    dialogues = db.session.execute(
        scope(select(Dialogue), Dialogue.municipality_id)
        .order_by(Dialogue.municipality_id, Dialogue.created_at.desc())
    ).scalars().all()
    comments: dict[int, int] = {}
    pending: dict[int, int] = {}
    if dialogues:
        for dialogue_id, state, count in tally.state_counts([d.id for d in dialogues]):
            comments[dialogue_id] = comments.get(dialogue_id, 0) + count
            if state == "pending":
                pending[dialogue_id] = count
    municipalities = db.session.execute(
        scope(select(Municipality), Municipality.id).order_by(Municipality.name)
    ).scalars().all()
    groups = [(m, [d for d in dialogues if d.municipality_id == m.id]) for m in municipalities]
    return render_template(
        "planner/index.html", groups=groups, pending=pending, comments=comments,
        status_labels=STATUS_LABELS,
        may_edit={m.id: can(current_user, "edit", m) for m in municipalities},
        may_read_raw={m.id: can(current_user, "read_raw", m) for m in municipalities},
    )


@bp.route("/dialoger/ny", methods=["GET", "POST"])
def new_dialogue():
    """Create a draft dialogue from a survey definition file and an area."""
    areas = [a for a in db.session.execute(
        scope(select(DevelopmentArea), DevelopmentArea.municipality_id)
        .order_by(DevelopmentArea.name)).scalars() if can(current_user, "edit", a.municipality)]
    if not areas:
        if not any(can(current_user, "edit", m) for m in db.session.execute(
                scope(select(Municipality), Municipality.id)).scalars()):
            abort(403)
        flash(_("Create a development area first."), "info")
        return redirect(url_for("planner.new_area"))
    files = {path.name: path for path in survey_files()}
    drafts = {f"utkast-{d.id}": d for d in db.session.execute(
        scope(select(SurveyDraft), SurveyDraft.municipality_id).order_by(SurveyDraft.name))
        .scalars() if can(current_user, "edit", d.municipality)}
    form = NewDialogueForm()
    if request.method == "GET" and request.args.get("survey") in drafts:
        form.survey.data = request.args["survey"]
    form.survey.choices = [
        SelectChoice(key, _("%(name)s (survey of %(municipality)s)", name=d.name,
                            municipality=d.municipality.name)) for key, d in drafts.items()
    ] + [SelectChoice(name, name) for name in files]
    form.area_id.choices = [SelectChoice(a.id, f"{a.name} ({a.municipality.name})") for a in areas]
    if not form.validate_on_submit():
        return _render_new(form, 422 if form.is_submitted() else 200)
    area = get_or_404(DevelopmentArea, form.area_id.data, "edit")
    path, draft = files.get(form.survey.data), drafts.get(form.survey.data)
    if path is None and draft is None:
        form.survey.errors = [_("Choose a survey definition.")]
        return _render_new(form, 422)
    if draft is not None and draft.municipality_id != area.municipality_id:
        form.survey.errors = [_("The survey belongs to another municipality than the area.")]
        return _render_new(form, 422)
    try:
        definition = load_definition(path) if path else None
    except SurveyError as err:
        form.survey.errors = [_("The survey definition has problems:")] + [
            str(p) for p in err.problems]
        return _render_new(form, 422)
    if slug_taken(form.slug.data):
        form.slug.errors = [_("Another dialogue already uses this address.")]
        return _render_new(form, 422)
    if draft is not None:
        version = freeze_draft(draft)
        definition = definition_from_frozen(version.definition)
    else:
        version = freeze_survey(definition, source_name=path.name)
    dialogue = create_dialogue(
        area, version, slug=form.slug.data, title=form.title.data.strip(),
        description=definition.text(definition.description, "sv"),
        languages=list(definition.languages), status="draft",
    )
    record("dialogue.create", user=current_user, municipality_id=dialogue.municipality_id,
           obj=dialogue, survey=version.source_name)
    db.session.commit()
    flash(_("The draft is created. Check the settings, then open it for residents."), "success")
    return redirect(url_for("planner.dialogue_settings", dialogue_id=dialogue.id))


def _render_new(form: NewDialogueForm, status: int):
    return render_template("planner/dialogue_new.html", form=form), status


@bp.route("/dialoger/<int:dialogue_id>", methods=["GET", "POST"])
def dialogue_settings(dialogue_id: int):
    """The dialogue's settings and its lifecycle buttons."""
    dialogue = dialogue_or_404(dialogue_id, "view")
    may_edit = can(current_user, "edit", dialogue.municipality)
    survey_languages = list(dialogue.survey_version.definition.get("languages") or ["sv"])
    form = SettingsForm(obj=dialogue)
    form.languages.choices = [SelectChoice(lang, lang) for lang in survey_languages]
    offered = basemaps.offered_to(dialogue.municipality_id)
    default = basemaps.default_for(dialogue.municipality_id)
    form.basemap_id.choices = [SelectChoice(0, _("The default base map (%(name)s)", name=default.name)
                                            if default else _("No base map: the area's outline only"))]
    form.basemap_id.choices += [SelectChoice(b.id, b.name) for b in offered]
    if request.method == "GET":
        form.basemap_id.data = dialogue.basemap_id or 0
    status = 200
    if request.method == "POST":
        if not may_edit:
            abort(403)
        if form.validate_on_submit() and _settings_ok(form, dialogue, survey_languages, offered):
            changed = _apply_settings(form, dialogue)
            record("dialogue.settings", user=current_user, municipality_id=dialogue.municipality_id,
                   obj=dialogue, changed=changed)
            db.session.commit()
            flash(_("The settings are saved."), "success")
            return redirect(url_for("planner.dialogue_settings", dialogue_id=dialogue.id))
        status = 422
    return render_template(
        "planner/dialogue_settings.html", dialogue=dialogue, form=form, may_edit=may_edit,
        may_lead=can(current_user, "lifecycle", dialogue.municipality),
        next_statuses=next_statuses(dialogue), action_labels=ACTION_LABELS,
        leader_targets=LEADER_TARGETS, status_labels=STATUS_LABELS, basemaps_offered=offered,
        extend_form=ExtendForm(closes_on=dialogue.closes_on),
        proposals=closing_proposals(dialogue) if dialogue.status == "open" else [],
    ), status


def _settings_ok(form: SettingsForm, dialogue: Dialogue, survey_languages: list[str],
                 offered: list) -> bool:
    ok = True
    if form.basemap_id.data not in {None, 0, *(b.id for b in offered)}:  # None: not sent, kept
        form.basemap_id.errors = [_("Choose one of the municipality's base maps.")]
        ok = False
    if form.slug.data != dialogue.slug:
        if dialogue.status != "draft":
            form.slug.errors = [_("The address cannot change after the dialogue has opened: "
                                  "posters and links already use it.")]
            ok = False
        elif slug_taken(form.slug.data, dialogue.id):
            form.slug.errors = [_("Another dialogue already uses this address.")]
            ok = False
    if dialogue.status != "draft" and form.closes_on.data != dialogue.closes_on:
        form.closes_on.errors = [_("After opening, the project leader changes the end date under "
                                   "“New end date”, with a reason.")]
        ok = False
    chosen = form.languages.data or []
    if not chosen or any(lang not in survey_languages for lang in chosen):
        form.languages.errors = [_("Choose at least one of the survey's languages.")]
        ok = False
    return ok


SETTING_FIELDS = ("title", "slug", "description", "languages", "show_others_pins", "moderation",
                  "photos_allowed", "opens_on", "closes_on", "phase", "diarienummer",
                  "retention_months", "retention_decision", "basemap_id")


def _apply_settings(form: SettingsForm, dialogue: Dialogue) -> list[str]:
    changed = []
    for name in SETTING_FIELDS:
        value = getattr(form, name).data
        if name == "basemap_id":
            value = value or None  # 0: follow the municipality's default
        if isinstance(value, str):
            value = value.strip()
            if name in ("diarienummer", "retention_decision"):
                value = value or None
        if getattr(dialogue, name) != value:
            setattr(dialogue, name, value)
            changed.append(name)
    return changed


@bp.route("/dialoger/<int:dialogue_id>/status", methods=["POST"])
def change_status(dialogue_id: int):
    """Open a draft, or (the project leader, after confirming) close or archive the dialogue."""
    dialogue = dialogue_or_404(dialogue_id, "edit")
    target = request.form.get("target", "")
    if target in LEADER_TARGETS and not can(current_user, "lifecycle", dialogue.municipality):
        abort(403, description=_("Only the project leader can close or archive a dialogue. "
                                 "Propose closing instead."))
    if target in LEADER_TARGETS and request.form.get("confirm") != "1":
        return render_template("planner/dialogue_confirm.html", dialogue=dialogue, target=target,
                               counts=state_counts(dialogue.id), action_labels=ACTION_LABELS,
                               status_labels=STATUS_LABELS)
    try:
        transition(dialogue, target, user=current_user,
                   reason=(request.form.get("reason") or "").strip()[:300] or "manual")
    except TransitionError as err:
        db.session.rollback()
        flash(str(err), "error")
    else:
        db.session.commit()
        flash(_("The dialogue is now: %(status)s.", status=STATUS_LABELS[dialogue.status]),
              "success")
    return redirect(url_for("planner.dialogue_settings", dialogue_id=dialogue_id))


@bp.route("/dialoger/<int:dialogue_id>/slutdatum", methods=["POST"])
@declares("lifecycle")
def extend_dialogue(dialogue_id: int):
    """The project leader gives a new end date, reopening a closed dialogue; with a reason."""
    dialogue = dialogue_or_404(dialogue_id, "lifecycle")
    form = ExtendForm()
    form.validate_on_submit()
    try:
        action = extend(dialogue, form.closes_on.data, user=current_user,
                        reason=form.reason.data or "")
    except TransitionError as err:
        db.session.rollback()
        flash(str(err), "error")
    else:
        db.session.commit()
        flash(_("The dialogue is open again until %(date)s.", date=format_date(dialogue.closes_on))
              if action == "dialogue.reopen" else
              _("The dialogue now ends on %(date)s.", date=format_date(dialogue.closes_on)),
              "success")
    return redirect(url_for("planner.dialogue_settings", dialogue_id=dialogue_id))


@bp.route("/dialoger/<int:dialogue_id>/foresla-stangning", methods=["POST"])
def propose_close(dialogue_id: int):
    """The working group proposes closing the dialogue; the project leader decides."""
    dialogue = dialogue_or_404(dialogue_id, "edit")
    try:
        propose_closing(dialogue, user=current_user, reason=request.form.get("reason", "")[:300])
    except TransitionError as err:
        db.session.rollback()
        flash(str(err), "error")
    else:
        db.session.commit()
        flash(_("Your proposal is sent to the project leader."), "success")
    return redirect(url_for("planner.dialogue_settings", dialogue_id=dialogue_id))


@bp.route("/dialoger/<int:dialogue_id>/forhandsvisning")
def dialogue_preview(dialogue_id: int):
    """The resident page as residents will see it, also for a draft (planners only)."""
    from ..resident.routes import render_landing

    dialogue = dialogue_or_404(dialogue_id, "view")
    flash(_("Preview: this is how the page looks to residents."), "info")
    return render_landing(dialogue)


def public_url(dialogue: Dialogue) -> str:
    """The dialogue's public address, absolute, for links and posters."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    path = url_for("resident.dialogue", slug=dialogue.slug)
    return base.rstrip("/") + path if base else url_for(
        "resident.dialogue", slug=dialogue.slug, _external=True)


@bp.route("/dialoger/<int:dialogue_id>/affisch")
def dialogue_poster(dialogue_id: int):
    """The public link and its QR code, to print on posters."""
    dialogue = dialogue_or_404(dialogue_id, "view")
    return render_template("planner/poster.html", dialogue=dialogue, url=public_url(dialogue),
                           status_labels=STATUS_LABELS)


@bp.route("/dialoger/<int:dialogue_id>/qr.<any(svg, png):kind>")
def dialogue_qr(dialogue_id: int, kind: str):
    """The QR code of the public link as SVG (for print) or PNG."""
    dialogue = dialogue_or_404(dialogue_id, "view")
    qr = segno.make(public_url(dialogue), error="m")
    buffer = io.BytesIO()
    if kind == "svg":
        qr.save(buffer, kind="svg", scale=10, border=4, title=dialogue.title)
        mimetype = "image/svg+xml"
    else:
        qr.save(buffer, kind="png", scale=12, border=4)
        mimetype = "image/png"
    buffer.seek(0)
    return send_file(buffer, mimetype=mimetype, as_attachment=request.args.get("download") == "1",
                     download_name=f"{dialogue.slug}-qr.{kind}")


@bp.route("/dialoger/<int:dialogue_id>/affisch-<any(a4, a3):paper>.pdf")
def dialogue_poster_pdf(dialogue_id: int, paper: str):
    """A printable poster (A4 or A3) with the title, a short text, the QR code and the link."""
    dialogue = dialogue_or_404(dialogue_id, "view")
    data = poster_pdf(dialogue, public_url(dialogue), paper)
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=f"{dialogue.slug}-affisch-{paper}.pdf")
