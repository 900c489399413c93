"""The written report "Underlag inför samråd": its content as blocks, rendered to HTML and PDF.

The blocks are built once, so the HTML and the PDF always say the same thing. Counts leave out
pins hidden by moderation; maps leave out cells with fewer pins than MIN_CELL_COUNT, because the
report goes beyond the working group (the steering group reads it).
"""

from __future__ import annotations

import math
from collections import Counter

from flask_babel import format_date, format_decimal, format_percent
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..analysis.grid import drawn_answers, grid_summary, suppress_small
from ..basemap import service as basemaps
from ..disclosure import min_count
from ..domain import (
    SENTIMENT_LABELS,
    SENTIMENTS,
    STATUS_LABELS,
    VALUE_COLOURS,
    VALUE_LABELS,
    VALUES,
    today_in_sweden,
)
from ..extensions import db
from ..models import Answer, Dialogue, Feedback, Pin, Response, Theme, pin_theme
from ..surveys import definition_from_frozen
from ..surveys.errors import SurveyError
from .assessment_report import assessment_blocks
from .blocks import Block
from .mapimage import value_map_png
from .source import GRID_METRES, ExportOptions, GridCell, area_shape, response_count
from .tabular import value_summary

TOP_THEMES = 8
QUOTES_PER_THEME = 3


def balance(counts: dict[str, int]) -> float:
    """Normalised Shannon entropy of the pins over the three values: 1 is perfect balance."""
    total = sum(counts.values())
    if not total:
        return 0.0
    shares = [c / total for c in counts.values() if c]
    return -sum(p * math.log(p) for p in shares) / math.log(len(counts))


def _date(value) -> str:
    return format_date(value, "long") if value else _("not set")


def _demographics(dialogue: Dialogue, respondents: int) -> list[Block]:
    try:
        definition = definition_from_frozen(dialogue.survey_version.definition)
    except SurveyError:
        return []
    blocks = []
    for question in (q for q in definition.questions if q.demographic):
        answers = db.session.execute(
            select(Answer.value).join(Response, Response.id == Answer.response_id)
            .where(Response.dialogue_id == dialogue.id, Answer.question_id == question.id)
        ).scalars().all()
        tally: Counter = Counter()
        for value in answers:
            chosen = value.get("selected") if isinstance(value, dict) else value
            for item in chosen if isinstance(chosen, list) else [chosen]:
                tally[str(item)] += 1
        labels = {o.id: definition.text(o.label, "sv") for o in question.options}
        rows = [[_("Answer"), _("Respondents"), _("Share of respondents")]]
        for option_id, count in tally.most_common():
            rows.append([labels.get(option_id, option_id), str(count),
                         format_percent(count / respondents if respondents else 0)])
        rows.append([_("Did not answer"), str(respondents - len(answers)),
                     format_percent((respondents - len(answers)) / respondents if respondents else 0)])
        blocks += [Block("paragraph", definition.text(question.text, "sv")),
                   Block("table", rows=rows, key=f"demographic-{question.id}")]
    return blocks


def _themes(dialogue_id: int, quotes: bool) -> list[Block]:
    counted = db.session.execute(
        select(Theme.id, Theme.name, func.count(Pin.id))
        .join(pin_theme, pin_theme.c.theme_id == Theme.id).join(Pin, Pin.id == pin_theme.c.pin_id)
        .where(Theme.dialogue_id == dialogue_id, Pin.moderation_state != "hidden")
        .group_by(Theme.id, Theme.name).order_by(func.count(Pin.id).desc(), Theme.name)
        .limit(TOP_THEMES)
    ).all()
    if not counted:
        return [Block("paragraph", _("The working group has not coded any comments into themes."))]
    blocks = [Block("table", key="themes", rows=[[_("Theme"), _("Comments")]] + [
        [name, str(count)] for _id, name, count in counted])]
    if not quotes:
        return blocks + [Block("paragraph", _("Quotes are left out: only those who may read the "
                                              "comments themselves get them."), key="no-quotes")]
    for theme_id, name, _count in counted:
        quoted = db.session.execute(
            select(Pin.text, Pin.value).join(pin_theme, pin_theme.c.pin_id == Pin.id)
            .where(pin_theme.c.theme_id == theme_id, Pin.moderation_state == "published")
            .order_by(Pin.created_at, Pin.id).limit(QUOTES_PER_THEME)
        ).all()
        if quoted:
            blocks.append(Block("paragraph", _("Quotes on the theme %(theme)s:", theme=name)))
            blocks += [Block("quote", f"”{text}” ({VALUE_LABELS[value]})") for text, value in quoted]
    return blocks


def _feedback(dialogue_id: int) -> list[Block]:
    items = db.session.execute(
        select(Feedback).where(Feedback.dialogue_id == dialogue_id, Feedback.published)
        .order_by(Feedback.created_at, Feedback.id)
    ).scalars().all()
    if not items:
        return [Block("paragraph", _("No feedback has been published to residents yet."))]
    blocks = []
    for item in items:
        about = _("On the theme %(theme)s", theme=item.theme.name) if item.theme else (
            _("On a comment") if item.pin_id else _("To everyone who took part"))
        blocks += [Block("paragraph", about + ":"), Block("quote", item.text, key="feedback")]
    return blocks


def build_report(dialogue: Dialogue, quotes: bool = True) -> list[Block]:
    """The report's content, in the current locale (the routes force Swedish); quotes of comments
    only if the reader may read raw comments."""
    from ..population.export import report_blocks as population_blocks  # imports analysis

    options = ExportOptions()
    outline, area = area_shape(dialogue.area_id)
    respondents = response_count(dialogue.id)
    summary = value_summary(dialogue.id, options)
    per_value = {v: sum(s.values()) for v, s in summary.items()}
    pins = sum(per_value.values())
    hidden = db.session.execute(select(func.count(Pin.id)).where(
        Pin.dialogue_id == dialogue.id, Pin.moderation_state == "hidden")).scalar_one()
    min_cell = min_count()
    # The one small-number rule, with complementary suppression (app/disclosure.py): a per-value
    # count the rule hides is left out of its map.
    shown_cells, _hidden = suppress_small(grid_summary(dialogue.id, GRID_METRES,
                                                       states=options.states), min_cell)
    cells = [GridCell(c.easting, c.northing, {(v, s): c.count(v, s) for v in VALUES
                                              for s in SENTIMENTS if c.shown(v) is not None})
             for c in shown_cells]

    blocks = [
        Block("heading", _("Basis for consultation: %(title)s", title=dialogue.title), key="title"),
        Block("paragraph", _("%(municipality)s. Report made %(date)s.",
                             municipality=dialogue.municipality.name, date=_date(today_in_sweden()))),
        Block("heading", _("The dialogue in brief")),
        Block("table", key="facts", rows=[[_("Fact"), _("Value")],
            [_("Development area"), area.name],
            [_("Size of the area"), f"{format_decimal(round(area.area_km2, 2))} km²"],
            [_("Open from"), _date(dialogue.opens_on)], [_("Open until"), _date(dialogue.closes_on)],
            [_("Phase"), str(dialogue.phase)], [_("Status"), str(STATUS_LABELS[dialogue.effective_status])],
            [_("Respondents"), str(respondents)], [_("Comments on the map"), str(pins)],
            [_("Case number (diarienummer)"), dialogue.diarienummer or "–"],
        ]),
        Block("heading", _("Who took part")),
        Block("paragraph", _("%(n)s people answered. The tables show how the respondents who "
                             "answered the background questions describe themselves.", n=respondents)),
        *_demographics(dialogue, respondents),
        *population_blocks(dialogue, min_cell, summary),
        Block("heading", _("Comments per value: the attention share")),
        Block("table", key="values", rows=[[_("Value"), *[str(s) for s in SENTIMENT_LABELS.values()],
                                            _("Total"), _("Share")]] + [
            [str(VALUE_LABELS[v]), *[str(n) for n in summary[v].values()], str(per_value[v]),
             format_percent(per_value[v] / pins if pins else 0)] for v in VALUES]),
        Block("paragraph", _("Attention share index (normalised entropy, 0 to 1, where 1 means "
                             "equally many comments on each value; it says what people wrote about, "
                             "not how the place fares): %(balance)s.",
                             balance=format_decimal(balance(per_value), format="0.00")), key="balance"),
        Block("heading", _("Maps per value")),
        Block("paragraph", _("Each map shows the area's outline and 100 metre squares shaded by the "
                             "number of comments. Squares with fewer than %(n)s comments are not "
                             "shown, so that no single person can be singled out.", n=min_cell)),
    ]
    # Drawn routes and areas are single answers: drawn on the maps only for readers who may read
    # the comments themselves (as quotes are); everyone else sees them in the squares' counts.
    drawn = drawn_answers(dialogue.id, states=options.states) if quotes else []
    if drawn:
        blocks.append(Block("paragraph", _("The routes and areas residents drew are drawn on the "
                                           "maps in the value's colour."), key="drawn"))
    basemap = basemaps.for_dialogue(dialogue)
    for value in VALUES:
        shapes = [(shape, VALUE_COLOURS[value]) for v, _s, shape in drawn if v == value]
        blocks += [Block("image", str(VALUE_LABELS[value]), key=f"map-{value}",
                         png=value_map_png(outline, cells, value, VALUE_COLOURS[value],
                                           basemap=basemap, shapes=shapes))]
    blocks += assessment_blocks(dialogue, outline, quotes)
    blocks += [Block("heading", _("Top themes")), *_themes(dialogue.id, quotes),
               Block("heading", _("Feedback to residents")), *_feedback(dialogue.id),
               Block("heading", _("How the dialogue was run")), *method_blocks(dialogue, hidden)]
    return blocks


def method_blocks(dialogue: Dialogue, hidden: int) -> list[Block]:
    """How the dialogue was run: the survey, moderation, languages and what the counts leave out."""
    moderation = (_("Comments were reviewed before they were published.") if dialogue.moderation == "pre"
                  else _("Comments were published at once and reviewed afterwards."))
    return [Block("paragraph", text) for text in (
        _("Residents answered the survey %(survey)s anonymously, on the map or without it, in "
          "these languages: %(languages)s.", survey=dialogue.survey_version.survey_key,
          languages=", ".join(dialogue.languages or ["sv"])),
        moderation,
        _("%(n)s comments hidden by moderation are not counted.", n=hidden),
        _("Quotes are taken only from published comments.")
    )]
