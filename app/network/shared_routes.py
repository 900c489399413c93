"""Shared survey templates and lessons learned: pages for every planner in the network."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from wtforms.fields.choices import SelectChoice

from ..access import can, declares, dialogue_or_404, get_or_404
from ..extensions import db
from ..models import LessonLearned, Municipality, SharedTemplate, TemplateAdoption
from . import sharing
from .blueprint import bp
from .forms import AdoptTemplateForm, LessonForm, PublishTemplateForm

LESSON_FIELDS = ("method", "channels", "reached", "not_reached", "worked", "did_not_work")


def _require_coordinator() -> None:
    if not current_user.is_network_coordinator:
        abort(403)


@bp.route("/mallar", methods=["GET", "POST"])
def templates():
    """The published templates with where they are used; the coordinator publishes new versions."""
    form = PublishTemplateForm()
    form.source.choices = [SelectChoice(name, name) for name in sharing.survey_files()]
    if request.method == "POST":
        _require_coordinator()
        if form.validate_on_submit():
            try:
                if form.definition_yaml.data:
                    template = sharing.publish_template(
                        sharing.definition_from_text(form.definition_yaml.data),
                        form.version_label.data, form.change_notes.data or "", user=current_user)
                else:
                    template = sharing.publish_file(form.source.data, form.version_label.data,
                                                    form.change_notes.data or "", user=current_user)
            except sharing.SharingError as err:
                db.session.rollback()
                form.definition_yaml.errors = [*form.definition_yaml.errors, str(err)]
            else:
                db.session.commit()
                flash(_("Version %(label)s is published to the network.",
                        label=template.version_label))
                return redirect(url_for(".templates"))
    shared = db.session.execute(select(SharedTemplate).order_by(
        SharedTemplate.survey_key, SharedTemplate.published_at.desc())).scalars().all()
    return render_template("network/templates.html", shared=shared, form=form,
                           changed=sharing.changed), 422 if form.errors else 200


def _adopting_municipalities() -> list[Municipality]:
    return [m.municipality for m in current_user.memberships
            if can(current_user, "edit", m.municipality)]


@bp.route("/mallar/<int:template_id>/anvand", methods=["GET", "POST"])
def adopt(template_id: int):
    """Copy a template into a municipality's own use, adapted if it likes."""
    template = db.session.get(SharedTemplate, template_id) or abort(404)
    municipalities = _adopting_municipalities()
    if not municipalities:
        abort(403)
    form = AdoptTemplateForm()
    form.municipality_id.choices = [SelectChoice(m.id, m.name) for m in municipalities]
    if request.method == "GET":
        form.definition_yaml.data = sharing.as_yaml(template.survey_version.definition)
    elif form.validate_on_submit():
        try:
            adoption = sharing.adopt_template(
                template, form.municipality_id.data,
                sharing.definition_from_text(form.definition_yaml.data), user=current_user)
        except sharing.SharingError as err:
            db.session.rollback()
            form.definition_yaml.errors = [*form.definition_yaml.errors, str(err)]
        else:
            db.session.commit()
            flash(_("The template is copied into your municipality's use."))
            return redirect(url_for(".adoption", adoption_id=adoption.id))
    status = 422 if form.errors else 200
    return render_template("network/adopt.html", template=template, form=form), status


@bp.route("/mallar/anvandning/<int:adoption_id>")
def adoption(adoption_id: int):
    """What a municipality changed in a template: a readable diff of the two versions."""
    used = get_or_404(TemplateAdoption, adoption_id, "view")
    return render_template("network/adoption.html", adoption=used,
                           diff=sharing.adoption_diff(used))


@bp.route("/lardomar")
def lessons():
    """Every municipality's lessons learned, searchable."""
    query = request.args.get("q", "").strip()[:200]
    statement = select(LessonLearned).order_by(LessonLearned.updated_at.desc())
    if query:
        pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(or_(*(
            getattr(LessonLearned, f).ilike(pattern, escape="\\") for f in LESSON_FIELDS)))
    found = db.session.execute(statement).scalars().all()
    return render_template("network/lessons.html", lessons=found, query=query)


@bp.route("/dialoger/<int:dialogue_id>/lardomar", methods=["GET", "POST"])
@declares("edit")
def write_lesson(dialogue_id: int):
    """The working group writes what worked and what did not, after the dialogue closed."""
    dialogue = dialogue_or_404(dialogue_id, "edit")
    if dialogue.effective_status not in ("closed", "archived"):
        flash(_("Lessons are written after the dialogue has closed."), "error")
        return redirect(url_for(".lessons"))
    lesson = db.session.execute(select(LessonLearned).where(
        LessonLearned.dialogue_id == dialogue.id)).scalar_one_or_none()
    form = LessonForm(obj=lesson)
    if form.validate_on_submit():
        texts = {name: (getattr(form, name).data or "").strip() for name in LESSON_FIELDS}
        if not (texts["worked"] or texts["did_not_work"]):
            form.worked.errors = [_("Write what worked or what did not work.")]
        else:
            if lesson is None:
                lesson = LessonLearned(dialogue_id=dialogue.id,
                                       municipality_id=dialogue.municipality_id)
                db.session.add(lesson)
            for name, text in texts.items():
                setattr(lesson, name, text)
            lesson.author_id = current_user.id
            db.session.commit()
            flash(_("Thank you: the lessons are shared with the network."))
            return redirect(url_for(".lessons"))
    status = 422 if form.errors else 200
    return render_template("network/lesson_form.html", dialogue=dialogue, form=form), status
