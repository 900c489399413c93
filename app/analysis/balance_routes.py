"""The assessment pages: how each value fares per cell and place, the weak leg, real hotspots."""

from __future__ import annotations

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from shapely import from_geojson

from ..access import can
from ..disclosure import min_count as rule_k
from ..domain import SENTIMENT_LABELS, SENTIMENTS, VALUE_LABELS, VALUES
from ..inputs import whole_number
from ..resident.routes import area_geojson
from .assessment import assess, balance_of, cell_balance
from .grid import GRID_SIZES, cell_polygons_wgs84, grid_summary, pin_groups, suppress_small
from .hotspots import FDR_ALPHA, LAYERS, PERMUTATIONS, find_hotspots
from .method import assessment_notes, grid_note, hotspot_notes
from .places import area_places, cell_label, labeller, place_summaries, quotes, ranked
from .routes import _setup, bp, min_cell_count
from .valuemaps import (
    density_legend,
    embed_many,
    hotspot_map,
    net_legend,
    value_map,
    weak_leg_map,
    weak_legend,
)

HOTSPOT_ROWS = 10
MAX_MAP_CELLS = 450  # above this many 100 m cells the page draws 250 m cells (page under 1.5 MB)


def layer_name(layer: tuple[str, str]) -> str:
    """A value and sentiment in words, e.g. "Trygghet: Ett problem"."""
    return f"{VALUE_LABELS[layer[0]]}: {SENTIMENT_LABELS[layer[1]]}"


def _size(default: int) -> int:
    size = whole_number(request.args.get("size"))
    return size if size in GRID_SIZES else default


def assessment_figures(dialogue, pin_filter, size: int, min_count: int, *, quotes_allowed: bool
                       ) -> dict:
    """Every figure of the assessment page (and the report): cells, places, the area, weak legs."""
    k = rule_k()
    groups = pin_groups(dialogue.id, size, pin_filter)
    cells, hidden = suppress_small(groups.cells, min_count)
    places = area_places(dialogue.area_id)
    balances = []
    label = labeller(places)
    for cell in cells:
        b = cell_balance(cell, k)
        b.label = cell_label(cell, places, label)
        balances.append(b)
    per_value = {v: {s: groups.area.get((v, s), 0) for s in SENTIMENTS} for v in VALUES}
    # The whole area is no location that could point at a person, so its counts are shown as on
    # the statistics page; the small-number rule is for cells and places.
    area = balance_of({v: assess(*(per_value[v][s] for s in SENTIMENTS), min_judged=k)
                       for v in VALUES})
    summaries = place_summaries(cells, groups.at_places, places, min_count=min_count,
                                min_judged=k)
    lists = {}
    for v in VALUES:
        lists[v] = {}
        for direction, sentiment in (("negative", "negative"), ("positive", "positive")):
            rows = []
            for s in ranked(summaries, v, most_negative=direction == "negative"):
                said = (quotes(dialogue.id, s, v, sentiment, size) if quotes_allowed else [])
                rows.append((s, said))
            lists[v][direction] = rows
    weak_counts = {v: sum(1 for b in balances if b.weakest == v) for v in VALUES}
    top = max((c.shown(v) or 0 for c in cells for v in VALUES), default=0)
    area_counts = per_value
    return {"cells": cells, "area_counts": area_counts, "notes": assessment_notes(k),
            "balances": balances, "hidden": hidden, "area": area,
            "places": summaries, "place_lists": lists, "weak_counts": weak_counts, "top": top,
            "assessable_cells": sum(1 for b in balances if len(b.assessed) >= 2), "rule_k": k,
            "has_places": bool(places), "size": size,
            # Python's gettext, not the template's: Jinja would read the "%" as a placeholder.
            "interval_label": _("Interval (95 %)")}


@bp.route("/dialoger/<int:dialogue_id>/bedomning")
def assessment(dialogue_id: int):
    """Three maps side by side (the net assessment per value), the weak leg, places and method."""
    dialogue, _definition, pin_filter, context = _setup(dialogue_id)
    size = _size(GRID_SIZES[-1])
    min_count = min_cell_count(dialogue)
    may_read = can(current_user, "read_raw", dialogue.municipality)
    figures = assessment_figures(dialogue, pin_filter, size, min_count, quotes_allowed=may_read)
    coarsened = size < GRID_SIZES[-1] and len(figures["cells"]) > MAX_MAP_CELLS
    if coarsened:  # four maps of every cell: keep the page light (about 0.3 MB per 100 cells)
        size = GRID_SIZES[-1]
        figures = assessment_figures(dialogue, pin_filter, size, min_count, quotes_allowed=may_read)
    area = area_geojson(dialogue.area_id)
    cells, balances = figures["cells"], figures["balances"]
    maps, header = embed_many(
        [value_map(area, v, cells, balances, figures["top"]) for v in VALUES]
        + [weak_leg_map(area, cells, balances)])
    return render_template(
        "analysis/assessment.html", **context, **figures, sizes=GRID_SIZES, min_count=min_count,
        value_maps=dict(zip(VALUES, maps[:3], strict=True)), weak_map=maps[3], header=header,
        net_legend=net_legend(), weak_legend=weak_legend(),
        density_legend=density_legend(figures["top"]), may_read=may_read, coarsened=coarsened,
    )


def _layer() -> tuple[str, str]:
    """The value and sentiment asked for (?layer=safety-negative), else safety problems."""
    wanted = tuple(request.args.get("layer", "").split("-", 1))
    return wanted if wanted in LAYERS else ("safety", "negative")


def _hotspots(dialogue, pin_filter, size: int, layers):
    outline = from_geojson(area_geojson(dialogue.area_id))
    result = find_hotspots(outline, grid_summary(dialogue.id, size, pin_filter), size, layers)
    places = area_places(dialogue.area_id)
    label = labeller(places)
    for c in result.cells:
        c.label = cell_label(c, places, label)
    return result


@bp.route("/dialoger/<int:dialogue_id>/heta-punkter")
def hotspots(dialogue_id: int):
    """Significant hot and cold spots of one value and sentiment (Gi*, permutations, FDR)."""
    dialogue, _definition, pin_filter, context = _setup(dialogue_id)
    size = _size(GRID_SIZES[0])
    layer = _layer()
    result = _hotspots(dialogue, pin_filter, size, (layer,))
    embedded, header = embed_many([hotspot_map(area_geojson(dialogue.area_id), result, [layer])])
    return render_template(
        "analysis/hotspots.html", **context, size=size, sizes=GRID_SIZES, result=result,
        layer=layer, layers=LAYERS, map=embedded[0], header=header, rows=HOTSPOT_ROWS,
        permutations=PERMUTATIONS, alpha=FDR_ALPHA, lattice_size=len(result.cells),
        notes=[*hotspot_notes(), grid_note()], layer_name=layer_name,
    )


@bp.route("/dialoger/<int:dialogue_id>/heta-punkter.geojson")
def hotspots_geojson(dialogue_id: int):
    """The lattice with Gi* z, pseudo p and verdict per layer (and counts for the working group)."""
    dialogue, _definition, pin_filter, _context = _setup(dialogue_id)
    size = _size(GRID_SIZES[0])
    layers = (_layer(),) if request.args.get("layer") else LAYERS
    result = _hotspots(dialogue, pin_filter, size, layers)
    with_counts = min_cell_count(dialogue) == 0
    features = []
    for c, ring in zip(result.cells, cell_polygons_wgs84(result.cells), strict=True):
        properties = {"cell": c.key, "cell_e": c.easting, "cell_n": c.northing, "size": size,
                      "place": c.label}
        for v, s in layers:
            name = f"{v}_{s}"
            if with_counts:
                properties[f"n_{name}"] = c.counts.get((v, s), 0)
            properties[f"z_{name}"] = c.z.get((v, s))
            properties[f"p_{name}"] = c.p.get((v, s))
            properties[f"spot_{name}"] = c.kind.get((v, s))
        features.append({"type": "Feature", "properties": properties,
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return jsonify({"type": "FeatureCollection", "features": features,
                    "test": {"statistic": "Getis-Ord Gi*", "weights": "queen, binary, self included",
                             "permutations": PERMUTATIONS, "fdr": FDR_ALPHA,
                             "cutoffs": {f"{v}_{s}": cut
                                         for (v, s), cut in result.cutoffs.items()}}})
