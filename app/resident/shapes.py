"""A resident's drawn line (a route) or area: read, checked, made valid and measured before it is stored.

The rules, chosen so a resident's sketch on a phone is taken as meant and nothing odd is stored:
- GeoJSON geometry of the question's kind (LineString for a line, Polygon for an area), finite
  coordinates inside Sweden's bounds, at most MAX_VERTICES points; repeated points are dropped.
- An area whose edge crosses itself is refused (the resident is asked to redraw: "making it
  valid" would turn a bow tie into two triangles they did not draw). Shapely checks first, then
  the database's own ST_IsValid, in the same single query that reads the development area.
- A line must lie mostly inside the development area: at least INSIDE_SHARE of its length (a way
  home may start just outside); it is stored as drawn.
- An area must lie mostly inside too (INSIDE_SHARE of its area); the part over the edge is cut off
  (it is not about this dialogue), so a stored area always lies inside the outline.
- The survey's limits (max_length_km, min_area_m2, max_area_m2) apply to what is stored, measured
  in SWEREF 99 TM by `spatial.measure_shape`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import shapely
from flask_babel import lazy_gettext as _l
from shapely import LineString, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry
from sqlalchemy import LargeBinary, String, bindparam, func, select

from ..extensions import db
from ..models import DevelopmentArea
from ..spatial import SWEDEN_BOUNDS, SWEREF99_TM, WGS84, ewkt, measure_shape, reproject

MAX_VERTICES = 500  # far more than a hand-drawn route needs; keeps a forged one cheap to check
INSIDE_SHARE = 0.8
GEOJSON_TYPES = {"line": "LineString", "area": "Polygon"}

UNREADABLE = _l("The drawing could not be read. Draw it again.")
WRONG_KIND = {"line": _l("This question asks for a route: draw a line."),
              "area": _l("This question asks for an area: draw its outline.")}
NOT_IN_SWEDEN = _l("The drawing has points far outside the area of this dialogue. Draw it again.")
TOO_FEW_POINTS = {"line": _l("A route needs at least two different points."),
                  "area": _l("An area needs at least three different corners.")}
CROSSES_ITSELF = _l("The edge of the area crosses itself. Draw it again so that the edge does not cross.")


class ShapeRefused(ValueError):
    """A drawing that breaks a rule; carries the sentence for the resident."""

    def __init__(self, message: object):
        super().__init__(str(message))
        self.message = message


@dataclass
class DrawnShape:
    """A checked drawing as it is stored: the geometry (WGS84), its point and its size."""

    shape: BaseGeometry
    lat: float
    lng: float
    length_m: float | None
    area_m2: float | None


def read_geometry(kind: str, raw: Any) -> BaseGeometry:
    """The drawing as a Shapely geometry of the question's kind, or ShapeRefused."""
    if not isinstance(raw, dict) or not isinstance(raw.get("coordinates"), list):
        raise ShapeRefused(UNREADABLE)
    if raw.get("type") != GEOJSON_TYPES[kind]:
        raise ShapeRefused(WRONG_KIND[kind])
    rings = [raw["coordinates"]] if kind == "line" else raw["coordinates"]
    if not rings or not all(isinstance(r, list) for r in rings):
        raise ShapeRefused(UNREADABLE)
    if sum(len(r) for r in rings) > MAX_VERTICES:
        raise ShapeRefused(_l("The drawing has too many points: at most %(n)d.", n=MAX_VERTICES))
    parts = [[_position(p) for p in ring] for ring in rings]
    if kind == "line":
        line = shapely.remove_repeated_points(LineString(parts[0])) if len(parts[0]) >= 2 else None
        if line is None or len(line.coords) < 2 or line.length == 0:
            raise ShapeRefused(TOO_FEW_POINTS[kind])
        return line
    shell = parts[0]
    if len(shell) >= 1 and shell[0] != shell[-1]:
        shell = [*shell, shell[0]]  # an open ring is closed for the resident
    if len({tuple(p) for p in shell}) < 3:
        raise ShapeRefused(TOO_FEW_POINTS[kind])
    polygon = shapely.remove_repeated_points(Polygon(shell, [r for r in parts[1:] if len(r) >= 4]))
    if not polygon.is_valid or polygon.area == 0:
        raise ShapeRefused(CROSSES_ITSELF)
    return polygon


def _position(p: Any) -> tuple[float, float]:
    if not (isinstance(p, list) and len(p) in (2, 3)
            and all(isinstance(c, int | float) and not isinstance(c, bool) for c in p[:2])):
        raise ShapeRefused(UNREADABLE)
    lng, lat = float(p[0]), float(p[1])
    if not (math.isfinite(lng) and math.isfinite(lat)):
        raise ShapeRefused(UNREADABLE)
    min_lng, min_lat, max_lng, max_lat = SWEDEN_BOUNDS
    if not (min_lng <= lng <= max_lng and min_lat <= lat <= max_lat):
        raise ShapeRefused(NOT_IN_SWEDEN)
    return lng, lat


def outline_and_validity(area_id: int, shapes: list[BaseGeometry]) -> tuple[BaseGeometry, list[bool]]:
    """The development area's outline and the database's ST_IsValid of each shape: one query."""
    params = {f"s{i}": ewkt(s) for i, s in enumerate(shapes)}
    row = db.session.connection().execute(_outline_query(len(shapes)), {"area": area_id, **params}).one()
    return shapely.from_wkb(bytes(row[0])), [bool(v) for v in row[1:]]


_QUERIES: dict[int, Any] = {}


def _outline_query(n: int):
    # Built once per number of shapes, so SQLAlchemy's compiled cache serves later requests.
    if n not in _QUERIES:
        area = DevelopmentArea.__table__
        _QUERIES[n] = select(
            func.ST_AsBinary(area.c.geom, type_=LargeBinary),
            *[func.ST_IsValid(func.ST_GeomFromEWKT(bindparam(f"s{i}", type_=String))) for i in range(n)],
        ).where(area.c.id == bindparam("area"))
    return _QUERIES[n]


def fit_to_area(kind: str, shape: BaseGeometry, outline_sweref: BaseGeometry, db_valid: bool,
                question) -> DrawnShape:
    """The shape checked against the area (lines mostly inside, areas cut to it) and the limits."""
    if not db_valid:
        raise ShapeRefused(CROSSES_ITSELF)
    sweref = reproject(shape, WGS84, SWEREF99_TM)
    share = round(INSIDE_SHARE * 100)
    if kind == "line":
        if sweref.intersection(outline_sweref).length < INSIDE_SHARE * sweref.length:
            raise ShapeRefused(_l("Most of the route must lie inside the area of this dialogue "
                                  "(at least %(share)d %%).", share=share))
        stored = shape
    else:
        inside = sweref.intersection(outline_sweref)
        if inside.area < INSIDE_SHARE * sweref.area:
            raise ShapeRefused(_l("The area must lie inside the outline of this dialogue; at most "
                                  "%(share)d %% of it may go over the edge.", share=100 - share))
        stored = shape if inside.area >= sweref.area * (1 - 1e-9) else _polygons(
            reproject(inside, SWEREF99_TM, WGS84))
    measures = measure_shape(stored)
    if kind == "line":
        limit = (question.max_length_km or 0) * 1000
        if limit and measures.length_m > limit:
            raise ShapeRefused(_l("The route is %(length)s long; at most %(max)s is allowed here.",
                                  length=metres(measures.length_m), max=metres(limit)))
    else:
        if question.min_area_m2 and measures.area_m2 < question.min_area_m2:
            raise ShapeRefused(_l("The area is %(area)s; it should be at least %(min)s.",
                                  area=square_metres(measures.area_m2),
                                  min=square_metres(question.min_area_m2)))
        if question.max_area_m2 and measures.area_m2 > question.max_area_m2:
            raise ShapeRefused(_l("The area is %(area)s; it can be at most %(max)s.",
                                  area=square_metres(measures.area_m2),
                                  max=square_metres(question.max_area_m2)))
    return DrawnShape(stored, measures.lat, measures.lng, measures.length_m, measures.area_m2)


def _polygons(geometry: BaseGeometry) -> BaseGeometry:
    """The polygon parts of a clipped area (a cut can leave slivers of lines or points)."""
    geometry = shapely.make_valid(geometry)
    parts = [g for g in getattr(geometry, "geoms", [geometry]) if isinstance(g, Polygon | MultiPolygon)]
    polygons = [p for g in parts for p in getattr(g, "geoms", [g])]
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def metres(length: float) -> str:
    """A length as a resident reads it: "850 m" or "1,2 km"."""
    if length < 1000:
        return f"{round(length)} m"
    return f"{length / 1000:.1f}".replace(".", ",") + " km"


def square_metres(area: float) -> str:
    """An area as a resident reads it: "450 m²" or "1,5 ha"."""
    if area < 10_000:
        return f"{round(area)} m²"
    return f"{area / 10_000:.1f}".replace(".", ",") + " ha"
