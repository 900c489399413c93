"""Grid aggregation of pins, routes and areas in SWEREF 99 TM, the same on PostGIS and SpatiaLite.

Each pin carries its SWEREF 99 TM easting and northing (metres); a cell is
floor(e / size), floor(n / size), so cells align to round coordinates like Statistics Sweden's grid.
A point counts 1 in its cell (one SQL GROUP BY). A drawn line counts in each cell it crosses with
the share of its length inside the cell (its shares add up to 1); a drawn area counts in each cell
it touches with the share of the cell it covers (1 where it covers the whole cell). Lines and areas
are few, so their shares are computed here with Shapely after one query (drawn_shares). Either way
one answer adds at most 1 to any cell, so a count of k or more always comes from k or more answers
and the small-number rule (app/disclosure.py) applies to the combined counts unchanged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import and_, func, or_

from .. import tally
from ..disclosure import Group, suppressed
from ..domain import SENTIMENTS, VALUES
from ..extensions import db
from ..models import Pin
from ..spatial import SWEREF99_TM, WGS84, from_sweref, reproject, transformer
from .filters import SHOWN_STATES, PinFilter, pins_of

# A drawn route or area: on the map and not a point, which the database's checks tie to a shape
# being stored. Written on shape_kind, not on "shape IS NULL": PostgreSQL keeps no null statistics
# for the geometry column and then misplans both queries (bench/shapes.py).
DRAWN = and_(Pin.location_kind == "map", Pin.shape_kind != "point")
NOT_DRAWN = or_(Pin.location_kind != "map", Pin.shape_kind == "point")
# A route or area described in words or at a named place: no shape, and not in the cell tally.
OFF_MAP_SHAPES = and_(Pin.location_kind != "map", Pin.shape_kind != "point")

# Cell sizes offered, in metres: round numbers so cells line up with official grids.
NICE_SIZES = (10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)
GRID_SIZES = (100, 250)
MAX_CELLS = 5000


@dataclass(frozen=True)
class Cell:
    value: str
    easting: float  # south-west corner, metres
    northing: float
    size: int
    count: float  # whole for points; routes and areas add shares (see the module's note)

    @property
    def centre_lat_lng(self) -> tuple[float, float]:
        """The cell's centre in WGS84."""
        return from_sweref(self.easting + self.size / 2, self.northing + self.size / 2)


@dataclass
class GridCell:
    """One cell of the grid summary: pins per value and per value and sentiment.

    Counts are whole numbers where only points lie in the cell; a route or area adds its share
    (see the module's note), so a count may be fractional, e.g. 2.4.
    """

    easting: int  # south-west corner, metres
    northing: int
    size: int
    by_value_sentiment: dict[tuple[str, str], float] = field(default_factory=dict)
    # Counts the small-number rule hides in this cell: (value, None) or (value, sentiment).
    hidden: set[tuple[str, str | None]] = field(default_factory=set)

    @property
    def key(self) -> str:
        """A stable name for the cell: its size and south-west corner, e.g. 250m_6581250_667000."""
        return f"{self.size}m_{self.northing}_{self.easting}"

    @property
    def total(self) -> int:
        """All pins in the cell."""
        return sum(self.by_value_sentiment.values())

    @property
    def centre(self) -> tuple[float, float]:
        """The cell's centre in SWEREF 99 TM (easting, northing)."""
        return self.easting + self.size / 2, self.northing + self.size / 2

    def count(self, value: str | None = None, sentiment: str | None = None) -> int:
        """Pins of the value and/or sentiment (None means any)."""
        if value is not None and sentiment is not None:
            return self.by_value_sentiment.get((value, sentiment), 0)
        return sum(
            n for (v, s), n in self.by_value_sentiment.items()
            if (value is None or v == value) and (sentiment is None or s == sentiment)
        )

    def shown(self, value: str, sentiment: str | None = None) -> int | None:
        """The count as the viewer may see it: None where the small-number rule hides it."""
        return None if (value, sentiment) in self.hidden else self.count(value, sentiment)

    @property
    def by_value(self) -> dict[str, int]:
        """Pins per value, every value present."""
        return {v: self.count(v) for v in VALUES}


@dataclass
class PinGroups:
    """One scan of a dialogue's pins: map pins per cell, pins given at a named place instead of
    the map (per place), and every pin of the area, each per value and sentiment."""

    cells: list[GridCell]
    at_places: dict[int, dict[tuple[str, str], int]]
    area: dict[tuple[str, str], int]


def pin_groups(dialogue_id: int, size: int, pin_filter: PinFilter | None = None, *,
               states: tuple[str, ...] = SHOWN_STATES, map_only: bool = False) -> PinGroups:
    """Pins per cell, named place and area, per value and sentiment, in one grouped query.

    This is the one GROUP BY of pins into cells: the heat layers, the grid page, the assessment,
    the hotspots, the report and the export all read it. A pin off the map has no cell (its
    SWEREF columns are NULL), so it lands in its named place's group or only in the area's.
    Drawn routes and areas are left out of the GROUP BY and added with their shares of each
    cell (drawn_shares); in the area's totals each counts once.
    """
    pin_filter = pin_filter or PinFilter()
    col_e = func.floor(Pin.sweref_e / size)
    col_n = func.floor(Pin.sweref_n / size)
    statement = pins_of(
        dialogue_id, pin_filter, col_e, col_n, Pin.named_place_id, Pin.value,
        Pin.sentiment, func.count(), states=states, map_only=map_only,
    ).group_by(col_e, col_n, Pin.named_place_id, Pin.value, Pin.sentiment)
    # Points come from the cell tally where it can answer (it holds points only); routes and
    # areas described in words or at a named place are grouped from `pin` beside them.
    rows = tally.cell_rows(dialogue_id, size, pin_filter, states, map_only)
    if rows is None:
        rows = db.session.execute(statement.where(NOT_DRAWN)).all()
    else:
        rows += db.session.execute(statement.where(OFF_MAP_SHAPES)).all()
    cells: dict[tuple[int, int], GridCell] = {}
    at_places: dict[int, dict[tuple[str, str], int]] = {}
    area: dict[tuple[str, str], int] = {}
    for e, n, place_id, value, sentiment, count in rows:
        key = (value, sentiment)
        area[key] = area.get(key, 0) + count
        if e is not None:
            e, n = int(e), int(n)
            cell = cells.get((e, n))
            if cell is None:
                cell = cells[(e, n)] = GridCell(e * size, n * size, size)
            cell.by_value_sentiment[key] = cell.by_value_sentiment.get(key, 0) + count
        elif place_id is not None:
            counts = at_places.setdefault(place_id, {})
            counts[key] = counts.get(key, 0) + count
    drawn = drawn_shares(dialogue_id, size, pin_filter, states)
    for value, sentiment, shares in drawn:
        key = (value, sentiment)
        area[key] = area.get(key, 0) + 1
        for (e, n), share in shares.items():
            cell = cells.get((e, n))
            if cell is None:
                cell = cells[(e, n)] = GridCell(e * size, n * size, size)
            cell.by_value_sentiment[key] = cell.by_value_sentiment.get(key, 0) + share
    if drawn:
        for cell in cells.values():
            cell.by_value_sentiment = {k: tidy_count(n) for k, n in cell.by_value_sentiment.items()}
    ordered = sorted(cells.values(), key=lambda c: (-c.total, c.northing, c.easting))
    return PinGroups(ordered, at_places, area)


def tidy_count(count: float) -> float:
    """A sum of shares rounded to a millionth (float sums drift), whole when it is whole."""
    count = round(count, 6)
    return int(count) if float(count).is_integer() else count


def drawn_answers(dialogue_id: int, pin_filter: PinFilter | None = None,
                  states: tuple[str, ...] = SHOWN_STATES) -> list[tuple[str, str, BaseGeometry]]:
    """(value, sentiment, WGS84 shape) of the dialogue's drawn routes and areas, in id order."""
    rows = db.session.execute(
        pins_of(dialogue_id, pin_filter or PinFilter(), Pin.value, Pin.sentiment, Pin.shape,
                states=states).where(DRAWN).order_by(Pin.id)
    ).all()
    shapes = shapely.from_wkb([shape.data for _v, _s, shape in rows]) if rows else []
    return [(value, sentiment, shape)
            for (value, sentiment, _raw), shape in zip(rows, shapes, strict=True)]


def drawn_shares(dialogue_id: int, size: int, pin_filter: PinFilter,
                 states: tuple[str, ...] = SHOWN_STATES
                 ) -> list[tuple[str, str, dict[tuple[int, int], float]]]:
    """Each drawn route's or area's (value, sentiment, {cell index (e, n): share}) on the grid.

    A route's share of a cell is the length of the route inside the cell over its whole length;
    an area's share is the part of the cell it covers (overlap area / cell area). Measured in
    SWEREF 99 TM. The filter and moderation states are the same as for the points.
    """
    drawn = drawn_answers(dialogue_id, pin_filter, states)
    if not drawn:
        return []
    # One reprojection for all of them (pyproj is called once, not once per shape).
    shapes = reproject(np.array([shape for _v, _s, shape in drawn]), WGS84, SWEREF99_TM)
    return [(value, sentiment, cell_shares(shape, size))
            for (value, sentiment, _shape), shape in zip(drawn, shapes, strict=True)]


def cell_shares(shape_sweref: BaseGeometry, size: int) -> dict[tuple[int, int], float]:
    """{cell index (e, n): share} of a line (share of its length) or area (share of the cell)."""
    min_e, min_n, max_e, max_n = shape_sweref.bounds
    es = np.arange(math.floor(min_e / size), math.floor(max_e / size) + 1)
    ns = np.arange(math.floor(min_n / size), math.floor(max_n / size) + 1)
    grid_e, grid_n = (a.ravel() for a in np.meshgrid(es, ns))
    boxes = shapely.box(grid_e * size, grid_n * size, (grid_e + 1) * size, (grid_n + 1) * size)
    # Only the cells the shape touches are cut (a diagonal route's box holds many it misses).
    shapely.prepare(shape_sweref)
    touched = shapely.intersects(shape_sweref, boxes)
    grid_e, grid_n, boxes = grid_e[touched], grid_n[touched], boxes[touched]
    pieces = shapely.intersection(shape_sweref, boxes)
    if shape_sweref.geom_type in ("LineString", "MultiLineString"):
        whole = shape_sweref.length
        if whole == 0:  # a degenerate route: one place, counted once in its cell
            return {(math.floor(min_e / size), math.floor(min_n / size)): 1}
        shares = shapely.length(pieces) / whole
    else:
        shares = shapely.area(pieces) / (size * size)
    return {(int(e), int(n)): float(s) for e, n, s in zip(grid_e, grid_n, shares, strict=True)
            if s > 1e-9}


def grid_summary(dialogue_id: int, size: int, pin_filter: PinFilter | None = None, *,
                 states: tuple[str, ...] = SHOWN_STATES) -> list[GridCell]:
    """Cells of the given size with their map pins per value and sentiment (see pin_groups)."""
    return pin_groups(dialogue_id, size, pin_filter, states=states, map_only=True).cells


def value_cells(
    dialogue_id: int, size: int, pin_filter: PinFilter | None = None, min_count: int = 0
) -> list[Cell]:
    """Pin counts per value and grid cell, with the small-number rule applied for the viewer."""
    cells, _hidden = suppress_small(grid_summary(dialogue_id, size, pin_filter), min_count)
    return [Cell(v, c.easting, c.northing, size, c.count(v))
            for c in cells for v in VALUES if c.count(v) and (v, None) not in c.hidden]


def suppress_small(cells: list[GridCell], min_count: int) -> tuple[list[GridCell], int]:
    """The cells the viewer may see, their small counts marked hidden, and how many cells were hidden.

    The one small-number rule (app/disclosure.py), with complementary suppression over the cells'
    totals, each value's cells, each cell's values and each value's sentiments, because the pages
    publish all of those totals.
    """
    if min_count <= 1:
        return cells, 0
    counts: dict = {}
    children: dict = {}
    for c in cells:
        at = (c.easting, c.northing)
        counts[at] = c.total
        children[at] = [(*at, v) for v in VALUES]
        for v in VALUES:
            counts[(*at, v)] = c.count(v)
            children[(*at, v)] = [(*at, v, s) for s in SENTIMENTS]
            for s in SENTIMENTS:
                counts[(*at, v, s)] = c.count(v, s)
    ats = [(c.easting, c.northing) for c in cells]
    groups = [Group(tuple(ats))]
    groups += [Group(tuple((*at, v) for at in ats)) for v in VALUES]
    groups += [Group(tuple((*at, v, s) for at in ats)) for v in VALUES for s in SENTIMENTS]
    groups += [Group(tuple(children[at])) for at in ats]
    groups += [Group(tuple(children[(*at, v)])) for at in ats for v in VALUES]
    hidden = suppressed(counts, groups, min_count, children)
    kept = []
    for c in cells:
        at = (c.easting, c.northing)
        if at in hidden:
            continue
        c.hidden = {(v, None) for v in VALUES if (*at, v) in hidden} | {
            (v, s) for v in VALUES for s in SENTIMENTS if (*at, v, s) in hidden}
        kept.append(c)
    return kept, len(cells) - len(kept)


def cell_size_for_extent(width_m: float, height_m: float, max_cells: int = MAX_CELLS) -> int:
    """The smallest round cell size that covers the extent with at most max_cells cells."""
    for size in NICE_SIZES:
        if (math.floor(width_m / size) + 2) * (math.floor(height_m / size) + 2) <= max_cells:
            return size
    return NICE_SIZES[-1]


def sweref_extent(bounds_wgs84: tuple[float, float, float, float]) -> tuple[float, float]:
    """Width and height in metres (SWEREF 99 TM) of a WGS84 bounding box (min lng, lat, max...)."""
    min_lng, min_lat, max_lng, max_lat = bounds_wgs84
    xs, ys = transformer(WGS84, SWEREF99_TM).transform(
        [min_lng, max_lng, min_lng, max_lng], [min_lat, min_lat, max_lat, max_lat]
    )
    return max(xs) - min(xs), max(ys) - min(ys)


def cell_polygons_wgs84(cells: list[GridCell]) -> list[list[list[float]]]:
    """Each cell's outline as a GeoJSON ring in WGS84 (lng, lat), reprojected in one call."""
    if not cells:
        return []
    corners_e, corners_n = [], []
    for c in cells:
        e, n, s = c.easting, c.northing, c.size
        corners_e += [e, e + s, e + s, e, e]
        corners_n += [n, n, n + s, n + s, n]
    lng, lat = transformer(SWEREF99_TM, WGS84).transform(np.array(corners_e), np.array(corners_n))
    lng, lat = np.round(lng, 6), np.round(lat, 6)
    return [
        [[float(lng[i]), float(lat[i])] for i in range(k * 5, k * 5 + 5)] for k in range(len(cells))
    ]


