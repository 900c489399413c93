"""Hot spots of big lattices as a job: the one path that gives the hot spot page, its GeoJSON and
the report their result.

One request computes at most HOTSPOT_INLINE_CELLS cells x layers (1,000: one layer of 1,000
cells), as a page always did: one layer's 999 permutations take 0.7 s on 1,600 cells and 9.5 s
on 19,881 (a municipality at 100 m), measured on 2 busy cores; all nine layers of the GeoJSON
about 0.6 ms per cell and layer (400 cells: 2.3 s). So the page's one layer of the demo area (a
few hundred cells) is computed at once, but its nine-layer download, like anything of a bigger
lattice (a whole municipality at 100 m: tens of thousands of cells), is computed by a worker
when a planner presses the button: a job of the format "hotspots" (the theme suggestions' path,
app/jobs), whose result file is the lattice with Gi*'s figures as JSON. A stored result is used for
the same dialogue, cell size, filter and data: its arguments hold the count of shown pins, the
highest pin id and, for a theme filter, the count of coded pins, so a new, hidden or coded pin
makes it stale. Reading a stored result never writes.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import current_app
from shapely import from_geojson
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from ..extensions import db
from ..models import Dialogue, ExportJob, Pin, pin_theme
from ..models.types import utcnow
from ..resident.routes import area_geojson
from ..surveys import definition_from_frozen
from .filters import SHOWN_STATES, PinFilter
from .grid import grid_summary
from .hotspots import LAYERS, HotspotCell, Hotspots, find_hotspots, lattice
from .places import area_places, cell_label, labeller

FORMAT = "hotspots"
LOOK_BACK = 50  # the latest jobs searched for a stored result of the same arguments


def lattice_size(dialogue: Dialogue, size: int) -> int:
    """How many cells the area's lattice has at this cell size (without any pins: cheap)."""
    return len(lattice(from_geojson(area_geojson(dialogue.area_id)), size, []))


def computed_at_once(dialogue: Dialogue, size: int, layers: int = 1) -> bool:
    """Whether cells x layers fit the budget of one request (HOTSPOT_INLINE_CELLS) rather than
    needing a job."""
    return (lattice_size(dialogue, size) * layers
            <= int(current_app.config["HOTSPOT_INLINE_CELLS"]))


def fingerprint(dialogue_id: int, pin_filter: PinFilter) -> list[int]:
    """What changes when the result would: shown pins, the highest pin id, coded pins (themes)."""
    shown, highest = db.session.execute(
        select(func.count(Pin.id), func.max(Pin.id)).where(
            Pin.dialogue_id == dialogue_id, Pin.moderation_state.in_(SHOWN_STATES))).one()
    data = [int(shown), int(highest or 0)]
    if pin_filter.theme_ids:
        data.append(int(db.session.execute(
            select(func.count()).select_from(pin_theme).join(Pin, Pin.id == pin_theme.c.pin_id)
            .where(Pin.dialogue_id == dialogue_id)).scalar()))
    return data


def job_args(dialogue: Dialogue, pin_filter: PinFilter, size: int) -> str:
    """The job's arguments as JSON text: cell size, filter (as query arguments) and the data."""
    return json.dumps({"size": size, "filter": pin_filter.query_args(),
                       "data": fingerprint(dialogue.id, pin_filter)}, sort_keys=True)


def page_args(job: ExportJob) -> dict:
    """The hot spot page's query arguments (cell size and filter) a job was started for."""
    args = json.loads(job.options.get("args") or "{}")
    return {"size": args.get("size"), **args.get("filter", {})}


def compute(dialogue: Dialogue, pin_filter: PinFilter, size: int,
            layers: tuple[tuple[str, str], ...] = LAYERS) -> Hotspots:
    """Gi* on the dialogue's lattice now, every cell named after its nearest place."""
    outline = from_geojson(area_geojson(dialogue.area_id))
    result = find_hotspots(outline, grid_summary(dialogue.id, size, pin_filter), size, layers)
    places = area_places(dialogue.area_id)
    label = labeller(places)
    for c in result.cells:
        c.label = cell_label(c, places, label)
    return result


def _jobs(dialogue_id: int, args: str) -> list[ExportJob]:
    jobs = db.session.execute(
        select(ExportJob).where(ExportJob.dialogue_id == dialogue_id, ExportJob.format == FORMAT)
        .order_by(ExportJob.created_at.desc()).limit(LOOK_BACK)).scalars()
    return [job for job in jobs if job.options.get("args") == args]


def latest_job(dialogue: Dialogue, args: str) -> dict | None:
    """The progress of the latest job with these arguments, if any."""
    from ..jobs.service import progress  # here: app.jobs imports app.export, which imports us

    jobs = _jobs(dialogue.id, args)
    return progress(jobs[0]) if jobs else None


def active_job(dialogue: Dialogue, args: str) -> ExportJob | None:
    """A job with these arguments still waiting or running (a second press starts no other)."""
    from ..jobs.service import ACTIVE, progress

    return next((job for job in _jobs(dialogue.id, args) if job.state in ACTIVE
                 and progress(job)["state"] in ACTIVE), None)


def _stored_file(dialogue: Dialogue, args: str) -> Path | None:
    """The result file of the latest finished job with these arguments, unless expired or gone."""
    from ..jobs.service import expired, result_path

    now = utcnow()
    for job in _jobs(dialogue.id, args):
        if job.state == "done" and not expired(job, now):
            path = result_path(job.id)
            return path if path.exists() else None  # removed by `jobs tidy` meanwhile
    return None


def stored(dialogue: Dialogue, args: str) -> Hotspots | None:
    """The result of the latest finished job with these arguments, unless its file has expired."""
    path = _stored_file(dialogue, args)
    try:
        return from_json(json.loads(path.read_text(encoding="utf-8"))) if path else None
    except FileNotFoundError:  # removed by `jobs tidy` meanwhile
        return None


def hotspots_for(dialogue: Dialogue, pin_filter: PinFilter, size: int,
                 layers: tuple[tuple[str, str], ...] = LAYERS, *, in_job: bool = False,
                 peek: bool = False) -> Hotspots | bool | None:
    """The hot spots to show: computed now if their cells x layers fit one request (or inside a
    job: the report), else the stored result for the same arguments (every layer), else None (the
    page offers to compute them). With peek, only whether they would be given, computing nothing."""
    if computed_at_once(dialogue, size, len(layers)):
        return True if peek else compute(dialogue, pin_filter, size, layers)
    args = job_args(dialogue, pin_filter, size)
    if peek:
        return _stored_file(dialogue, args) is not None
    found = stored(dialogue, args)
    if found is None and in_job:
        return compute(dialogue, pin_filter, size, layers)
    return found


def to_json(result: Hotspots) -> dict:
    """The result as JSON: cells with Gi*'s figures and cut-offs, never counts (the job's file
    may be fetched by anyone who may view; the GeoJSON adds counts from the tally for those who
    may see them)."""
    def layer_key(layer):
        return f"{layer[0]}-{layer[1]}"

    return {"size": result.size,
            "cutoffs": {layer_key(k): v for k, v in result.cutoffs.items()},
            "cells": [{"e": c.easting, "n": c.northing, "label": c.label,
                       "z": {layer_key(k): v for k, v in c.z.items()},
                       "p": {layer_key(k): v for k, v in c.p.items()},
                       "kind": {layer_key(k): v for k, v in c.kind.items()}} for c in result.cells]}


def from_json(data: dict) -> Hotspots:
    """A result read back from its JSON."""
    def layers(d: dict) -> dict:
        return {tuple(k.split("-", 1)): v for k, v in d.items()}

    size = int(data["size"])
    cells = [HotspotCell(c["e"], c["n"], size, {}, layers(c["z"]), layers(c["p"]),
                         layers(c["kind"]), c["label"]) for c in data["cells"]]
    return Hotspots(cells, layers(data["cutoffs"]), size)


def result_json(dialogue: Dialogue, args: str) -> str:
    """A job's work: every layer's Gi* for the size and filter in its arguments, as JSON text."""
    from .routes import dialogue_themes, filter_of

    wanted = json.loads(args)
    definition = definition_from_frozen(dialogue.survey_version.definition)
    query = MultiDict()
    for name, value in wanted["filter"].items():
        for item in value if isinstance(value, list) else [value]:
            query.add(name, str(item))
    pin_filter, _ignored = filter_of(definition, dialogue_themes(dialogue.id), query)
    result = compute(dialogue, pin_filter, int(wanted["size"]))
    return json.dumps(to_json(result))
