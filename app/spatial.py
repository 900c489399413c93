"""The one place that knows SRIDs, axis order and reprojection.

We store WGS84 (EPSG:4326, lng/lat) and measure and grid in SWEREF 99 TM (EPSG:3006, metres).
Elsewhere in the code coordinates are `lat` / `lng`; here they become x / y.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

WGS84 = 4326
SWEREF99_TM = 3006

# Sweden with a margin (lng, lat); anything outside is a wrong CRS or swapped axes.
SWEDEN_BOUNDS = (10.0, 55.0, 24.3, 69.2)


@lru_cache(maxsize=32)
def transformer(source: int | str, target: int | str) -> Transformer:
    """A cached x/y-ordered transformer between two CRSs."""
    return Transformer.from_crs(source, target, always_xy=True)


def to_sweref(lat: float, lng: float) -> tuple[float, float]:
    """SWEREF 99 TM easting and northing (metres) of a WGS84 point."""
    return transformer(WGS84, SWEREF99_TM).transform(lng, lat)


def from_sweref(easting: float, northing: float) -> tuple[float, float]:
    """WGS84 (lat, lng) of a SWEREF 99 TM point."""
    lng, lat = transformer(SWEREF99_TM, WGS84).transform(easting, northing)
    return lat, lng


def reproject(geometry: BaseGeometry, source: int | str, target: int | str) -> BaseGeometry:
    """The geometry in another CRS (both in x/y order), transformed in one vectorised call."""
    if source == target:
        return geometry
    project = transformer(source, target).transform

    def coordinates(xy: np.ndarray) -> np.ndarray:
        x, y = project(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometry, coordinates)


def area_km2(geometry_wgs84: BaseGeometry) -> float:
    """Area in km², measured in SWEREF 99 TM (never Web Mercator)."""
    return reproject(geometry_wgs84, WGS84, SWEREF99_TM).area / 1_000_000


def as_multipolygon(geometry: BaseGeometry) -> MultiPolygon:
    """A Polygon or MultiPolygon as a MultiPolygon (the area column's type)."""
    if isinstance(geometry, Polygon):
        return MultiPolygon([geometry])
    if isinstance(geometry, MultiPolygon):
        return geometry
    raise TypeError(f"expected a polygon, got {geometry.geom_type}")


def valid_lat_lng(lat: object, lng: object) -> tuple[float, float] | None:
    """(lat, lng) as finite floats within Sweden's bounds, or None."""
    try:
        lat_f, lng_f = float(lat), float(lng)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lat_f) and math.isfinite(lng_f)):
        return None
    min_lng, min_lat, max_lng, max_lat = SWEDEN_BOUNDS
    if not (min_lat <= lat_f <= max_lat and min_lng <= lng_f <= max_lng):
        return None
    return lat_f, lng_f


def point(lat: float, lng: float) -> Point:
    """A Shapely point in x/y order from lat/lng."""
    return Point(lng, lat)


@dataclass(frozen=True)
class ShapeMeasures:
    """What is stored beside a drawn line or area: a point on it (lat, lng) and its size."""

    lat: float
    lng: float
    length_m: float | None  # a line's length in SWEREF 99 TM metres
    area_m2: float | None  # an area's area in SWEREF 99 TM square metres


def measure_shape(shape_wgs84: BaseGeometry) -> ShapeMeasures:
    """A line's middle point and length, or an area's inner point and area, in SWEREF 99 TM."""
    sweref = reproject(shape_wgs84, WGS84, SWEREF99_TM)
    if sweref.geom_type in ("LineString", "MultiLineString"):
        inner = sweref.interpolate(0.5, normalized=True)
        length, area = sweref.length, None
    else:
        inner = sweref.point_on_surface()
        length, area = None, sweref.area
    lat, lng = from_sweref(inner.x, inner.y)
    return ShapeMeasures(lat, lng, length, area)


def geojson_geometry(geometry: BaseGeometry, decimals: int = 7) -> dict:
    """A WGS84 geometry as a GeoJSON geometry (lng/lat), coordinates rounded (7 decimals: ~1 cm)."""
    return json.loads(shapely.to_geojson(
        shapely.transform(geometry, lambda xy: np.round(xy, decimals))))


def shape_geojson(stored, decimals: int = 6) -> dict | None:
    """A stored route or area (a geometry column's value, WGS84) as a GeoJSON geometry, rounded
    (6 decimals: about 10 cm, enough for a map); None for none."""
    if stored is None:
        return None
    from geoalchemy2.shape import to_shape

    return geojson_geometry(to_shape(stored), decimals)


def folium_bounds(geometry: BaseGeometry) -> list[list[float]]:
    """[[south, west], [north, east]]: folium's fit_bounds order."""
    min_lng, min_lat, max_lng, max_lat = geometry.bounds
    return [[min_lat, min_lng], [max_lat, max_lng]]


def ewkt(geometry: BaseGeometry, srid: int = WGS84) -> str:
    """Extended WKT, the form GeoAlchemy2 accepts for a geometry parameter."""
    return f"SRID={srid};{geometry.wkt}"


# Web Mercator (EPSG:3857) is only for showing tiles: never for measuring or gridding.
WEB_MERCATOR = 3857
MERCATOR_HALF = 20037508.342789244  # metres from the origin to the edge of the tile grid


def mercator_tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """Web Mercator (min_x, min_y, max_x, max_y) of tile z/x/y (XYZ: y counts down from the north)."""
    size = 2 * MERCATOR_HALF / 2**z
    min_x = -MERCATOR_HALF + x * size
    max_y = MERCATOR_HALF - y * size
    return min_x, max_y - size, min_x + size, max_y


def mercator_tile_range(bounds_wgs84: tuple[float, float, float, float], z: int) -> tuple[int, int, int, int]:
    """(min_x, min_y, max_x, max_y) tile numbers at zoom z covering (west, south, east, north)."""
    west, south, east, north = bounds_wgs84
    to_merc = transformer(WGS84, WEB_MERCATOR)
    (x0, x1), (y0, y1) = to_merc.transform([west, east], [south, north])
    size = 2 * MERCATOR_HALF / 2**z
    last = 2**z - 1

    def column(mx: float) -> int:
        return min(max(int((mx + MERCATOR_HALF) // size), 0), last)

    def row(my: float) -> int:
        return min(max(int((MERCATOR_HALF - my) // size), 0), last)

    return column(x0), row(y1), column(x1), row(y0)


def mercator_tile_wgs84_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """(west, south, east, north) in WGS84 of tile z/x/y."""
    min_x, min_y, max_x, max_y = mercator_tile_bounds(z, x, y)
    (west, east), (south, north) = transformer(WEB_MERCATOR, WGS84).transform(
        [min_x, max_x], [min_y, max_y])
    return west, south, east, north


# SWEREF 99 TM and its twelve local zones (SWEREF 99 12 00 ... 23 15; Stockholm uses 18 00, 3011).
SWEREF99_CODES = range(3006, 3019)


def is_sweref(epsg: int) -> bool:
    """Whether an EPSG code is SWEREF 99 TM or one of its local zones."""
    return epsg in SWEREF99_CODES


@lru_cache(maxsize=32)
def northing_first(epsg: int) -> bool:
    """Whether the CRS's official axis order puts northing first (SWEREF 99 does; WMTS follows it)."""
    from pyproj import CRS

    return CRS.from_epsg(epsg).axis_info[0].direction.lower() == "north"


@lru_cache(maxsize=32)
def proj4_definition(epsg: int) -> str:
    """The PROJ string of a CRS, for proj4js in the browser."""
    import warnings

    from pyproj import CRS

    with warnings.catch_warnings():  # SWEREF 99 zones lose nothing as PROJ strings
        warnings.simplefilter("ignore", UserWarning)
        return CRS.from_epsg(epsg).to_proj4().replace(" +type=crs", "")
