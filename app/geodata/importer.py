"""Importing a development area from a geodata file or a polygon drawn on a web map."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

import pyproj
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from app.geodata import crs as crs_mod
from app.geodata import location, shapes
from app.geodata.crs import area_km2
from app.geodata.errors import AreaImportError, ImportNote
from app.geodata.selection import label_field, select_features, shown
from app.geodata.sources import MAX_FILE_BYTES, WGS84_BY_SPEC, read_layer

__all__ = ["AreaImportError", "ImportNote", "ImportedArea", "area_from_geojson", "area_km2",
           "read_area"]


@dataclass(frozen=True)
class ImportedArea:
    """A checked development area, ready to store."""

    geometry: shapely.MultiPolygon  # WGS84, (lng, lat) axis order, valid, 2D
    source_crs: str  # human-readable, e.g. "EPSG:3011" or the CRS name from the file
    feature_count: int  # how many features were used
    repaired: bool  # True when make_valid was applied (only when asked)
    notes: list[str]  # sentences to show the user (ImportNote: Swedish str, .message("en"))
    area_km2: float  # measured in SWEREF 99 TM (EPSG:3006), never Web Mercator
    vertex_count: int = 0
    municipality: str | None = None  # the name of the municipality it lies in (None: unknown)


def _build(
    geometries: list[BaseGeometry | None], crs: str, *, repair: bool, notes: list[str],
    kommunkod: str | None = None,
) -> ImportedArea:
    """Check, mend if asked, merge, reproject and place the chosen geometries as one area."""
    parts = shapes.polygonal_parts(geometries)
    if any(shapely.has_z(g) for g in parts):
        parts = [shapely.force_2d(g) for g in parts]
        notes.append(ImportNote(
            "z_dropped", "Höjdvärden (Z) togs bort; bara läget i planet används.",
            "Height values (Z) were dropped; only the position on the map is used.",
        ))
    # Count before any geometry work: an oversized file should fail fast, not after a union.
    shapes.count_vertices(parts)
    repaired = False
    projected = []
    for part in parts:
        source_part, mended = shapes.validate(part, crs, repair)
        try:
            part = crs_mod.to_wgs84(source_part, crs)
        except pyproj.exceptions.ProjError as err:
            raise AreaImportError(
                "reprojection_failed",
                "Koordinaterna gick inte att räkna om från {crs} till WGS84.",
                "The coordinates could not be converted from {crs} to WGS84.",
                crs=crs_mod.crs_label(crs),
            ) from err
        location.check_bounds(part, source_part, crs, kommunkod)
        # Reprojection can, rarely, bend a valid edge into an invalid one.
        part, mended_again = shapes.validate(part, crs_mod.WGS84, repair)
        projected.append(part)
        repaired = repaired or mended or mended_again
    # Merge in WGS84: a union made in the file's CRS may hold slivers that collapse when
    # reprojected, while a union made here is valid in the coordinates we store.
    geometry = projected[0] if len(projected) == 1 else shapely.union_all(projected)
    geometry = shapes.only_polygons(shapely.orient_polygons(geometry))
    largest = max(parts, key=lambda p: p.area)
    placement = location.check_place(geometry, largest, crs, kommunkod)
    if repaired:
        notes.append(shapes.repaired_note())
    size = area_km2(geometry)
    shapes.check_size(size)
    return ImportedArea(
        geometry=geometry,
        source_crs=crs_mod.crs_label(crs),
        feature_count=len(parts),
        repaired=repaired,
        notes=notes,
        area_km2=size,
        vertex_count=int(shapely.get_num_coordinates(geometry)),
        municipality=placement.municipality.name if placement.municipality else None,
    )


def read_area(
    path: str | os.PathLike[str],
    *,
    where: dict[str, str] | None = None,
    layer: str | None = None,
    dissolve: bool = False,
    repair: bool = False,
    kommunkod: str | None = None,
) -> ImportedArea:
    """Read a development area from a GeoJSON, Shapefile (or zip), GeoPackage or KML file.

    With `kommunkod`, the area must lie in that municipality (when it is one of Sweden's 290).
    """
    raw = read_layer(path, layer=layer)
    notes: list[str] = []
    source_crs = raw.crs
    if source_crs is None:
        if raw.format not in WGS84_BY_SPEC:
            raise AreaImportError(
                "no_crs",
                "Filen anger inte vilket koordinatsystem den använder. För en Shapefile behövs "
                ".prj-filen; exportera igen med koordinatsystemet angivet (till exempel "
                "SWEREF 99 TM, EPSG:3006).",
                "The file does not say which coordinate system it uses. A Shapefile needs its "
                ".prj file; export it again with the coordinate system set (for example "
                "SWEREF 99 TM, EPSG:3006).",
            )
        source_crs = "OGC:CRS84"
    try:
        crs_mod.parse_crs(source_crs)
    except pyproj.exceptions.CRSError as err:
        raise AreaImportError(
            "unknown_crs",
            "Koordinatsystemet i filen känns inte igen.",
            "The coordinate system in the file is not recognised.",
            crs=source_crs,
        ) from err
    chosen = select_features(raw.fields, len(raw.geometries), where, dissolve)
    if len(chosen) > 1:
        notes.append(ImportNote(
            "dissolved", "{count} objekt slogs ihop till ett område.",
            "{count} features were merged into one area.", count=len(chosen),
        ))
    return _build([raw.geometries[i] for i in chosen], source_crs, repair=repair, notes=notes,
                  kommunkod=kommunkod)


def _geojson_geometries(data: object) -> list[BaseGeometry | None]:
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise TypeError("not a GeoJSON object")
    kind = data["type"]
    if kind == "FeatureCollection":
        return [g for f in data.get("features") or [] for g in _geojson_geometries(f)]
    if kind == "Feature":
        return [shape(data["geometry"]) if data.get("geometry") else None]
    return [shape(data)]


def _refuse_too_many_vertices(text: str | bytes) -> None:
    """Refuse an oversized drawing before parsing it: 40 MB of coordinates is millions of lists.

    Every vertex is one `[x, y]`, and rings and polygons add at most one bracket per four
    vertices each, so more than twice the vertex limit in brackets is surely over the limit.
    """
    brackets = text.count("[" if isinstance(text, str) else b"[")
    if brackets > 2 * shapes.MAX_VERTICES:
        raise AreaImportError(
            "too_many_vertices",
            "Området har fler än {limit} hörnpunkter. Förenkla det i ett GIS-program "
            "(till exempel med Simplify) och försök igen.",
            "The area has more than {limit} vertices. Simplify it in a GIS program "
            "(for example with Simplify) and try again.",
            limit=shapes.MAX_VERTICES,
        )


def area_from_geojson(geojson: dict | str, *, repair: bool = False,
                      kommunkod: str | None = None) -> ImportedArea:
    """Make a development area from a WGS84 GeoJSON Geometry, Feature or FeatureCollection."""
    if isinstance(geojson, str | bytes) and len(geojson) > MAX_FILE_BYTES:
        raise AreaImportError(
            "too_large", "Geometrin är för stor (över 50 MB).", "The geometry is too large "
            "(over 50 MB).",
        )
    if isinstance(geojson, str | bytes):
        _refuse_too_many_vertices(geojson)
    try:
        data = json.loads(geojson) if isinstance(geojson, str | bytes) else geojson
        geometries = _geojson_geometries(data)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError,
            shapely.errors.GEOSException) as err:
        raise AreaImportError(
            "unreadable",
            "Det ritade området gick inte att läsa som GeoJSON.",
            "The drawn area could not be read as GeoJSON.",
            detail=str(err),
        ) from err
    notes: list[str] = []
    # A drawing may hold several polygons: together they are the area.
    present = [g for g in geometries if g is not None and not g.is_empty]
    if len(present) > 1:
        notes.append(ImportNote(
            "dissolved", "{count} objekt slogs ihop till ett område.",
            "{count} features were merged into one area.", count=len(present),
        ))
    return _build(geometries, "OGC:CRS84", repair=repair, notes=notes, kommunkod=kommunkod)


def feature_labels(path: str | os.PathLike[str], *, layer: str | None = None
                   ) -> tuple[str | None, list[str]]:
    """The attribute a person names the file's features by, and each feature's value of it."""
    raw = read_layer(path, layer=layer)
    field = label_field(raw.fields)
    if field is None:
        return None, []
    return field, [shown(value) for value in raw.fields[field]]
