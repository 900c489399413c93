"""The network's evaluation (phase 4): rounds, one answer set per planner, aggregates."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from statistics import mean

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from ..dialogues import freeze_survey
from ..disclosure import shown as suppress
from ..extensions import db
from ..models import EvaluationAnswer, EvaluationRound, Municipality, User
from ..surveys import SurveyDefinition, definition_from_frozen, load_definition

EVALUATION_SURVEY = Path(__file__).resolve().parents[2] / "surveys" / "utvardering-arbetsgrupp.yaml"
# Who answers: the people who ran the dialogues.
ANSWERING_ROLES = ("project_leader", "working_group")


def start_round(title: str, phase: int, *, user=None) -> EvaluationRound:
    """Open a new evaluation round with the network's questionnaire (flushed)."""
    version = freeze_survey(load_definition(EVALUATION_SURVEY), source_name=EVALUATION_SURVEY.name)
    evaluation = EvaluationRound(title=title.strip(), phase=phase, survey_version=version,
                                 created_by_id=getattr(user, "id", None))
    db.session.add(evaluation)
    db.session.flush()
    return evaluation


def definition_of(evaluation: EvaluationRound) -> SurveyDefinition:
    """The questionnaire exactly as the round froze it."""
    return definition_from_frozen(evaluation.survey_version.definition)


def answering_municipality(user: User) -> int | None:
    """The municipality a planner answers for: the first where they lead or work, else None."""
    ids = sorted(m.municipality_id for m in user.memberships if m.role in ANSWERING_ROLES)
    return ids[0] if ids else None


def answers_from_form(definition: SurveyDefinition, form: MultiDict) -> dict:
    """The raw answers of a posted questionnaire form, in the shape validate_answers expects."""
    answers: dict = {}
    for q in definition.questions:
        if q.type == "multi_choice":
            value = form.getlist(q.id)
            if "other" in value:
                value = {"selected": value, "other": form.get(f"{q.id}-other", "")}
        elif q.type == "ranking":
            ranks = {o.id: form.get(f"{q.id}-{o.id}", "") for o in q.options}
            if not any(ranks.values()):
                continue
            if not all(r.isdigit() for r in ranks.values()) or len(set(ranks.values())) != len(ranks):
                value = ["?"]  # incomplete or tied: the survey check names the problem
            else:
                value = sorted(ranks, key=lambda o: int(ranks[o]))
        elif q.type == "consent":
            value = True if form.get(q.id) else None
        else:
            value = form.get(q.id, "")
            if q.type == "single_choice" and value == "other":
                value = {"selected": "other", "other": form.get(f"{q.id}-other", "")}
        if value not in ("", [], None):
            answers[q.id] = value
    return answers


def submit(evaluation: EvaluationRound, user: User, municipality_id: int, answers: dict,
           lang: str) -> dict[str, str]:
    """Store (or replace) the user's answer set; the errors per question, with nothing stored."""
    definition = definition_of(evaluation)
    errors = definition.validate_answers(answers, lang)
    if errors:
        return errors
    cleaned = definition.clean_answers(answers)
    existing = db.session.execute(select(EvaluationAnswer).where(
        EvaluationAnswer.round_id == evaluation.id, EvaluationAnswer.user_id == user.id
    )).scalar_one_or_none()
    if existing is None:
        existing = EvaluationAnswer(round_id=evaluation.id, user_id=user.id)
        db.session.add(existing)
    existing.municipality_id = municipality_id
    existing.answers = cleaned
    db.session.flush()
    return {}


def _summary(definition: SurveyDefinition, answer_sets: list[dict], k: int) -> list[dict]:
    """Per question: counts per option, likert distribution and mean, ranking mean; suppressed."""
    n_sets = len(answer_sets)
    out = []
    for q in definition.questions:
        given = [a[q.id] for a in answer_sets if q.id in a]
        item = {"question": q, "answered": suppress(len(given), k), "options": [], "mean": None}
        if q.type in ("single_choice", "multi_choice"):
            counts: Counter = Counter()
            for value in given:
                chosen = value.get("selected") if isinstance(value, dict) else value
                counts.update([chosen] if isinstance(chosen, str) else chosen)
            item["options"] = [(o, suppress(counts[o.id], k)) for o in q.options]
        elif q.type == "likert":
            counts = Counter(given)
            item["options"] = [(level, suppress(counts[level], k)) for level in range(1, 6)]
            item["mean"] = round(mean(given), 2) if len(given) >= k else None
        elif q.type == "number" and len(given) >= k:
            item["mean"] = round(mean(given), 1)
        elif q.type == "ranking" and len(given) >= k:
            item["options"] = sorted(
                ((o, round(mean(v.index(o.id) + 1 for v in given), 2)) for o in q.options),
                key=lambda pair: pair[1],
            )
        out.append(item)
    return out if n_sets >= k else []


def report(rounds: list[EvaluationRound], k: int) -> dict:
    """The aggregated answers of the rounds: the whole network and per municipality."""
    if not rounds:
        return {"total": 0, "questions": [], "municipalities": []}
    answers = list(db.session.execute(select(EvaluationAnswer).where(
        EvaluationAnswer.round_id.in_([r.id for r in rounds]))).scalars())
    definition = definition_of(rounds[-1])
    by_municipality: dict[int, list[dict]] = defaultdict(list)
    for a in answers:
        by_municipality[a.municipality_id].append(a.answers)
    names = dict(db.session.execute(select(Municipality.id, Municipality.name)).all())
    likert = [q for q in definition.questions if q.type == "likert"]
    municipalities = []
    for municipality_id, sets in sorted(by_municipality.items(), key=lambda i: names[i[0]]):
        means = {}
        for q in likert:
            given = [s[q.id] for s in sets if q.id in s]
            means[q.id] = round(mean(given), 2) if len(given) >= k else None
        municipalities.append({"name": names[municipality_id], "answers": suppress(len(sets), k),
                               "means": means})
    return {
        "total": suppress(len(answers), k),
        "questions": _summary(definition, [a.answers for a in answers], k),
        "municipalities": municipalities,
        "likert": likert,
    }
