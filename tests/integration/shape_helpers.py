"""Routes and areas for the tests, laid out on known SWEREF 99 TM cells inside the Husby area."""

from __future__ import annotations

import math

from shapely import LineString, Polygon
from shapely.geometry.base import BaseGeometry

from app.spatial import SWEREF99_TM, WGS84, reproject, to_sweref
from tests.factories import INSIDE


def cell_origin() -> tuple[int, int]:
    """A corner on round 500 m SWEREF 99 TM coordinates just south-west of INSIDE (so a corner of
    100 m and 250 m cells alike), with the shapes below inside the development area."""
    e, n = to_sweref(*INSIDE)
    return int(math.floor(e / 500) * 500), int(math.floor(n / 500) * 500)


def wgs84(shape_sweref: BaseGeometry) -> BaseGeometry:
    """A shape drawn in SWEREF 99 TM metres, as stored (WGS84)."""
    return reproject(shape_sweref, SWEREF99_TM, WGS84)


def route_along_a_row() -> BaseGeometry:
    """A 250 m route along the 100 m row north of the origin: 80 m, 100 m and 70 m in three cells."""
    e0, n0 = cell_origin()
    return wgs84(LineString([(e0 + 20, n0 + 150), (e0 + 270, n0 + 150)]))


def park_area() -> BaseGeometry:
    """A 100 × 200 m area (2 ha) whose corners lie in the middle of 100 m cells."""
    e0, n0 = cell_origin()
    return wgs84(Polygon([(e0 + 50, n0 + 50), (e0 + 150, n0 + 50), (e0 + 150, n0 + 250),
                          (e0 + 50, n0 + 250)]))
