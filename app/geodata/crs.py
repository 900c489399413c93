"""Coordinate systems of imported areas: naming them, reprojecting to WGS84, measuring area."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

WGS84 = "EPSG:4326"
SWEREF99_TM = "EPSG:3006"


@lru_cache(maxsize=32)
def _crs(user_input: str) -> pyproj.CRS:
    return pyproj.CRS.from_user_input(user_input)


@lru_cache(maxsize=32)
def _transformer(source: str, target: str) -> pyproj.Transformer:
    # always_xy: shapely coordinates are (x, y) = (lng, lat) / (easting, northing).
    return pyproj.Transformer.from_crs(_crs(source), _crs(target), always_xy=True)


def parse_crs(user_input: str) -> pyproj.CRS:
    """Return the pyproj CRS for an EPSG code, WKT or PROJ string; raises CRSError."""
    return _crs(user_input)


def crs_label(user_input: str) -> str:
    """Return a short, human-readable name for a CRS: 'EPSG:3011' or the name given in the file."""
    crs = _crs(user_input)
    authority = crs.to_authority(min_confidence=90)
    if authority:
        return f"{authority[0]}:{authority[1]}"
    if crs.name and crs.name.lower() != "unknown":
        return crs.name
    return crs.to_string()


def is_wgs84_lnglat(user_input: str) -> bool:
    """True when coordinates in this CRS already are WGS84 longitude/latitude."""
    crs = _crs(user_input)
    return crs.is_geographic and crs.equals(_crs("OGC:CRS84"), ignore_axis_order=True)


def transform(geometry: BaseGeometry, source: str, target: str) -> BaseGeometry:
    """Reproject a geometry between two CRSs, both in (x, y) = (lng, lat) axis order."""
    if source == target:
        return geometry
    transformer = _transformer(source, target)

    def project(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometry, project)


def to_wgs84(geometry: BaseGeometry, source: str) -> BaseGeometry:
    """Reproject a geometry from `source` to WGS84 (lng, lat)."""
    if is_wgs84_lnglat(source):
        return geometry
    return transform(geometry, source, WGS84)


def area_km2(geometry_wgs84: BaseGeometry) -> float:
    """Return the area of a WGS84 (lng, lat) geometry in km², measured in SWEREF 99 TM."""
    return float(transform(geometry_wgs84, WGS84, SWEREF99_TM).area) / 1_000_000
