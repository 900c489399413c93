"""Development areas: written as a WGS84 MultiPolygon with its size measured in SWEREF 99 TM, read as
GeoJSON, and the named places inside an outline."""

from __future__ import annotations

import json

from geoalchemy2.shape import from_shape
from shapely import Point
from shapely.geometry.base import BaseGeometry
from shapely.prepared import prep
from sqlalchemy import func, select

from .extensions import db
from .models import DevelopmentArea, Municipality, NamedPlace
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


def area_geojson(area_id: int) -> str:
    """The area's outline as GeoJSON text, made by the database."""
    return db.session.execute(
        select(func.ST_AsGeoJSON(DevelopmentArea.geom)).where(DevelopmentArea.id == area_id)
    ).scalar_one()


def named_places_within(outline_wgs84: BaseGeometry) -> list[tuple[float, float, str]]:
    """(lat, lng, name) of the named places of the area whose outline this is, in the planners' order.

    Maps know the outline they show, not the area's id: a place counts when it lies inside the
    outline and its own area has the outline's extent (so another area's places, a neighbouring
    municipality's or a colleague's draft, never appear).
    """
    west, south, east, north = outline_wgs84.bounds
    lng, lat = func.ST_X(NamedPlace.geom), func.ST_Y(NamedPlace.geom)
    rows = db.session.execute(
        select(lat, lng, NamedPlace.name, func.ST_AsGeoJSON(func.ST_Envelope(DevelopmentArea.geom)))
        .join(DevelopmentArea, DevelopmentArea.id == NamedPlace.area_id)
        .where(NamedPlace.geom.is_not(None), lng.between(west, east), lat.between(south, north))
        .order_by(NamedPlace.area_id, NamedPlace.position, NamedPlace.id)
    ).all()
    prepared = prep(outline_wgs84)
    places, extents = [], {}
    for lat_, lng_, name, envelope in rows:
        if envelope not in extents:
            corners = [c for ring in json.loads(envelope)["coordinates"] for c in ring]
            bounds = (min(c[0] for c in corners), min(c[1] for c in corners),
                      max(c[0] for c in corners), max(c[1] for c in corners))
            extents[envelope] = all(abs(a - b) < 1e-6 for a, b in zip(bounds, (west, south, east, north),
                                                                      strict=True))
        if extents[envelope] and prepared.contains(Point(lng_, lat_)):
            places.append((float(lat_), float(lng_), name))
    return places
