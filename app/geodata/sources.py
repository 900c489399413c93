"""Opening geodata files safely: size and zip-bomb checks, format, layer, raw features."""

from __future__ import annotations

import os
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import numpy as np
import pyogrio
import pyogrio.errors
import shapely
from shapely.geometry.base import BaseGeometry

from app.geodata.errors import AreaImportError

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100
MAX_ZIP_MEMBERS = 1000

# Suffix -> the name of the format as a user knows it.
FORMATS = {
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".shp": "Shapefile",
    ".zip": "Shapefile (zip)",
    ".gpkg": "GeoPackage",
    ".kml": "KML",
    ".kmz": "KMZ",
}
# Formats whose specification fixes the CRS to WGS84 when the file says nothing.
WGS84_BY_SPEC = {"GeoJSON", "KML", "KMZ"}
# Files we look for inside a zip, the first suffix preferred.
_ZIPPED_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".kml")
_PYOGRIO_ERRORS = (
    pyogrio.errors.DataSourceError,
    pyogrio.errors.DataLayerError,
    pyogrio.errors.FieldError,
    pyogrio.errors.FeatureError,
    pyogrio.errors.GeometryError,
    pyogrio.errors.CRSError,
)


@dataclass
class RawLayer:
    """The features of one layer as read: geometries in the file's CRS and attribute columns."""

    geometries: list[BaseGeometry | None]
    fields: dict[str, list[object]]
    crs: str | None
    format: str
    layer: str


def _unreadable(name: str, detail: str = "") -> AreaImportError:
    return AreaImportError(
        "unreadable",
        "Filen {name} gick inte att läsa som geodata. Den kan vara skadad eller ha fel filändelse.",
        "The file {name} could not be read as geodata. It may be damaged or have the wrong "
        "file extension.",
        name=name,
        detail=detail,
    )


def _disk_size(path: Path) -> int:
    if path.suffix.lower() == ".shp":
        # A Shapefile is the .shp and its sidecars (.dbf, .shx, .prj ...) with the same stem.
        return sum(p.stat().st_size for p in path.parent.glob(f"{path.stem}.*") if p.is_file())
    return path.stat().st_size


def check_file(path: Path) -> str:
    """Return the format name of `path`, refusing missing, unknown and too large files."""
    if not path.is_file():
        raise AreaImportError(
            "not_found", "Filen {name} finns inte.", "The file {name} does not exist.",
            name=path.name,
        )
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise AreaImportError(
            "unknown_format",
            "Filformatet {suffix} stöds inte. Använd GeoJSON, Shapefile (.shp eller .zip), "
            "GeoPackage (.gpkg) eller KML.",
            "The file format {suffix} is not supported. Use GeoJSON, Shapefile (.shp or .zip), "
            "GeoPackage (.gpkg) or KML.",
            suffix=path.suffix or path.name,
        )
    size = _disk_size(path)
    if size > MAX_FILE_BYTES:
        raise AreaImportError(
            "too_large",
            "Filen är {size_mb} MB; gränsen är {limit_mb} MB. Förenkla området eller välj bara "
            "de delar som behövs.",
            "The file is {size_mb} MB; the limit is {limit_mb} MB. Simplify the area or keep only "
            "the parts that are needed.",
            size_mb=size / 1024 / 1024,
            limit_mb=MAX_FILE_BYTES // 1024 // 1024,
        )
    return fmt


def _zip_bomb(reason_sv: str, reason_en: str, **params: object) -> AreaImportError:
    return AreaImportError(
        "zip_bomb",
        "Zip-filen avvisades eftersom " + reason_sv + " Packa bara upp det som behövs.",
        "The zip file was refused because " + reason_en + " Zip only what is needed.",
        **params,
    )


def check_zip(path: Path, wanted: str | None = None) -> str:
    """Return the member of a zip to read, after refusing archives that could be zip bombs."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as err:
        raise _unreadable(path.name, str(err)) from err
    if len(members) > MAX_ZIP_MEMBERS:
        raise _zip_bomb(
            "den innehåller {count} filer.", "it holds {count} files.", count=len(members)
        )
    unzipped = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    if unzipped > MAX_UNZIPPED_BYTES:
        raise _zip_bomb(
            "den packas upp till {size_mb} MB (gränsen är {limit_mb} MB).",
            "it unpacks to {size_mb} MB (the limit is {limit_mb} MB).",
            size_mb=unzipped / 1024 / 1024,
            limit_mb=MAX_UNZIPPED_BYTES // 1024 // 1024,
        )
    if unzipped > MAX_ZIP_RATIO * max(packed, 1):
        raise _zip_bomb(
            "den packas upp till {ratio} gånger sin storlek (misstänkt zip-bomb).",
            "it unpacks to {ratio} times its size (a suspected zip bomb).",
            ratio=round(unzipped / max(packed, 1)),
        )
    if any(m.flag_bits & 0x1 for m in members):
        raise AreaImportError(
            "encrypted", "Zip-filen är lösenordsskyddad.", "The zip file is password protected."
        )
    candidates = [
        m.filename
        for m in members
        if not m.is_dir()
        and PurePosixPath(m.filename).suffix.lower() in _ZIPPED_SUFFIXES
        and not any(part.startswith((".", "__MACOSX")) for part in PurePosixPath(m.filename).parts)
    ]
    for suffix in _ZIPPED_SUFFIXES:
        found = [c for c in candidates if c.lower().endswith(suffix)]
        if wanted:
            found = [c for c in found if PurePosixPath(c).stem == wanted] or found
        if len(found) == 1:
            return found[0]
        if found:
            raise AreaImportError(
                "zip_several",
                "Zip-filen innehåller flera filer att välja mellan: {names}. Välj en med "
                "--layer eller lägg bara en i zip-filen.",
                "The zip file holds several files to choose from: {names}. Choose one with "
                "--layer or put only one in the zip file.",
                names=[PurePosixPath(c).stem for c in found],
            )
    raise AreaImportError(
        "zip_empty",
        "Zip-filen innehåller ingen Shapefile (.shp), GeoPackage, GeoJSON eller KML.",
        "The zip file holds no Shapefile (.shp), GeoPackage, GeoJSON or KML.",
    )


def _choose_layer(source: str, name: str, layer: str | None) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            listed = pyogrio.list_layers(source)
        except _PYOGRIO_ERRORS as err:
            raise _unreadable(name, str(err)) from err
    all_layers = [str(row[0]) for row in listed]
    # Attribute-only tables (a GeoPackage may have some) cannot be an area.
    spatial = [str(row[0]) for row in listed if row[1] is not None] or all_layers
    if layer is not None:
        if layer in all_layers:
            return layer
        raise AreaImportError(
            "layer_not_found",
            "Lagret {layer} finns inte i filen. Lager som finns: {layers}.",
            "The layer {layer} is not in the file. Layers present: {layers}.",
            layer=layer,
            layers=all_layers,
        )
    if len(spatial) == 1:
        return spatial[0]
    if not spatial:
        raise AreaImportError(
            "empty", "Filen innehåller inga geometrier.", "The file holds no geometries."
        )
    raise AreaImportError(
        "several_layers",
        "Filen har {count} lager: {layers}. Välj ett med --layer.",
        "The file has {count} layers: {layers}. Choose one with --layer.",
        count=len(spatial),
        layers=spatial,
    )


def read_layer(path: str | os.PathLike[str], layer: str | None = None) -> RawLayer:
    """Read one layer of a geodata file into geometries (file CRS) and attribute columns."""
    path = Path(path)
    fmt = check_file(path)
    source = str(path)
    wanted_layer = layer
    if path.suffix.lower() in (".zip", ".kmz"):
        member = check_zip(path, wanted=layer)
        source = f"/vsizip/{path.resolve()}/{member}"
        fmt = FORMATS.get(PurePosixPath(member).suffix.lower(), fmt)
        if layer == PurePosixPath(member).stem:
            wanted_layer = None
    chosen = _choose_layer(source, path.name, wanted_layer)
    with warnings.catch_warnings():
        # GDAL speaks through warnings about things we check ourselves below.
        warnings.simplefilter("ignore")
        try:
            meta, _fids, wkb, field_data = pyogrio.raw.read(source, layer=chosen)
        except _PYOGRIO_ERRORS as err:
            raise _unreadable(path.name, str(err)) from err
    try:
        geometries = list(shapely.from_wkb(wkb)) if wkb is not None else []
    except shapely.errors.GEOSException as err:
        raise _unreadable(path.name, str(err)) from err
    fields = {
        str(name): (list(values.tolist()) if isinstance(values, np.ndarray) else list(values))
        for name, values in zip(meta["fields"], field_data, strict=True)
    }
    return RawLayer(geometries, fields, meta.get("crs"), fmt, chosen)
