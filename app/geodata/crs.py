"""Coordinate systems of imported areas: naming them, reprojecting to WGS84, measuring area."""

from __future__ import annotations

from functools import lru_cache

import pyproj
from shapely.geometry.base import BaseGeometry

from ..spatial import area_km2, reproject

WGS84 = "EPSG:4326"

__all__ = ["area_km2", "crs_label", "is_wgs84_lnglat", "parse_crs", "to_wgs84"]


@lru_cache(maxsize=32)
def _crs(user_input: str) -> pyproj.CRS:
    return pyproj.CRS.from_user_input(user_input)


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


def to_wgs84(geometry: BaseGeometry, source: str) -> BaseGeometry:
    """Reproject a geometry from `source` to WGS84 (lng, lat)."""
    if is_wgs84_lnglat(source):
        return geometry
    return reproject(geometry, source, WGS84)
