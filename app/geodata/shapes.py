"""Turning the chosen geometries into one valid WGS84 MultiPolygon, or saying why not."""

from __future__ import annotations

import re

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from app.geodata import crs as crs_mod
from app.geodata.errors import AreaImportError, ImportNote

MAX_VERTICES = 200_000
MIN_AREA_KM2 = 100 / 1_000_000  # 100 m²
MAX_AREA_KM2 = 5_000.0

_KINDS_SV = {"Point": "punkter", "MultiPoint": "punkter", "LineString": "linjer",
             "MultiLineString": "linjer", "LinearRing": "linjer"}
_KINDS_EN = {"Point": "points", "MultiPoint": "points", "LineString": "lines",
             "MultiLineString": "lines", "LinearRing": "lines"}
# GEOS validity reasons -> (Swedish, English) descriptions.
_REASONS = {
    "Self-intersection": ("kanten korsar sig själv", "the edge crosses itself"),
    "Ring Self-intersection": ("en ring korsar sig själv", "a ring crosses itself"),
    "Too few points": ("en ring har för få punkter", "a ring has too few points"),
    "Hole lies outside shell": ("ett hål ligger utanför ytan", "a hole lies outside its polygon"),
    "Nested holes": ("ett hål ligger inuti ett annat hål", "a hole lies inside another hole"),
    "Interior is disconnected": ("hålen delar ytan i flera bitar",
                                 "the holes split the polygon into pieces"),
    "Nested shells": ("en yta ligger inuti en annan", "a polygon lies inside another"),
    "Duplicate Rings": ("samma ring finns två gånger", "the same ring appears twice"),
    "Invalid Coordinate": ("en koordinat saknar värde", "a coordinate has no value"),
    "Ring is not closed": ("en ring är inte sluten", "a ring is not closed"),
}
_REASON_RE = re.compile(r"^(?P<reason>[^\[]+)(\[(?P<x>\S+) (?P<y>\S+)\])?")


def polygonal_parts(geometries: list[BaseGeometry | None]) -> list[BaseGeometry]:
    """Return the non-empty geometries, refusing anything that is not a polygon."""
    present = [g for g in geometries if g is not None and not g.is_empty]
    if not present:
        raise AreaImportError(
            "empty", "Filen innehåller inga geometrier.", "The file holds no geometries."
        )
    wrong = sorted({
        part.geom_type
        for g in present
        for part in shapely.get_parts(g)
        if part.geom_type not in ("Polygon", "MultiPolygon")
    })
    if wrong:
        raise AreaImportError(
            "not_polygon",
            "Ett utvecklingsområde måste vara en yta (polygon), men filen innehåller {kinds_sv}.",
            "A development area must be a surface (polygon), but the file holds {kinds_en}.",
            kinds_sv=sorted({_KINDS_SV.get(t, t) for t in wrong}),
            kinds_en=sorted({_KINDS_EN.get(t, t) for t in wrong}),
            geometry_types=wrong,
        )
    return present


def only_polygons(geometry: BaseGeometry) -> shapely.MultiPolygon:
    """Return the polygonal parts of any geometry as one MultiPolygon."""
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
    polygons = [q for p in parts for q in shapely.get_parts(p)]
    return shapely.MultiPolygon(polygons)


def _invalid(reason: str, crs: str) -> AreaImportError:
    match = _REASON_RE.match(reason)
    text = match.group("reason").strip() if match else reason
    sv, en = next(
        (pair for key, pair in _REASONS.items() if text.startswith(key)), (text, text)
    )
    where_sv = where_en = ""
    if match and match.group("x"):
        x, y = float(match.group("x")), float(match.group("y"))
        lng, lat = crs_mod.to_wgs84(shapely.Point(x, y), crs).coords[0]
        if np.isfinite([lng, lat]).all():
            where_sv = f" vid lat {lat:.5f}, lng {lng:.5f}"
            where_en = f" at lat {lat:.5f}, lng {lng:.5f}"
    return AreaImportError(
        "invalid_geometry",
        "Geometrin är ogiltig: {reason_sv}{where_sv}. Rätta den i ett GIS-program, eller importera "
        "med reparation (--repair) så lagas den automatiskt med make_valid.",
        "The geometry is invalid: {reason_en}{where_en}. Fix it in a GIS program, or import with "
        "repair (--repair) to mend it automatically with make_valid.",
        reason_sv=sv, reason_en=en, where_sv=where_sv, where_en=where_en, reason=reason,
    )


def validate(geometry: BaseGeometry, crs: str, repair: bool) -> tuple[BaseGeometry, bool]:
    """Return the geometry and whether it was repaired; refuse invalid ones unless repair is on."""
    if shapely.is_valid(geometry):
        return geometry, False
    if not repair:
        raise _invalid(shapely.is_valid_reason(geometry), crs)
    repaired = only_polygons(shapely.make_valid(geometry))
    if repaired.is_empty:
        raise AreaImportError(
            "empty_after_repair",
            "Geometrin är ogiltig och ingen yta blev kvar när den reparerades.",
            "The geometry is invalid and no surface was left after repairing it.",
        )
    return repaired, True


def count_vertices(geometries: list[BaseGeometry]) -> None:
    """Refuse areas with more vertices than a web map can draw."""
    count = int(np.sum(shapely.get_num_coordinates(np.asarray(geometries, dtype=object))))
    if count > MAX_VERTICES:
        raise AreaImportError(
            "too_many_vertices",
            "Området har {count} hörnpunkter; gränsen är {limit}. Förenkla det i ett GIS-program "
            "(till exempel med Simplify) och försök igen.",
            "The area has {count} vertices; the limit is {limit}. Simplify it in a GIS program "
            "(for example with Simplify) and try again.",
            count=count, limit=MAX_VERTICES,
        )


def check_size(area: float) -> None:
    """Refuse areas too small or too large to be a development area."""
    if area < MIN_AREA_KM2:
        raise AreaImportError(
            "too_small",
            "Området är bara {area_m2} m²; det minsta som går är 100 m². Kontrollera att "
            "koordinatsystemet och enheterna stämmer.",
            "The area is only {area_m2} m²; the smallest allowed is 100 m². Check that the "
            "coordinate system and the units are right.",
            area_m2=area * 1_000_000,
        )
    if area > MAX_AREA_KM2:
        raise AreaImportError(
            "too_large_area",
            "Området är {area_km2} km²; det största som går är 5 000 km². Välj en mindre del, "
            "till exempel med --where.",
            "The area is {area_km2} km²; the largest allowed is 5,000 km². Choose a smaller part, "
            "for example with --where.",
            area_km2=area,
        )


def repaired_note() -> ImportNote:
    """The note shown when make_valid mended the geometry."""
    return ImportNote(
        "repaired",
        "Geometrin reparerades med make_valid.",
        "The geometry was repaired with make_valid.",
    )
