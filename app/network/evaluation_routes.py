"""Evaluation pages: the coordinator starts a round, planners answer, everyone reads the report."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..disclosure import min_count as min_cell_count
from ..domain import PHASES
from ..extensions import db
from ..i18n import interface_language
from ..models import EvaluationAnswer, EvaluationRound
from . import evaluation
from .blueprint import bp
from .forms import EvaluationRoundForm


@bp.route("/utvardering", methods=["GET", "POST"])
def evaluations():
    """The evaluation rounds; the coordinator starts a new one."""
    form = EvaluationRoundForm()
    if request.method == "POST":
        if not current_user.is_network_coordinator:
            abort(403)
        if form.validate_on_submit():
            evaluation.start_round(form.title.data, form.phase.data, user=current_user)
            db.session.commit()
            flash(_("The evaluation is open for the working groups and project leaders."))
            return redirect(url_for(".evaluations"))
    rounds = db.session.execute(
        select(EvaluationRound).order_by(EvaluationRound.created_at.desc())).scalars().all()
    answered = set(db.session.execute(select(EvaluationAnswer.round_id).where(
        EvaluationAnswer.user_id == current_user.id)).scalars())
    return render_template(
        "network/evaluations.html", rounds=rounds, form=form, answered=answered, phases=PHASES,
        may_answer=evaluation.answering_municipality(current_user) is not None,
    ), 422 if form.errors else 200


@bp.route("/utvardering/<int:round_id>/svara", methods=["GET", "POST"])
def answer(round_id: int):
    """A planner answers the questionnaire, once per round (answering again replaces it)."""
    evaluation_round = db.session.get(EvaluationRound, round_id) or abort(404)
    municipality_id = evaluation.answering_municipality(current_user)
    if municipality_id is None or not evaluation_round.is_open:
        abort(403)
    definition = evaluation.definition_of(evaluation_round)
    lang = interface_language()
    errors: dict[str, str] = {}
    values: dict = {}
    if request.method == "POST":
        values = evaluation.answers_from_form(definition, request.form)
        errors = evaluation.submit(evaluation_round, current_user, municipality_id, values, lang)
        if not errors:
            db.session.commit()
            flash(_("Thank you for your answers."))
            return redirect(url_for(".evaluations"))
        db.session.rollback()
    return render_template(
        "network/answer.html", evaluation_round=evaluation_round, definition=definition,
        lang=lang, errors=errors, values=values,
    ), 422 if errors else 200


@bp.route("/utvardering/<int:round_id>/rapport")
def round_report(round_id: int):
    """The aggregated answers of one round."""
    evaluation_round = db.session.get(EvaluationRound, round_id) or abort(404)
    return _report([evaluation_round], evaluation_round.title)


@bp.route("/utvardering/fas/<int:phase>")
def phase_report(phase: int):
    """The aggregated answers of every round of one phase."""
    if phase not in PHASES:
        abort(404)
    rounds = list(db.session.execute(select(EvaluationRound).where(
        EvaluationRound.phase == phase).order_by(EvaluationRound.created_at)).scalars())
    return _report(rounds, _("Phase %(n)s", n=phase))


def _report(rounds: list[EvaluationRound], heading: str):
    k = min_cell_count()
    data = evaluation.report(rounds, k)
    definition = evaluation.definition_of(rounds[-1]) if rounds else None
    return render_template("network/report.html", heading=heading, report=data, k=k,
                           definition=definition, lang=interface_language())
