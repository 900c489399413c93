"""The assessment pages: how each value fares per cell and place, the weak leg, real hotspots."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import can, declares
from ..disclosure import min_count as rule_k
from ..domain import SENTIMENT_LABELS, SENTIMENTS, VALUE_LABELS, VALUES
from ..extensions import db
from ..inputs import whole_number
from ..models.audit import record
from ..resident.routes import area_geojson
from .assessment import assess, balance_of, cell_balance
from .grid import GRID_SIZES, cell_polygons_wgs84, grid_summary, pin_groups, suppress_small
from .hotspot_results import (
    FORMAT,
    active_job,
    hotspots_for,
    job_args,
    latest_job,
    lattice_size,
    stored,
)
from .hotspots import FDR_ALPHA, LAYERS, PERMUTATIONS
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


@bp.route("/dialoger/<int:dialogue_id>/heta-punkter")
def hotspots(dialogue_id: int):
    """Significant hot and cold spots of one value and sentiment (Gi*, permutations, FDR); for a
    big lattice the stored result of a job, or the button that starts one, as for a nine-layer
    download over the inline budget (nothing written here)."""
    dialogue, _definition, pin_filter, context = _setup(dialogue_id)
    size = _size(GRID_SIZES[0])
    layer = _layer()
    result = hotspots_for(dialogue, pin_filter, size, (layer,))
    common = {"size": size, "sizes": GRID_SIZES, "layer": layer, "layers": LAYERS,
              "rows": HOTSPOT_ROWS, "permutations": PERMUTATIONS, "alpha": FDR_ALPHA,
              "notes": [*hotspot_notes(), grid_note()], "layer_name": layer_name}
    if result is None:
        args = job_args(dialogue, pin_filter, size)
        return render_template("analysis/hotspots.html", **context, **common, result=None,
                               map=None, header="", lattice_size=lattice_size(dialogue, size),
                               job=latest_job(dialogue, args), download=False)
    # The download has every layer: at once, stored, or the button that starts the job.
    download = hotspots_for(dialogue, pin_filter, size, LAYERS, peek=True)
    job = None if download else latest_job(dialogue, job_args(dialogue, pin_filter, size))
    embedded, header = embed_many([hotspot_map(area_geojson(dialogue.area_id), result, [layer])])
    return render_template(
        "analysis/hotspots.html", **context, **common, result=result, map=embedded[0],
        header=header, lattice_size=len(result.cells), job=job, download=download,
    )


# Whoever may see the hot spots may have them computed (as whoever may view may take the report).
@bp.route("/dialoger/<int:dialogue_id>/heta-punkter/berakna", methods=["POST"])
@declares("view")
def compute_hotspots(dialogue_id: int):
    """Start the job that computes every layer's hot spots (for this size and filter: a big
    lattice, or the download of more cells x layers than one request computes), unless one with
    the same arguments is waiting or running, or its result is still fresh."""
    from ..export.service import TASKS  # here: the report (app.export) imports this module
    from ..export.source import ExportOptions
    from ..jobs.service import QueueUnavailable, start_export

    dialogue, _definition, pin_filter, _context = _setup(dialogue_id)
    size = _size(GRID_SIZES[0])
    back = url_for("analysis.hotspots", dialogue_id=dialogue.id, size=size,
                   layer="-".join(_layer()), **pin_filter.query_args())
    args = job_args(dialogue, pin_filter, size)
    if active_job(dialogue, args) is not None or stored(dialogue, args) is not None:
        return redirect(back, code=303)
    try:
        # quotes=False: the result quotes nothing, so everyone who may view may follow the job.
        job = start_export(dialogue, TASKS[FORMAT], ExportOptions(args=args, quotes=False),
                           user=current_user, via="ui")
    except QueueUnavailable:
        flash(_("The hot spots could not be queued. Try again in a while."), "error")
        return redirect(back, code=303)
    record("hotspots.compute", user=current_user, municipality_id=dialogue.municipality_id,
           obj=dialogue, job=job.id, size=size)
    db.session.commit()
    return redirect(back, code=303)


@bp.route("/dialoger/<int:dialogue_id>/heta-punkter.geojson")
def hotspots_geojson(dialogue_id: int):
    """The lattice with Gi* z, pseudo p and verdict per layer (and counts for the working group)."""
    dialogue, _definition, pin_filter, _context = _setup(dialogue_id)
    size = _size(GRID_SIZES[0])
    layers = (_layer(),) if request.args.get("layer") else LAYERS
    result = hotspots_for(dialogue, pin_filter, size, layers)
    if result is None:
        return jsonify({"error": _("The hot spots of this many cells are computed on request: "
                                   "press the button on the hot spot page first.")}), 409
    with_counts = min_cell_count(dialogue) == 0
    if with_counts and not any(c.counts for c in result.cells):  # a stored result has no counts
        counts = {(g.easting, g.northing): g.by_value_sentiment
                  for g in grid_summary(dialogue.id, size, pin_filter)}
        for c in result.cells:
            c.counts = dict(counts.get((c.easting, c.northing), {}))
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
