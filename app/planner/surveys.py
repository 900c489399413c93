"""The survey editor: a municipality's survey drafts, edited in a form, as YAML in and out.

Works without JavaScript (every button posts the whole form and the page comes back with the
change, the problems next to their fields and the preview); survey-editor.js posts the same
form in the background so the page does not reload.
"""

from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from ..access import can, declares, get_or_404, scope
from ..domain import SENTIMENT_LABELS, VALUE_LABELS
from ..extensions import db
from ..models import Municipality, SurveyDraft
from ..models.audit import record
from ..resident.routes import LANGUAGE_NAMES, map_config
from ..surveys import SurveyDefinition, SurveyError, located_problems
from ..surveys import form as editor
from ..surveys.definition import normalize
from ..surveys.yamlsource import parse_yaml
from . import survey_drafts as drafts
from .dialogues import survey_files
from .forms import NewSurveyForm, UploadSurveyForm
from .routes import bp

STARTER = "__starter__"
TYPE_LABELS = {
    "map_pin": _l("Map question"), "single_choice": _l("Single choice"),
    "multi_choice": _l("Multiple choice"), "likert": _l("Likert scale (1-5)"),
    "text": _l("Text answer"), "number": _l("Number"), "ranking": _l("Ranking"),
    "consent": _l("Consent"), "info": _l("Information text"),
}


def _editable_municipalities() -> list[Municipality]:
    return [m for m in db.session.execute(
        scope(select(Municipality), Municipality.id).order_by(Municipality.name)).scalars()
        if can(current_user, "edit", m)]


def _slug(text: str) -> str:
    table = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower().translate(table)).strip("-")
    return slug[:60] or "enkat"


@bp.route("/enkater", methods=["GET", "POST"])
def surveys():
    """The municipality's survey drafts, and a new one from a template, a file or a start."""
    drafts_list = db.session.execute(
        scope(select(SurveyDraft), SurveyDraft.municipality_id)
        .order_by(SurveyDraft.municipality_id, SurveyDraft.updated_at.desc())).scalars().all()
    municipalities = _editable_municipalities()
    form = NewSurveyForm()
    form.municipality_id.choices = [SelectChoice(m.id, m.name) for m in municipalities]
    files = {path.name: path for path in survey_files()}
    form.start.choices = [SelectChoice(STARTER, _("A short survey to build on"))] + [
        SelectChoice(name, name) for name in files]
    status = 200
    if request.method == "POST":
        if not municipalities:
            abort(403)
        if form.validate_on_submit():
            draft = _create(form, files)
            if draft is not None:
                record("survey_draft.create", user=current_user,
                       municipality_id=draft.municipality_id, obj=draft)
                db.session.commit()
                flash(_("The survey is created. Edit it, save, then publish a dialogue with it."),
                      "success")
                return redirect(url_for("planner.survey_editor", draft_id=draft.id))
            db.session.rollback()
        status = 422
    return render_template("planner/surveys.html", drafts=drafts_list, form=form,
                           may_create=bool(municipalities)), status


def _create(form: NewSurveyForm, files: dict) -> SurveyDraft | None:
    municipality_id = form.municipality_id.data
    if municipality_id not in {m.id for m in _editable_municipalities()}:
        abort(403)
    name = form.name.data.strip()
    try:
        if form.upload.data:
            text = drafts.decode_upload(form.upload.data.read(), form.upload.data.filename or "")
            note = _("Uploaded file %(name)s", name=form.upload.data.filename or "")
        elif form.start.data in files:
            text = files[form.start.data].read_text(encoding="utf-8")
            note = _("Copied from %(name)s", name=form.start.data)
        else:
            text = editor.to_yaml(editor.starter_survey(_slug(name), name))
            note = _("Started in the editor")
        return drafts.create_draft(municipality_id, name, text, user=current_user, note=note)
    except SurveyError as err:
        form.upload.errors = [_("The survey definition has problems:")] + [
            str(p) for p in err.problems]
        return None


def _definition_for_preview(data: dict) -> SurveyDefinition | None:
    """The survey as residents would get it, also while it still has problems (when it can)."""
    try:
        return SurveyDefinition(normalize(data))
    except (KeyError, TypeError, AttributeError, ValueError, IndexError):
        return None


@bp.route("/enkater/<int:draft_id>", methods=["GET", "POST"])
@declares("view", POST="edit")
def survey_editor(draft_id: int):
    """Edit the survey in a form; buttons add, remove and move parts; saving checks it."""
    draft = get_or_404(SurveyDraft, draft_id, "edit" if request.method == "POST" else "view")
    latest = drafts.latest_revision(draft)
    focus, status = None, 200
    if request.method == "GET":
        data = parse_yaml(latest.yaml_text).data
    else:
        data = editor.survey_from_form(request.form)
        action = request.form.get("action", "refresh")
        if action == "save":
            problems = located_problems(data)
            if not problems:
                return _save(draft, latest, data)
            status = 422
        elif action not in ("refresh", "preview"):
            target = action.partition(" ")[2]
            try:
                focus = editor.apply_edit(data, action, request.form.get(f"new-type-{target}"))
            except editor.EditError:
                abort(400)
    problems = located_problems(data)
    lang = request.values.get("preview_lang") or "sv"
    languages = [code for code in data.get("languages", []) if isinstance(code, str)] or ["sv"]
    if lang not in languages:
        lang = "sv"
    definition = _definition_for_preview(data)
    return render_template(
        "planner/survey_editor.html", draft=draft, latest=latest, data=data,
        problems=editor.place_problems(problems, data), problem_count=len(problems),
        focus=focus, may_edit=can(current_user, "edit", draft.municipality),
        languages=languages, language_names=LANGUAGE_NAMES, type_labels=TYPE_LABELS,
        value_labels=VALUE_LABELS, sentiment_labels=SENTIMENT_LABELS, ed=editor,
        value_names=lambda values: ", ".join(str(VALUE_LABELS.get(v, v)) for v in values),
        upload_form=UploadSurveyForm(), preview=definition, preview_lang=lang,
        t=lambda value: definition.text(value, lang) if definition else "",
        map_config=lambda q: map_config(q, lambda v: definition.text(v, lang),
                                        photos_allowed=True),
        revisions=list(reversed(draft.revisions)),
    ), status


def _save(draft: SurveyDraft, latest, data: dict):
    text = editor.to_yaml(data)
    if text == latest.yaml_text:
        flash(_("Nothing has changed since version %(n)d.", n=latest.number), "info")
        return redirect(url_for("planner.survey_editor", draft_id=draft.id))
    revision = drafts.save_revision(draft, text, user=current_user, note=_("Saved in the editor"))
    record("survey_draft.save", user=current_user, municipality_id=draft.municipality_id,
           obj=draft, version=revision.number)
    db.session.commit()
    flash(_("Version %(n)d is saved.", n=revision.number), "success")
    return redirect(url_for("planner.survey_editor", draft_id=draft.id))


@bp.route("/enkater/<int:draft_id>/yaml")
def survey_yaml(draft_id: int):
    """The draft's YAML file (the latest version, or ?version=N), to edit elsewhere."""
    draft = get_or_404(SurveyDraft, draft_id, "view")
    number = request.args.get("version", type=int)
    chosen = drafts.revision(draft, number) if number else drafts.latest_revision(draft)
    if chosen is None:
        abort(404)
    filename = f"{_slug(draft.name)}-v{chosen.number}.yaml"
    return chosen.yaml_text, 200, {
        "Content-Type": "application/yaml; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{filename}"',
    }


@bp.route("/enkater/<int:draft_id>/ladda-upp", methods=["POST"])
def survey_upload(draft_id: int):
    """Upload an edited YAML file: its problems, or the diff and a button to save it."""
    draft = get_or_404(SurveyDraft, draft_id, "edit")
    latest = drafts.latest_revision(draft)
    form = UploadSurveyForm()
    if not form.validate_on_submit():
        return _upload_page(draft, latest, form, None, None, []), 422
    confirmed = request.form.get("confirm") == "1"
    if confirmed:
        text = drafts.unix_lines(request.form.get("yaml_text", ""))
        name = request.form.get("filename", "")
    elif form.upload.data:
        name = form.upload.data.filename or "enkat.yaml"
        try:
            text = drafts.decode_upload(form.upload.data.read(), name)
        except SurveyError as err:
            return _upload_page(draft, latest, form, None, name, err.problems), 422
    else:
        form.upload.errors = [_("Choose a YAML file.")]
        return _upload_page(draft, latest, form, None, None, []), 422
    try:
        drafts.checked(text, name)
    except SurveyError as err:
        return _upload_page(draft, latest, form, text, name, err.problems), 422
    if not confirmed:
        return _upload_page(draft, latest, form, text, name, []), 200
    if text == latest.yaml_text:
        flash(_("The file is the same as version %(n)d; nothing was saved.", n=latest.number),
              "info")
        return redirect(url_for("planner.survey_editor", draft_id=draft.id))
    revision = drafts.save_revision(draft, text, user=current_user,
                                    note=_("Uploaded file %(name)s", name=name))
    record("survey_draft.upload", user=current_user, municipality_id=draft.municipality_id,
           obj=draft, version=revision.number, filename=name[:200])
    db.session.commit()
    flash(_("Version %(n)d is saved from %(name)s.", n=revision.number, name=name), "success")
    return redirect(url_for("planner.survey_editor", draft_id=draft.id))


def _upload_page(draft, latest, form, text, name, problems):
    diff = drafts.text_diff(latest.yaml_text, text, f"version {latest.number}", name or "") \
        if text is not None and not problems else []
    return render_template("planner/survey_upload.html", draft=draft, latest=latest, form=form,
                           text=text, filename=name, problems=problems, diff=diff)
