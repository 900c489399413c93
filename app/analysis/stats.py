"""Statistics of a dialogue: per day, per value and sentiment, per demographic group, per question.

Everything is counted in the database with GROUP BY (over the tallies where they can answer, see
tally.py); Python only names and orders the groups.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import String, case, cast, func, literal, select, union_all

from .. import tally
from ..domain import MUNICIPAL_TIMEZONE, SENTIMENTS, VALUES
from ..extensions import db
from ..models import Answer, Pin, Response, ResponseOption
from ..surveys.answers import chosen_ids
from .filters import SHOWN_STATES, PinFilter, pins_of

CHOICE_TYPES = ("single_choice", "multi_choice")


@dataclass
class QuestionCounts:
    """Answers to one choice or Likert question: rows of (option id, label, count)."""

    question_id: str
    text: str
    type: str
    answered: int
    rows: list[tuple[str, str, int]] = field(default_factory=list)


@dataclass
class GroupRow:
    """One demographic group: respondents, their share of all respondents, pins per value."""

    option_id: str
    label: str
    respondents: int
    share: float
    pins: dict[str, int]
    suppressed: bool = False


def _hour_bucket(column):
    """The UTC hour of a timestamp as text, in each database's own dialect."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD HH24")
    return func.strftime("%Y-%m-%d %H", column)


def _per_local_day(rows) -> dict[date, int]:
    """Counts per UTC hour folded into Swedish calendar days (summer time included)."""
    days: Counter = Counter()
    for hour, count in rows:
        moment = datetime.strptime(hour, "%Y-%m-%d %H").replace(tzinfo=UTC)
        days[moment.astimezone(MUNICIPAL_TIMEZONE).date()] += count
    return dict(sorted(days.items()))


def responses_per_day(dialogue_id: int) -> dict[date, int]:
    """Responses received per day (Swedish time)."""
    return _per_local_day(tally.response_hours(dialogue_id))


@dataclass
class PinCounts:
    """A dialogue's filtered pins that are not hidden (on the map or not), counted two ways."""

    hours: list[tuple[str, str, str, int]]  # (UTC hour, value, sentiment, pins)
    options: list[tuple[str, str, str, int]]  # (group question id, option id chosen, value, pins)

    def per_day(self) -> dict[date, int]:
        """Pins received per day (Swedish time)."""
        per_hour: Counter = Counter()
        for hour, _value, _sentiment, n in self.hours:
            per_hour[hour] += n
        return _per_local_day(per_hour.items())

    def per_value(self) -> dict[str, dict[str, int]]:
        """Pins per value and sentiment."""
        table = {v: dict.fromkeys(SENTIMENTS, 0) for v in VALUES}
        for _hour, value, sentiment, n in self.hours:
            table[value][sentiment] += n
        return table


def pin_counts(dialogue_id: int, pin_filter: PinFilter, question_ids: list[str]) -> PinCounts:
    """The filtered pins per hour, value and sentiment, and per option chosen in these group questions.

    Read from the tallies where they answer the filter; otherwise (two groups, themes, a group
    with dates) one statement groups the filtered pins both ways, so they are found once.
    """
    hours = tally.hour_rows(dialogue_id, pin_filter, SHOWN_STATES, ("hour", "value", "sentiment"))
    answers = (tally.answer_pin_rows(dialogue_id, question_ids, pin_filter, SHOWN_STATES)
               if question_ids else [])
    options = None if answers is None else [
        (question_id, option_id, value, n) for question_id, raw, value, n in answers
        for option_id in chosen_ids(tally.decoded(raw))]
    if hours is None or options is None:
        grouped = _grouped_pins(dialogue_id, pin_filter, question_ids)
        hours = grouped.hours if hours is None else hours
        options = grouped.options if options is None else options
    return PinCounts(hours, options)


def _grouped_pins(dialogue_id: int, pin_filter: PinFilter, question_ids: list[str]) -> PinCounts:
    """PinCounts by one GROUP BY of the filtered pins, each pin read once.

    The options side first counts each respondent's pins per value, then reads the options that
    respondent chose from response_option's covering index: once per respondent, not per pin.
    """
    f = pins_of(dialogue_id, pin_filter, Pin.response_id, _hour_bucket(Pin.created_at).label("hour"),
                Pin.value, Pin.sentiment, map_only=False).cte("filtered")
    per_value = [func.sum(case((f.c.value == v, 1), else_=0)).label(v) for v in VALUES]
    parts = [select(literal("hour"), f.c.hour, f.c.sentiment, *per_value).group_by(f.c.hour, f.c.sentiment)]
    if question_ids:
        respondents = (select(f.c.response_id, *per_value).where(f.c.response_id.is_not(None))
                       .group_by(f.c.response_id).subquery())
        o = ResponseOption
        parts.append(select(literal("option"), o.question_id, o.option_id,
                            *[func.sum(respondents.c[v]) for v in VALUES])
                     .join(respondents, respondents.c.response_id == o.response_id)
                     .where(o.question_id.in_(question_ids)).group_by(o.question_id, o.option_id))
    counts = PinCounts([], [])
    for kind, first, second, *ns in db.session.execute(union_all(*parts)):
        for value, n in zip(VALUES, ns, strict=True):
            if not n:
                continue
            if kind == "hour":
                counts.hours.append((first, value, second, int(n)))
            else:
                counts.options.append((first, second, value, int(n)))
    return counts


def respondent_count(dialogue_id: int) -> int:
    """How many responses the dialogue has."""
    return tally.response_count(dialogue_id)


def _answer_counts(dialogue_id: int, question_ids: list[str]) -> dict[str, Counter]:
    """Per question, how often each distinct answer (as JSON text) was given."""
    if not question_ids:
        return {}
    rows = tally.answer_rows(dialogue_id, question_ids)
    if rows is None:
        text = cast(Answer.value, String)
        rows = db.session.execute(
            select(Answer.question_id, text, func.count())
            .join(Response, Response.id == Answer.response_id)
            .where(Response.dialogue_id == dialogue_id, Answer.question_id.in_(question_ids))
            .group_by(Answer.question_id, text)
        ).all()
    result: dict[str, Counter] = defaultdict(Counter)
    for question_id, raw, count in rows:
        result[question_id][raw] += count
    return result


def question_counts(dialogue_id: int, definition, lang: str) -> list[QuestionCounts]:
    """Answers to the survey's choice and Likert questions (demographic ones excluded)."""
    questions = [q for q in definition.questions
                 if (q.type in CHOICE_TYPES or q.type == "likert") and not q.demographic]
    counted = _answer_counts(dialogue_id, [q.id for q in questions])
    result = []
    for q in questions:
        per_option: Counter = Counter()
        answered = 0
        for raw, count in counted.get(q.id, {}).items():
            answer = tally.decoded(raw)
            answered += count
            if q.type == "likert":
                per_option[str(answer)] += count
            else:
                for chosen in chosen_ids(answer):
                    per_option[chosen] += count
        if q.type == "likert":
            rows = [(str(n), str(n), per_option.get(str(n), 0)) for n in range(1, 6)]
        else:
            rows = [(o.id, definition.text(o.label, lang), per_option.get(o.id, 0)) for o in q.options]
            if q.other:
                rows.append(("other", "other", per_option.get("other", 0)))
        result.append(QuestionCounts(q.id, definition.text(q.text, lang), q.type, answered, rows))
    return result


def demographic_groups(
    dialogue_id: int, definition, lang: str, counts: PinCounts, *, min_count: int = 0
) -> list[tuple[str, str, list[GroupRow]]]:
    """Per demographic choice question: each group's respondents, share and pins per value.

    `counts` are the filtered pins of pin_counts(..., definition.group_questions() ids). Groups
    with fewer than min_count respondents are marked suppressed (counts withheld).
    """
    questions = definition.group_questions()
    if not questions:
        return []
    total = respondent_count(dialogue_id)
    counted = _answer_counts(dialogue_id, [q.id for q in questions])
    pins: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for question_id, option_id, value, count in counts.options:
        pins[(question_id, option_id)][value] += count
    result = []
    for q in questions:
        respondents: Counter = Counter()
        for raw, count in counted.get(q.id, {}).items():
            for chosen in chosen_ids(tally.decoded(raw)):
                respondents[chosen] += count
        rows = []
        for option_id, label in [(o.id, definition.text(o.label, lang)) for o in q.options]:
            n = respondents.get(option_id, 0)
            rows.append(GroupRow(
                option_id, label, n, (n / total) if total else 0.0,
                {v: pins[(q.id, option_id)].get(v, 0) for v in VALUES},
                suppressed=0 < n < min_count,
            ))
        result.append((q.id, definition.text(q.text, lang), rows))
    return result


def group_options(definition) -> dict[str, list[tuple[str, dict]]]:
    """The demographic choice questions and their options, for the filter form."""
    return {q.id: [(o.id, o.label) for o in q.options] for q in definition.group_questions()}


@dataclass
class ThemeRow:
    """One theme: its comments per value (withheld when fewer than the small-number rule allows)."""

    theme_id: int
    name: str
    by_value: dict[str, int]
    suppressed: bool = False

    @property
    def total(self) -> int:
        """Comments coded with the theme."""
        return sum(self.by_value.values())


def theme_counts(dialogue_id: int, pin_filter: PinFilter, *, min_count: int = 0) -> list[ThemeRow]:
    """Per theme, its (filtered, not hidden) comments per value, the largest first."""
    from ..models import Theme, pin_theme

    rows: dict[int, ThemeRow] = {}
    # Themes of this dialogue first: the coded pins are few, so they lead the join (not every pin
    # that a filter lets through).
    for theme_id, name, value, count in db.session.execute(
        pins_of(dialogue_id, pin_filter, Theme.id, Theme.name, Pin.value, func.count(),
                map_only=False)
        .join(pin_theme, pin_theme.c.pin_id == Pin.id).join(Theme, Theme.id == pin_theme.c.theme_id)
        .where(Theme.dialogue_id == dialogue_id)
        .group_by(Theme.id, Theme.name, Pin.value)
    ).all():
        row = rows.setdefault(theme_id, ThemeRow(theme_id, name, dict.fromkeys(VALUES, 0)))
        row.by_value[value] = count
    for row in rows.values():
        row.suppressed = 0 < row.total < min_count
    return sorted(rows.values(), key=lambda r: (-r.total, r.name))
