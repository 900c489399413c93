"""Who answered against who lives there: shares, ratios, a representation score, and weights.

Shares compare the respondents who gave a compared answer with the inhabitants of the groups
those answers map to (the survey's `population` mapping), in the areas the dialogue chose.
The weights are post-stratification on the joint groups of every mapped question (e.g. age by
sex): a respondent in group c weighs (N_c / N) / (n_c / n), where N counts inhabitants and n
respondents, both only over groups that have respondents. A group without respondents cannot
be weighted up; its share of the population is reported instead of hidden.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import String, and_, cast, func, select
from sqlalchemy.orm import aliased

from ..analysis.filters import PinFilter, pins_of
from ..domain import SENTIMENTS, VALUES
from ..extensions import db
from ..models import Answer, Dialogue, Pin, PopulationCount, PopulationTable, Response
from ..surveys.answers import chosen_ids
from ..surveys.rules import group_key
from .importer import dimension_label


@dataclass
class GroupShare:
    """One compared group: respondents and inhabitants, their shares and the ratio."""

    option_id: str
    label: str
    respondents: int
    population: int
    respondent_share: float
    population_share: float
    suppressed: bool = False

    @property
    def ratio(self) -> float | None:
        """Share of respondents over share of inhabitants: 1 is in proportion."""
        return self.respondent_share / self.population_share if self.population_share else None


@dataclass
class DimensionComparison:
    """One demographic question compared with one population dimension."""

    question_id: str
    question_text: str
    dimension: str
    dimension_name: str
    respondents: int
    rows: list[GroupShare] = field(default_factory=list)

    @property
    def shown(self) -> list[GroupShare]:
        """The groups whose figures may be shown."""
        return [r for r in self.rows if not r.suppressed]

    @property
    def hidden(self) -> int:
        """How many groups the small-number rule hides."""
        return len(self.rows) - len(self.shown)

    @property
    def score(self) -> float | None:
        """Representation score: the lowest ratio over the highest (1 is even), shown groups only."""
        ratios = [r.ratio for r in self.shown if r.ratio is not None]
        return min(ratios) / max(ratios) if ratios and max(ratios) > 0 else None


@dataclass
class Weighting:
    """Post-stratification weights per joint group (a tuple of option ids, one per question)."""

    questions: tuple[str, ...]
    weights: dict[tuple[str, ...], float]
    used: int  # respondents with a compared answer to every question
    left_out: int
    uncovered_share: float  # share of inhabitants in groups without respondents
    empty_groups: int

    @property
    def weight_range(self) -> tuple[float, float]:
        """The smallest and largest weight."""
        values = list(self.weights.values())
        return (min(values), max(values)) if values else (0.0, 0.0)


@dataclass
class PopulationComparison:
    """Everything the pages, the report and the exports show about representativeness."""

    table: PopulationTable
    areas: list[str] | None
    population: int
    dimensions: list[DimensionComparison]
    weighting: Weighting | None
    values: dict[str, dict[str, float]] | None  # weighted pins per value and sentiment

    @property
    def score(self) -> float | None:
        """The lowest representation score of the dimensions."""
        scores = [d.score for d in self.dimensions if d.score is not None]
        return min(scores) if scores else None


def _decode(raw: str | None) -> object:
    try:
        return json.loads(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None


def _option(raw: str | None, groups: dict) -> str | None:
    """The compared option a stored answer chose, or None (no answer, or not compared)."""
    chosen = [c for c in chosen_ids(_decode(raw)) if c in groups]
    return chosen[0] if len(chosen) == 1 else None


def _population_cells(dialogue: Dialogue, mappings) -> dict[tuple[str, ...], int]:
    """Inhabitants per joint group of the mapped options, in the dialogue's chosen areas."""
    columns = [getattr(PopulationCount, m.dimension) for m in mappings]
    statement = (select(*columns, func.sum(PopulationCount.inhabitants))
                 .where(PopulationCount.table_id == dialogue.population_table_id)
                 .group_by(*columns))
    if dialogue.population_areas:
        statement = statement.where(PopulationCount.area_code.in_(dialogue.population_areas))
    lookups = [{group_key(label): option for option, labels in m.groups.items() for label in labels}
               for m in mappings]
    cells: dict[tuple[str, ...], int] = defaultdict(int)
    for *labels, inhabitants in db.session.execute(statement).all():
        key = tuple(lookup.get(group_key(label or "")) for lookup, label in zip(lookups, labels, strict=True))
        if all(key):
            cells[key] += int(inhabitants or 0)
    return dict(cells)


def _answer_joins(statement, mappings, response_id_column):
    """The statement with one outer join on Answer per mapped question; and their text columns."""
    texts = []
    for index, m in enumerate(mappings):
        answer = aliased(Answer)
        statement = statement.outerjoin(answer, and_(answer.response_id == response_id_column,
                                                     answer.question_id == m.question))
        texts.append(cast(answer.value, String).label(f"answer_{index}"))
    return statement, texts


def _respondent_cells(dialogue: Dialogue, mappings) -> dict[tuple, int]:
    """Respondents per combination of compared options (None where not compared or unanswered)."""
    statement, texts = _answer_joins(select(Response.id), mappings, Response.id)
    statement = statement.where(Response.dialogue_id == dialogue.id)
    grouped = statement.with_only_columns(*texts, func.count()).group_by(*texts)
    cells: dict[tuple, int] = defaultdict(int)
    for *raws, count in db.session.execute(grouped).all():
        cells[tuple(_option(raw, m.groups) for raw, m in zip(raws, mappings, strict=True))] += count
    return dict(cells)


def _dimension(definition, lang, index, mapping, respondents, population, min_count):
    question = definition.question(mapping.question)
    answered: dict[str, int] = defaultdict(int)
    for key, count in respondents.items():
        if key[index] is not None:
            answered[key[index]] += count
    inhabitants: dict[str, int] = defaultdict(int)
    for key, count in population.items():
        inhabitants[key[index]] += count
    n, big_n = sum(answered.values()), sum(inhabitants.values())
    comparison = DimensionComparison(mapping.question, definition.text(question.text, lang),
                                     mapping.dimension, dimension_label(mapping.dimension), n)
    for option in question.options:
        if option.id not in mapping.groups:
            continue
        count = answered.get(option.id, 0)
        comparison.rows.append(GroupShare(
            option.id, definition.text(option.label, lang), count, inhabitants.get(option.id, 0),
            count / n if n else 0.0, inhabitants.get(option.id, 0) / big_n if big_n else 0.0,
            suppressed=0 < count < min_count,
        ))
    return comparison


def post_stratify(respondents: dict[tuple, int], population: dict[tuple, int],
                  questions: tuple[str, ...]) -> Weighting | None:
    """Weights per joint group: population share over respondent share, on covered groups."""
    covered = {key: n for key, n in respondents.items() if all(key) and population.get(key)}
    used = sum(covered.values())
    if not used:
        return None
    covered_population = sum(population[key] for key in covered)
    everyone = sum(population.values())
    weights = {key: (population[key] / covered_population) / (n / used)
               for key, n in covered.items()}
    return Weighting(
        questions, weights, used, sum(respondents.values()) - used,
        1 - covered_population / everyone if everyone else 0.0,
        sum(1 for key, n in population.items() if n and key not in covered),
    )


def weighted_values(dialogue_id: int, pin_filter: PinFilter, mappings,
                    weighting: Weighting) -> dict[str, dict[str, float]]:
    """Pins per value and sentiment, each pin counted with its respondent's weight."""
    statement, texts = _answer_joins(
        pins_of(dialogue_id, pin_filter, Pin.id, map_only=False), mappings, Pin.response_id)
    grouped = statement.with_only_columns(Pin.value, Pin.sentiment, *texts, func.count()).group_by(
        Pin.value, Pin.sentiment, *texts)
    table = {v: dict.fromkeys(SENTIMENTS, 0.0) for v in VALUES}
    for value, sentiment, *rest in db.session.execute(grouped).all():
        *raws, count = rest
        key = tuple(_option(raw, m.groups) for raw, m in zip(raws, mappings, strict=True))
        table[value][sentiment] += weighting.weights.get(key, 0.0) * count
    return table


def compare(dialogue: Dialogue, definition, lang: str, *, min_count: int,
            pin_filter: PinFilter | None = None) -> PopulationComparison | None:
    """The dialogue's respondents against its reference population; None when it has none."""
    table = db.session.get(PopulationTable, dialogue.population_table_id) \
        if dialogue.population_table_id else None
    mappings = [m for m in definition.population if m.dimension in (table.dimensions if table else ())]
    if table is None or not mappings:
        return None
    population = _population_cells(dialogue, mappings)
    respondents = _respondent_cells(dialogue, mappings)
    dimensions = [_dimension(definition, lang, i, m, respondents, population, min_count)
                  for i, m in enumerate(mappings)]
    weighting = post_stratify(respondents, population, tuple(m.question for m in mappings))
    values = (weighted_values(dialogue.id, pin_filter or PinFilter(), mappings, weighting)
              if weighting else None)
    return PopulationComparison(table, dialogue.population_areas, sum(population.values()),
                                dimensions, weighting, values)


def net_assessment(by_sentiment: dict[str, float]) -> float | None:
    """(positive - negative) / (positive + negative): +1 all positive, -1 all problems."""
    positive, negative = by_sentiment.get("positive", 0), by_sentiment.get("negative", 0)
    return (positive - negative) / (positive + negative) if positive + negative else None
