"""Writing development areas: the geometry as WGS84 MultiPolygon, its size measured in SWEREF 99 TM."""

from __future__ import annotations

from geoalchemy2.shape import from_shape
from shapely.geometry.base import BaseGeometry

from .extensions import db
from .models import DevelopmentArea, Municipality
from .spatial import WGS84, area_km2, as_multipolygon


def store_area(
    municipality: Municipality, name: str, geometry: BaseGeometry, *, source: str | None = None
) -> DevelopmentArea:
    """Add a new area to the session (flushed, not committed: the caller owns the transaction)."""
    multipolygon = as_multipolygon(geometry)
    area = DevelopmentArea(
        municipality=municipality,
        name=name,
        geom=from_shape(multipolygon, srid=WGS84),
        area_km2=area_km2(multipolygon),
        source=source,
    )
    db.session.add(area)
    db.session.flush()
    return area
