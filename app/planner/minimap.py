"""A small map beside each comment in the queue: the area's outline and the pin (or the drawn
route or area), as inline SVG.

Drawn in SWEREF 99 TM metres (north up), with the pin from its stored sweref_e / sweref_n; no
script, no tiles, no request: fifty of them on a page cost nothing to the browser.
"""

from __future__ import annotations

from dataclasses import dataclass

import shapely
from geoalchemy2.shape import to_shape

from ..models import DevelopmentArea, Pin
from ..spatial import SWEREF99_TM, WGS84, reproject


@dataclass(frozen=True)
class MiniMap:
    """The outline as an SVG path in a view box; pins are placed with `position`."""

    view_box: str
    outline: str
    radius: float
    _max_y: float

    def shape_path(self, pin: Pin) -> str | None:
        """A drawn route or area as an SVG path in the view box (areas closed), None for a point."""
        if pin.shape is None:
            return None
        shape = reproject(to_shape(pin.shape), WGS84, SWEREF99_TM)
        parts = []
        for part in shapely.get_parts(shape):
            if part.geom_type == "Polygon":
                parts.append(_ring(part.exterior.coords, self._max_y))
            else:
                parts.append("M" + " L".join(f"{x:.0f} {self._max_y - y:.0f}"
                                             for x, y in part.coords))
        return " ".join(parts)

    def position(self, pin: Pin) -> tuple[float, float] | None:
        """The pin's x, y in the view box, or None for a pin without a map position."""
        if pin.sweref_e is None or pin.sweref_n is None:
            return None
        return round(pin.sweref_e, 1), round(self._max_y - pin.sweref_n, 1)


def _ring(coordinates, max_y: float) -> str:
    points = [f"{x:.0f} {max_y - y:.0f}" for x, y in coordinates]
    return "M" + " L".join(points) + " Z"


def minimap(area: DevelopmentArea) -> MiniMap:
    """The mini map of a development area."""
    outline = reproject(to_shape(area.geom), WGS84, SWEREF99_TM)
    min_x, min_y, max_x, max_y = outline.bounds
    side = max(max_x - min_x, max_y - min_y, 1.0)
    margin = side * 0.05
    simplified = shapely.simplify(outline, side / 300, preserve_topology=True)
    rings = []
    for polygon in shapely.get_parts(simplified):
        rings.append(_ring(polygon.exterior.coords, max_y))
        rings += [_ring(hole.coords, max_y) for hole in polygon.interiors]
    view_box = (f"{min_x - margin:.0f} {-margin:.0f} {max_x - min_x + 2 * margin:.0f} "
                f"{max_y - min_y + 2 * margin:.0f}")
    return MiniMap(view_box, " ".join(rings), side / 25, max_y)
