"""Writing development areas: the geometry as WGS84 MultiPolygon, its size measured in SWEREF 99 TM."""

from __future__ import annotations

from geoalchemy2.shape import from_shape
from shapely import Point
from shapely.geometry.base import BaseGeometry
from shapely.prepared import prep

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


def named_places_within(outline_wgs84: BaseGeometry) -> list[tuple[float, float, str]]:
    """(lat, lng, name) of the named places with a point inside an outline, in the planners' order.

    Maps label the places of whatever area they show; a place is a public name of a spot.
    """
    from sqlalchemy import func, select

    from .models import NamedPlace

    west, south, east, north = outline_wgs84.bounds
    lng, lat = func.ST_X(NamedPlace.geom), func.ST_Y(NamedPlace.geom)
    rows = db.session.execute(
        select(lat, lng, NamedPlace.name)
        .where(NamedPlace.geom.is_not(None), lng.between(west, east), lat.between(south, north))
        .order_by(NamedPlace.area_id, NamedPlace.position, NamedPlace.id)
    ).all()
    prepared = prep(outline_wgs84)
    seen: set[tuple[float, float, str]] = set()
    places = []
    for lat_, lng_, name in rows:
        key = (round(lat_, 6), round(lng_, 6), name)
        if key not in seen and prepared.contains(Point(lng_, lat_)):
            seen.add(key)
            places.append((float(lat_), float(lng_), name))
    return places
