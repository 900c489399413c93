"""Analysis pages: the per-value map, the grid summary, statistics and the steering-group dashboard."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from shapely import from_geojson
from sqlalchemy import select

from ..access import can, declares, dialogue_or_404, in_working_group
from ..basemap import service as basemaps
from ..disclosure import min_count
from ..domain import SENTIMENT_LABELS, SENTIMENTS, VALUE_COLOURS, VALUE_LABELS, VALUES
from ..extensions import db
from ..inputs import whole_number
from ..maps import embed
from ..models import Municipality, Photo, Pin, Theme
from ..population.compare import compare, net_assessment
from ..resident.routes import area_geojson
from ..surveys import definition_from_frozen
from . import stats
from .balance import balance
from .charts import bar_chart, column_chart
from .filters import PinFilter, parse_filter, pins_of
from .grid import (
    GRID_SIZES,
    MAX_CELLS,
    NICE_SIZES,
    Cell,
    cell_size_for_extent,
    grid_summary,
    pin_groups,
    suppress_small,
    sweref_extent,
)
from .mapping import grid_map, heat_map, pin_payload
from .method import grid_note
from .places import area_places, cell_label, labeller

bp = Blueprint("analysis", __name__, url_prefix="/planering/analys")
TABLE_ROWS = 500
SORT_KEYS = ("total", *VALUES, "balance", "cell")


@bp.before_request
@login_required
def require_login():
    """Every analysis page needs a logged-in planner."""


def raw_pin_limit() -> int:
    """Above this many filtered pins the page shows aggregated cells only."""
    return current_app.config.get("ANALYSIS_MAX_RAW_PINS", 2000)


def min_cell_count(dialogue, *, dashboard: bool = False) -> int:
    """The smallest cell shown: 0 for the working group, MIN_CELL_COUNT for everyone else."""
    municipality = db.session.get(Municipality, dialogue.municipality_id)
    if not dashboard and in_working_group(current_user, municipality):
        return 0
    return min_count()


def filter_of(definition, themes, args) -> tuple[PinFilter, list[str]]:
    """The filter a planner asked for in query arguments (a page's, or a stored job's)."""
    groups = stats.group_options(definition)
    return parse_filter(args, group_options={q: {o for o, _label in opts} for q, opts in groups.items()},
                        theme_ids={t.id for t in themes})


def dialogue_themes(dialogue_id: int) -> list[Theme]:
    """The dialogue's themes by name."""
    return db.session.execute(
        select(Theme).where(Theme.dialogue_id == dialogue_id).order_by(Theme.name)
    ).scalars().all()


def _setup(dialogue_id: int):
    """The dialogue (checked for 'view'), its survey, themes, the filter and the ignored arguments."""
    dialogue = dialogue_or_404(dialogue_id, "view")
    definition = definition_from_frozen(dialogue.survey_version.definition)
    themes = dialogue_themes(dialogue.id)
    groups = stats.group_options(definition)
    pin_filter, ignored = filter_of(definition, themes, request.args)
    lang = str(get_locale())
    context = {
        "dialogue": dialogue, "definition": definition, "themes": themes, "groups": groups,
        "filter": pin_filter, "ignored": ignored, "lang": lang, "values": VALUES,
        "sentiments": SENTIMENTS, "value_labels": VALUE_LABELS, "sentiment_labels": SENTIMENT_LABELS,
        "value_colours": VALUE_COLOURS,
    }
    return dialogue, definition, pin_filter, context


@bp.route("/dialoger/<int:dialogue_id>")
def analysis(dialogue_id: int):
    """Heat layers per value, filters, the balance of the values, pins when few enough."""
    dialogue, _definition, pin_filter, context = _setup(dialogue_id)
    area_json = area_geojson(dialogue.area_id)
    min_count = min_cell_count(dialogue)
    size = cell_size_for_extent(*sweref_extent(from_geojson(area_json).bounds))
    if min_count:
        size = max(size, 100)  # outside the working group no cell is finer than 100 m
    groups = pin_groups(dialogue.id, size, pin_filter, map_only=True)
    # Pins far outside the area could still make too many cells: coarsen until the page is bounded.
    while len(groups.cells) > MAX_CELLS and size < NICE_SIZES[-1]:
        size = next(s for s in NICE_SIZES if s > size)
        groups = pin_groups(dialogue.id, size, pin_filter, map_only=True)
    grid = groups.cells
    # Each comment once (a route or area spreads over cells, its shares are not whole comments).
    counts = {v: sum(n for (value, _s), n in groups.area.items() if value == v) for v in VALUES}
    total = sum(counts.values())
    shown, hidden_cells = suppress_small(grid, min_count)
    shown_cells = [Cell(v, c.easting, c.northing, size, c.count(v))
                   for c in shown for v in VALUES if c.count(v) and (v, None) not in c.hidden]
    pins, limit = [], raw_pin_limit()
    may_read = can(current_user, "read_raw", dialogue.municipality)
    if may_read and 0 < total <= limit:
        pins = db.session.execute(
            pins_of(dialogue.id, pin_filter, Pin).order_by(Pin.id).limit(limit)
        ).scalars().all()
    return render_template(
        "analysis/analysis.html", **context, map=embed(heat_map(area_json, shown_cells,
                                                  basemaps.for_dialogue(dialogue))),
        counts=counts, total=total, overall=balance(counts), cell_size=size,
        pins=pin_payload(pins), pin_limit=limit, may_read=may_read,
        hidden_cells=hidden_cells, min_count=min_count,
    )


def _sorted(cells, key: str, descending: bool):
    def sort_value(cell):
        if key == "cell":
            return cell.key
        if key == "balance":
            index = balance(cell.by_value).index
            return -1 if index is None else index
        return cell.total if key == "total" else (cell.shown(key) or 0)

    return sorted(cells, key=sort_value, reverse=descending)


@bp.route("/dialoger/<int:dialogue_id>/rutnat")
def grid(dialogue_id: int):
    """The grid summary: a choropleth and a sortable table of cells aligned to round coordinates."""
    dialogue, _definition, pin_filter, context = _setup(dialogue_id)
    size = whole_number(request.args.get("size"))
    size = size if size in GRID_SIZES else GRID_SIZES[-1]
    key = request.args.get("sort", "total")
    key = key if key in SORT_KEYS else "total"
    descending = request.args.get("dir", "desc") != "asc"
    min_count = min_cell_count(dialogue)
    cells, hidden = suppress_small(grid_summary(dialogue.id, size, pin_filter), min_count)
    mapped = cells[:MAX_CELLS]
    places = area_places(dialogue.area_id)
    label = labeller(places)
    labels = {c.key: cell_label(c, places, label) for c in cells}
    rows = _sorted(cells, key, descending)[:TABLE_ROWS]
    return render_template(
        "analysis/grid.html", **context, size=size, sizes=GRID_SIZES, rows=rows,
        cell_count=len(cells), hidden=hidden, min_count=min_count, sort=key,
        descending=descending, sort_keys=SORT_KEYS, table_limit=TABLE_ROWS,
        map=embed(grid_map(area_geojson(dialogue.area_id), mapped, labels,
                           basemaps.for_dialogue(dialogue))), balance=balance,
        labels=labels, grid_note=grid_note(),
        mapped_limit=len(cells) > MAX_CELLS,
        headers=[("cell", _("Cell")), ("total", _("Total")),
                 *[(v, VALUE_LABELS[v]) for v in VALUES], ("balance", _("Attention share index"))],
    )


def _statistics(dialogue, definition, pin_filter, lang: str, min_count: int) -> dict:
    """Every figure of the statistics page and the dashboard."""
    counts = stats.pin_counts(dialogue.id, pin_filter, [q.id for q in definition.group_questions()])
    per_value = counts.per_value()
    totals = {v: sum(per_value[v].values()) for v in VALUES}
    responses = stats.responses_per_day(dialogue.id)
    pins_day = counts.per_day()
    days = sorted(set(responses) | set(pins_day))
    questions = stats.question_counts(dialogue.id, definition, lang)
    cells, _hidden = suppress_small(grid_summary(dialogue.id, 250, pin_filter), max(min_count, 1))
    top_cells = {v: sorted((c for c in cells if c.count(v)), key=lambda c, v=v: -c.count(v))[:5]
                 for v in VALUES}
    return {
        "per_value": per_value, "totals": totals, "overall": balance(totals),
        "days": [(d, responses.get(d, 0), pins_day.get(d, 0)) for d in days],
        "respondents": stats.respondent_count(dialogue.id),
        "group_tables": stats.demographic_groups(dialogue.id, definition, lang, counts,
                                                 min_count=min_count),
        "questions": questions,
        "question_rows": {q.question_id: [(_("Other") if o == "other" else label, n)
                                          for o, label, n in q.rows] for q in questions},
        "value_rows": [(str(VALUE_LABELS[v]), totals[v]) for v in VALUES],
        "bar_colours": [VALUE_COLOURS[v] for v in VALUES],
        "pin_day_rows": [(d.isoformat(), pins_day.get(d, 0)) for d in days],
        "top_cells": top_cells, "bar_chart": bar_chart, "column_chart": column_chart,
        "min_count": min_count,
        "population": compare(dialogue, definition, lang, min_count=min_count, pin_filter=pin_filter),
        "net": {v: net_assessment(per_value[v]) for v in VALUES}, "net_assessment": net_assessment,
        "theme_rows": stats.theme_counts(dialogue.id, pin_filter, min_count=min_count),
    }


@bp.route("/dialoger/<int:dialogue_id>/statistik")
def statistics(dialogue_id: int):
    """Responses and pins per day, per value and sentiment, per group, and per question."""
    dialogue, definition, pin_filter, context = _setup(dialogue_id)
    figures = _statistics(dialogue, definition, pin_filter, context["lang"], min_cell_count(dialogue))
    return render_template("analysis/statistics.html", **context, **figures)


@bp.route("/dialoger/<int:dialogue_id>/styrgrupp")
def dashboard(dialogue_id: int):
    """The steering group's read-only, printable overview: aggregates only, small cells hidden."""
    dialogue, definition, _filter, context = _setup(dialogue_id)
    context["filter"] = PinFilter()
    min_count = min_cell_count(dialogue, dashboard=True)
    figures = _statistics(dialogue, definition, PinFilter(), context["lang"], min_count)
    cells, hidden = suppress_small(grid_summary(dialogue.id, 250), min_count)
    from .balance_routes import assessment_figures  # that module registers its routes on bp

    assessed = assessment_figures(dialogue, PinFilter(), 250, min_count, quotes_allowed=False)
    return render_template(
        "analysis/dashboard.html", **context, **figures, hidden=hidden,
        area=assessed["area"], area_counts=assessed["area_counts"],
        interval_label=assessed["interval_label"], weak_counts=assessed["weak_counts"],
        assessable_cells=assessed["assessable_cells"],
        map=embed(grid_map(area_geojson(dialogue.area_id), cells[:MAX_CELLS],
                           basemap=basemaps.for_dialogue(dialogue))),
    )


@bp.route("/pins/<int:pin_id>/foto")
@declares("read_raw")
def photo(pin_id: int):
    """A pin's photo, for those who may read raw comments in its dialogue."""
    pin = db.session.get(Pin, pin_id)
    if pin is None or pin.photo_id is None:
        abort(404)
    dialogue_or_404(pin.dialogue_id, "read_raw")
    picture = db.session.get(Photo, pin.photo_id)
    return Response(picture.data, mimetype=picture.mime_type,
                    headers={"Cache-Control": "private, max-age=3600"})

