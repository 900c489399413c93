"""Reading the tallies (app/models/tally.py): the counts the analysis pages group pins by.

Each reader answers what the GROUP BY over `pin` would, or None when the filter asks for more
than a tally holds (themes, two demographic groups at once; dates for the cell tallies), and the
caller then groups the pins themselves. A filter on one demographic group is read from the tallies
of pins per group answer (AnswerPinHourTally, AnswerPinCellTally, AnswerPinTally,
AnswerPairPinTally), summed over the answers that include the group's option. A page's time so
grows with the cells and hours it shows, not with the pins behind them.
"""

from __future__ import annotations

import json
from datetime import UTC, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from .extensions import db
from .models import (
    AnswerPairPinTally,
    AnswerPinCellTally,
    AnswerPinHourTally,
    AnswerPinTally,
    AnswerTally,
    PinCellTally,
    PinHourTally,
    ResponseHourTally,
)
from .models.tally import LONG_ANSWER, NO_PLACE, TALLY_CELL
from .surveys.answers import chosen_ids

if TYPE_CHECKING:
    from .analysis.filters import PinFilter

HOUR_FORMAT = "%Y-%m-%d %H"


def _hour_of(moment) -> str:
    return moment.astimezone(UTC).strftime(HOUR_FORMAT)


_BEYOND = object()  # a filter no tally can answer


def _group_of(dialogue_id: int, pin_filter: PinFilter):
    """The one demographic group a filter narrows to, as (question id, the answers' JSON text keys
    that include its option, as filters.answer_includes matches respondents); None for no group;
    _BEYOND for a filter no tally answers (themes, two groups, an answer too long for its key)."""
    if pin_filter.theme_ids or len(pin_filter.groups) > 1:
        return _BEYOND
    if not pin_filter.groups:
        return None
    ((question_id, option_id),) = pin_filter.groups.items()
    keys = []
    for value, in db.session.execute(select(AnswerTally.value).where(
            AnswerTally.dialogue_id == dialogue_id, AnswerTally.question_id == question_id,
            AnswerTally.n != 0)):
        if value == LONG_ANSWER:
            return _BEYOND
        if option_id in chosen_ids(decoded(value)):
            keys.append(value)
    return question_id, keys


def _in_group(model, group) -> list:
    """Where clauses narrowing a tally of pins per answer to the group's answers (none for no group)."""
    return [] if group is None else [model.question_id == group[0], model.value.in_(group[1])]


def _counted(model, statement, dialogue_id: int, pin_filter: PinFilter, states: tuple[str, ...]):
    """The statement over a pin tally narrowed to the dialogue, the states and the sentiments."""
    statement = statement.where(model.dialogue_id == dialogue_id, model.moderation_state.in_(states),
                                model.n != 0)
    if pin_filter.sentiments:
        statement = statement.where(model.sentiment.in_(pin_filter.sentiments))
    return statement


def decoded(raw: str):
    """An answer's JSON text (a tally key) as the answer, or None when it is not JSON."""
    try:
        return json.loads(raw)
    except (TypeError, ValueError):
        return None


def cell_rows(dialogue_id: int, size: int, pin_filter: PinFilter, states: tuple[str, ...],
              map_only: bool) -> list[tuple] | None:
    """(cell e, cell n, named place id, value, sentiment, count) of the point pins, as pin_groups
    groups them; None when the size or the filter is beyond the cell tally."""
    if size % TALLY_CELL or pin_filter.date_from or pin_filter.date_to:
        return None
    group = _group_of(dialogue_id, pin_filter)
    if group is _BEYOND:
        return None
    t = PinCellTally if group is None else AnswerPinCellTally
    value = t.value if group is None else t.pin_value
    k = size // TALLY_CELL
    cell_e, cell_n = (t.cell_e // k).label("tally_e"), (t.cell_n // k).label("tally_n")  # integer division
    statement = _counted(t, select(cell_e, cell_n, t.named_place_id, t.location_kind, value,
                                   t.sentiment, func.sum(t.n)).where(*_in_group(t, group)),
                         dialogue_id, pin_filter, states)
    if map_only:
        statement = statement.where(t.location_kind == "map")
    statement = statement.group_by(cell_e, cell_n, t.named_place_id, t.location_kind, value,
                                   t.sentiment)
    rows = []
    for e, n, place_id, kind, value, sentiment, count in db.session.execute(statement):
        if not count:
            continue
        on_map = kind == "map"
        rows.append((e if on_map else None, n if on_map else None,
                     None if place_id == NO_PLACE else place_id, value, sentiment, int(count)))
    return rows


def hour_rows(dialogue_id: int, pin_filter: PinFilter, states: tuple[str, ...], columns: tuple[str, ...]
              ) -> list[tuple] | None:
    """(the tally columns named, count) summed over every pin, or None beyond the hour tally.

    The hour tally counts every pin (on the map or not, any shape), as `pins_of(map_only=False)`.
    """
    group = _group_of(dialogue_id, pin_filter)
    if group is _BEYOND:
        return None
    from .analysis.filters import day_start  # the analysis package imports this module

    t = PinHourTally if group is None else AnswerPinHourTally
    pin_columns = {} if group is None else {"value": "pin_value"}
    keys = [getattr(t, pin_columns.get(c, c)) for c in columns]
    statement = _counted(t, select(*keys, func.sum(t.n)).where(*_in_group(t, group)), dialogue_id,
                         pin_filter, states)
    # A Swedish day starts on a whole UTC hour, so a date range is a range of hours.
    if pin_filter.date_from:
        statement = statement.where(t.hour >= _hour_of(day_start(pin_filter.date_from)))
    if pin_filter.date_to:
        statement = statement.where(t.hour < _hour_of(day_start(pin_filter.date_to + timedelta(days=1))))
    rows = db.session.execute(statement.group_by(*keys)).all()
    return [(*row[:-1], int(row[-1])) for row in rows if row[-1]]


def response_hours(dialogue_id: int) -> list[tuple[str, int]]:
    """(UTC hour, responses) of the dialogue."""
    t = ResponseHourTally
    return [(hour, int(n)) for hour, n in db.session.execute(
        select(t.hour, func.sum(t.n)).where(t.dialogue_id == dialogue_id, t.n != 0).group_by(t.hour))]


def state_counts(dialogue_ids: list[int]) -> list[tuple[int, str, int]]:
    """(dialogue id, moderation state, pins) of each dialogue."""
    t = PinHourTally
    return [(d, s, int(n)) for d, s, n in db.session.execute(
        select(t.dialogue_id, t.moderation_state, func.sum(t.n))
        .where(t.dialogue_id.in_(dialogue_ids), t.n != 0)
        .group_by(t.dialogue_id, t.moderation_state)) if n]


def response_count(dialogue_id: int) -> int:
    """How many responses the dialogue has."""
    return sum(n for _hour, n in response_hours(dialogue_id))


def pin_count(dialogue_id: int, states: tuple[str, ...]) -> int:
    """How many of the dialogue's pins are in these moderation states."""
    return sum(n for _d, state, n in state_counts([dialogue_id]) if state in states)


def answer_rows(dialogue_id: int, question_ids: list[str]) -> list[tuple[str, str, int]] | None:
    """(question id, answer as JSON text, answers) of these questions; None when an answer is too
    long for the tally's key (the caller then groups `answer`)."""
    t = AnswerTally
    rows = db.session.execute(
        select(t.question_id, t.value, func.sum(t.n))
        .where(t.dialogue_id == dialogue_id, t.question_id.in_(question_ids), t.n != 0)
        .group_by(t.question_id, t.value)).all()
    if any(value == LONG_ANSWER and n for _q, value, n in rows):
        return None
    return [(q, value, int(n)) for q, value, n in rows if n]


def answer_pin_rows(dialogue_id: int, question_ids: list[str], pin_filter: PinFilter,
                    states: tuple[str, ...]) -> list[tuple[str, str, str, int]] | None:
    """(question id, answer as JSON text, pin value, pins) over every pin of the respondents who gave
    that answer, for group questions (survey_group_question); None when the filter asks for more
    than sentiments and one group, or an answer is too long.

    Under a group filter the group's own question is read from the pins per answer, and the other
    questions from the pins per pair of answers (the group's, and the other question's).
    """
    group = _group_of(dialogue_id, pin_filter)
    if group is _BEYOND or pin_filter.date_from or pin_filter.date_to:
        return None
    own = [q for q in question_ids if group is None or q == group[0]]
    others = [q for q in question_ids if q not in own]
    p = AnswerPairPinTally
    rows = []
    for t, question, value, asked in ((AnswerPinTally, AnswerPinTally.question_id, AnswerPinTally.value, own),
                                      (p, p.other_question_id, p.other_value, others)):
        if asked:
            rows += db.session.execute(_counted(
                t, select(question, value, t.pin_value, func.sum(t.n))
                .where(question.in_(asked), *_in_group(t, group)).group_by(question, value, t.pin_value),
                dialogue_id, pin_filter, states)).all()
    if any(value == LONG_ANSWER and n for _q, value, _v, n in rows):
        return None
    return [(q, value, pin_value, int(n)) for q, value, pin_value, n in rows if n]
