"""The population comparison as tables: for the Excel workbook, the GeoPackage and the report."""

from __future__ import annotations

from ..domain import SENTIMENTS, VALUES
from ..models import Dialogue
from ..surveys import definition_from_frozen
from ..surveys.errors import SurveyError
from .compare import PopulationComparison, compare, net_assessment

GROUP_HEADER = ["question", "dimension", "group", "label", "respondents", "inhabitants",
                "share_of_respondents", "share_of_population", "ratio", "representation_score"]
WEIGHTED_HEADER = ["value", "sentiment", "comments", "weighted_comments"]


def comparison_of(dialogue: Dialogue, *, min_count: int, lang: str = "sv") -> PopulationComparison | None:
    """The dialogue's comparison with its reference population, or None."""
    try:
        definition = definition_from_frozen(dialogue.survey_version.definition)
    except SurveyError:
        return None
    return compare(dialogue, definition, lang, min_count=min_count)


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def group_rows(comparison: PopulationComparison) -> list[list]:
    """One row per compared group (respondents withheld, as None, under the small-number rule)."""
    rows = []
    for d in comparison.dimensions:
        for r in d.rows:
            rows.append([d.question_id, d.dimension, r.option_id, r.label,
                         None if r.suppressed else r.respondents, r.population,
                         None if r.suppressed else _round(r.respondent_share),
                         _round(r.population_share), None if r.suppressed else _round(r.ratio),
                         _round(d.score)])
    return rows


def weighted_rows(comparison: PopulationComparison, summary: dict[str, dict[str, int]]) -> list[list]:
    """Comments per value and sentiment, unweighted and weighted, and a net assessment row."""
    if comparison.values is None:
        return []
    rows = []
    for value in VALUES:
        for sentiment in SENTIMENTS:
            rows.append([value, sentiment, summary[value][sentiment],
                         _round(comparison.values[value][sentiment], 2)])
        rows.append([value, "net_assessment", _round(net_assessment(summary[value])),
                     _round(net_assessment(comparison.values[value]))])
    return rows


def method_text(comparison: PopulationComparison) -> str:
    """How the weights were made, in one sentence for the 'method' sheet."""
    w = comparison.weighting
    source = comparison.table.name + (" (EXEMPEL, påhittade siffror)" if comparison.table.is_example else "")
    if w is None:
        return f"Referensbefolkning: {source}. Inga svarande kunde viktas."
    low, high = w.weight_range
    return (f"Referensbefolkning: {source}. Poststratifiering på {' × '.join(w.questions)}: vikt = "
            f"gruppens andel av befolkningen / gruppens andel av de svarande; {w.used} svarande "
            f"viktade, {w.left_out} utan jämförbara svar utelämnade; vikter {low:.2f}–{high:.2f}; "
            f"{w.uncovered_share:.0%} av befolkningen i grupper utan svarande.")


def write_gpkg_table(path, dialogue: Dialogue) -> None:
    """Add the comparison to a GeoPackage as an attribute table 'population' (no geometry)."""
    import numpy as np
    from pyogrio.raw import write

    comparison = comparison_of(dialogue, min_count=0)
    if comparison is None:
        return
    rows = group_rows(comparison)
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(GROUP_HEADER)
    data = []
    for name, values in zip(GROUP_HEADER, columns, strict=True):
        if name in ("question", "dimension", "group", "label"):
            data.append(np.array(values, dtype=object))
        elif name in ("respondents", "inhabitants"):
            data.append(np.array(values, dtype="int64"))
        else:
            data.append(np.array([np.nan if v is None else v for v in values], dtype="float64"))
    write(str(path), None, data, GROUP_HEADER, layer="population", driver="GPKG",
          geometry_type=None, append=True)


def report_blocks(dialogue: Dialogue, min_count: int, summary: dict[str, dict[str, int]]) -> list:
    """The report's section on who answered against who lives there (small groups withheld)."""
    from flask_babel import format_decimal, format_percent
    from flask_babel import gettext as _

    from ..domain import VALUE_LABELS
    from ..export.report import Block

    heading = Block("heading", _("Who answered, compared with who lives there"), key="representation")
    comparison = comparison_of(dialogue, min_count=min_count)
    if comparison is None:
        return [heading, Block("paragraph", _("No reference population is chosen for this dialogue, so the "
                                     "respondents are not compared with the inhabitants."),
                      key="no-population")]
    source = comparison.table.name
    if comparison.table.is_example:
        source += " (" + _("Example: invented numbers, not statistics") + ")"
    blocks = [heading, Block("paragraph", _("Compared with the reference population %(source)s. The ratio is "
                                   "the group's share of respondents divided by its share of "
                                   "inhabitants; the representation score is the lowest ratio "
                                   "divided by the highest (1 is even). Groups with fewer than "
                                   "%(k)s respondents are not shown.", source=source, k=min_count),
                    key="population-source")]

    def number(value, pattern="0.00"):
        return "–" if value is None else format_decimal(value, format=pattern)

    for d in comparison.dimensions:
        rows = [[_("Group"), _("Respondents"), _("Share of respondents"), _("Share of population"),
                 _("Ratio")]]
        for r in d.rows:
            if r.suppressed:
                rows.append([r.label, _("fewer than %(k)s", k=min_count), "–",
                             format_percent(r.population_share), "–"])
            else:
                rows.append([r.label, str(r.respondents), format_percent(r.respondent_share),
                             format_percent(r.population_share), number(r.ratio)])
        rows.append([_("Representation score"), number(d.score), "", "", ""])
        blocks += [Block("paragraph", f"{d.question_text} ({d.dimension_name})"),
                   Block("table", rows=rows, key=f"representation-{d.question_id}")]
    if comparison.values is not None:
        rows = [[_("Value"), _("Comments"), _("Net assessment"), _("Weighted comments"),
                 _("Weighted net assessment")]]
        for value in VALUES:
            rows.append([str(VALUE_LABELS[value]), str(sum(summary[value].values())),
                         number(net_assessment(summary[value]), "+0.00;-0.00"),
                         number(sum(comparison.values[value].values()), "0.0"),
                         number(net_assessment(comparison.values[value]), "+0.00;-0.00")])
        blocks += [Block("table", rows=rows, key="weighted-values"),
                   Block("paragraph", method_text(comparison), key="weighting-method")]
    return blocks
