"""GeoPackage (for QGIS and ArcGIS, any SWEREF 99 CRS) and GeoJSON (RFC 7946, WGS84) exports."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import shapely
from pyogrio.raw import write, write_arrow

from ..analysis.balance import balance
from ..analysis.grid import GRID_SIZES
from ..domain import SENTIMENTS, VALUES
from ..models import Dialogue
from ..spatial import SWEREF99_TM, WGS84, geojson_geometry, reproject
from .source import (
    PIN_COLUMNS,
    ExportOptions,
    GridCell,
    area_shape,
    grid_cells,
    iter_pins,
    named_places,
    photo_name,
    pin_batches,
)
from .styles import write_layer_styles

# GDAL 3.6 (Debian 12's ogrinfo) reads GeoPackage 1.3 without warnings; 1.4 only "partially".
_DATASET = {"VERSION": "1.3"}



def _strings(values) -> np.ndarray:
    return np.array(values, dtype=object)


def _write(path: Path, layer: str, wkb, fields: dict, geometry_type: str, crs: int, append: bool
           ) -> None:
    write(str(path), np.array(wkb, dtype=object), list(fields.values()), list(fields), layer=layer,
          driver="GPKG", geometry_type=geometry_type, crs=f"EPSG:{crs}", append=append,
          dataset_options=None if append else _DATASET, promote_to_multi=False)


_TEXT_COLUMNS = tuple(c for c in PIN_COLUMNS if c not in ("pin_id", "has_photo", "created_at"))


def _pin_schema(photos: bool) -> pa.Schema:
    """The pins layer's columns: the geometry as WKB, then the attributes QGIS shows."""
    return pa.schema([
        ("geom", pa.binary()), ("pin_id", pa.int64()),
        *((name, pa.string()) for name in _TEXT_COLUMNS),
        ("hidden", pa.int32()), ("has_photo", pa.int32()),
        *((("photo", pa.string()),) if photos else ()),
        ("created_at_utc", pa.timestamp("ms")),  # naive UTC
    ])


_WKB_POINT = np.dtype([("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")])  # 21 bytes


def point_wkb(x: np.ndarray, y: np.ndarray) -> pa.Array:
    """Little-endian WKB points as an Arrow binary array, null where x is NaN (no map point);
    built from buffers, with no geometry objects (a million points in a few milliseconds)."""
    points = np.empty(len(x), dtype=_WKB_POINT)
    points["order"], points["type"], points["x"], points["y"] = 1, 1, x, y
    offsets = np.arange(len(x) + 1, dtype="int32") * _WKB_POINT.itemsize
    present = pa.array(~np.isnan(x))
    return pa.Array.from_buffers(pa.binary(), len(x), [
        present.buffers()[1] if present.false_count else None,
        pa.py_buffer(offsets), pa.py_buffer(points.tobytes())],
        null_count=present.false_count)


def _pin_batch(batch: dict, schema: pa.Schema) -> pa.RecordBatch:
    """One batch of pins (x/y already in the target CRS) as Arrow columns under the schema."""
    columns = {
        "geom": point_wkb(batch["x"], batch["y"]), "pin_id": batch["pin_id"],
        **{name: batch[name] for name in _TEXT_COLUMNS},
        "hidden": np.array([s == "hidden" for s in batch["moderation_state"]], dtype="int32"),
        "has_photo": np.asarray(batch["has_photo"], dtype="int32"),
        "created_at_utc": batch["created_at"],
    }
    if "photo" in schema.names:
        columns["photo"] = [None if p is None else photo_name(i)
                            for i, p in zip(batch["pin_id"], batch["photo_id"], strict=True)]
    return pa.RecordBatch.from_arrays(
        [c if isinstance(c := columns[f.name], pa.Array) else pa.array(c, type=f.type)
         for f in schema], schema=schema)


def _write_pins(path: Path, dialogue_id: int, options: ExportOptions) -> int:
    """Stream the points (and comments off the map) into the pins layer in one pass, GDAL building
    the R-tree once at the end; the few drawn routes and areas go to the lines and areas layers."""
    schema = _pin_schema(options.photos)
    total = 0
    drawn: list[dict] = []

    def batches() -> Iterator[pa.RecordBatch]:
        nonlocal total
        for batch in pin_batches(dialogue_id, options):
            total += len(batch["pin_id"])
            points, shapes = _split_drawn(batch)
            drawn.extend(shapes)
            yield _pin_batch(points, schema)

    write_arrow(pa.RecordBatchReader.from_batches(schema, batches()), str(path), layer="pins",
                driver="GPKG", geometry_name="geom", geometry_type="Point",
                crs=f"EPSG:{options.crs}", append=True)
    for kind, layer, size in (("line", "lines", "length_m"), ("area", "areas", "area_m2")):
        _write_drawn(path, layer, size, [d for d in drawn if d["shape_kind"] == kind], options)
    return total


def _split_drawn(batch: dict) -> tuple[dict, list[dict]]:
    """A batch without its drawn routes and areas, and those as one dict per pin."""
    drawn = [i for i, shape in enumerate(batch["shape"]) if shape is not None]
    if not drawn:
        return batch, []
    keep = np.ones(len(batch["pin_id"]), dtype=bool)
    keep[drawn] = False
    points = {key: column[keep] if isinstance(column, np.ndarray)
              else [v for v, k in zip(column, keep, strict=True) if k]
              for key, column in batch.items()}
    return points, [{key: column[i] for key, column in batch.items()} for i in drawn]


def _write_drawn(path: Path, layer: str, size_column: str, pins: list[dict],
                 options: ExportOptions) -> None:
    """The lines or areas layer: each drawn answer's own geometry in the chosen CRS, its length or
    area in SWEREF 99 TM, and the pins layer's attributes."""
    multi = shapely.MultiLineString if layer == "lines" else shapely.MultiPolygon
    shapes = [reproject(p["shape"], WGS84, options.crs) for p in pins]
    fields: dict[str, np.ndarray] = {
        "pin_id": np.array([p["pin_id"] for p in pins], dtype="int64"),
        **{name: _strings([p[name] for p in pins]) for name in _TEXT_COLUMNS},
        size_column: np.array([p[size_column] for p in pins], dtype="float64"),
        "hidden": np.array([p["moderation_state"] == "hidden" for p in pins], dtype="int32"),
        "has_photo": np.array([p["has_photo"] for p in pins], dtype="int32"),
        "created_at_utc": np.array([p["created_at"] for p in pins], dtype="datetime64[ms]"),
    }
    if options.photos:
        fields["photo"] = _strings([photo_name(p["pin_id"]) if p["has_photo"] else None
                                    for p in pins])
    _write(path, layer, [shapely.to_wkb(s if s.geom_type.startswith("Multi") else multi([s]))
                         for s in shapes], fields,
           "MultiLineString" if layer == "lines" else "MultiPolygon", options.crs, append=True)


def write_gpkg(dialogue: Dialogue, options: ExportOptions, path: Path) -> int:
    """Write layers area, pins, lines, areas, named_places, grid_100m and grid_250m, styled for
    QGIS in the file's layer_styles table; return the number of comments."""
    crs = options.crs
    outline, area = area_shape(dialogue.area_id)
    _write(path, "area", [shapely.to_wkb(reproject(outline, WGS84, crs))], {
        "name": _strings([area.name]), "area_km2": np.array([area.area_km2]),
        "dialogue": _strings([dialogue.title]), "diarienummer": _strings([dialogue.diarienummer or ""]),
    }, "MultiPolygon", crs, append=False)

    total = _write_pins(path, dialogue.id, options)  # an empty layer still has the columns

    places = named_places(dialogue.area_id)
    _write(path, "named_places", [
        None if geom is None else shapely.to_wkb(reproject(geom, WGS84, crs)) for _, geom in places
    ], {"name": _strings([name for name, _ in places])}, "Point", crs, append=True)

    for size in GRID_SIZES:
        _write_grid(path, dialogue.id, options, size)
    write_layer_styles(path, ["area", "pins", "lines", "areas", "named_places",
                              *(f"grid_{s}m" for s in GRID_SIZES)])
    from ..population.export import write_gpkg_table

    write_gpkg_table(path, dialogue)  # respondents against inhabitants, when compared
    return total


def _assessment(cell: GridCell, value: str) -> float | None:
    """How the place fares on the value in the cell: (positive - negative) / (positive +
    negative), from -1 (only problems) to 1 (only what works); None without either."""
    positive, negative = cell.count(value, "positive"), cell.count(value, "negative")
    return (positive - negative) / (positive + negative) if positive + negative else None


def _write_grid(path: Path, dialogue_id: int, options: ExportOptions, size: int) -> None:
    """One grid layer: comments per value and sentiment (routes and areas by their share of the
    cell), each value's assessment, the balance of attention over the three values and the value
    with most comments."""
    cells = grid_cells(dialogue_id, options, size)
    crs = options.crs
    polygons = [shapely.box(c.easting, c.northing, c.easting + size, c.northing + size)
                for c in cells]
    fields: dict[str, np.ndarray] = {
        "cell_e": np.array([c.easting for c in cells], dtype="int64"),
        "cell_n": np.array([c.northing for c in cells], dtype="int64"),
    }
    # Real, not integer: a route or area adds its share of the cell (analysis/grid.py).
    for value in VALUES:
        fields[value] = np.array([c.counts[value] for c in cells], dtype="float64")
    fields["total"] = np.array([c.total for c in cells], dtype="float64")
    for value in VALUES:
        for sentiment in SENTIMENTS:
            fields[f"{value}_{sentiment}"] = np.array([c.count(value, sentiment) for c in cells],
                                                      dtype="float64")
        fields[f"{value}_assessment"] = np.array(
            [np.nan if (a := _assessment(c, value)) is None else round(a, 4) for c in cells],
            dtype="float64")
    attention = [balance(c.counts) for c in cells]
    fields["attention_balance"] = np.array(
        [np.nan if b.index is None else round(b.index, 4) for b in attention], dtype="float64")
    fields["dominant"] = _strings([b.dominant for b in attention])
    _write(path, f"grid_{size}m", [shapely.to_wkb(reproject(p, SWEREF99_TM, crs)) for p in polygons],
           fields, "Polygon", crs, append=True)


def _metres(value: float | None) -> float | None:
    """A length or area in SWEREF 99 TM rounded to a tenth (the drawing is no finer)."""
    return None if value is None else round(float(value), 1)


def _feature(pin: dict, photos: bool) -> dict:
    geometry = None
    if pin["shape"] is not None:  # a drawn route or area: its own LineString or Polygon
        geometry = geojson_geometry(pin["shape"], 7)
    elif pin["location_kind"] == "map" and not np.isnan(pin["lng"]):
        # 7 decimals: about 1 cm, the precision of the stored point (RFC 7946 section 11.2).
        geometry = {"type": "Point",
                    "coordinates": [round(float(pin["lng"]), 7), round(float(pin["lat"]), 7)]}
    properties = {name: pin[name] for name in PIN_COLUMNS}
    properties["length_m"] = _metres(pin["length_m"])
    properties["area_m2"] = _metres(pin["area_m2"])
    properties["has_photo"] = bool(pin["has_photo"])
    if photos:
        properties["photo"] = photo_name(pin["pin_id"]) if pin["has_photo"] else None
    properties["hidden"] = pin["moderation_state"] == "hidden"
    properties["created_at"] = pin["created_at"].isoformat() + "Z"
    return {"type": "Feature", "id": pin["pin_id"], "geometry": geometry, "properties": properties}


def geojson_chunks(dialogue: Dialogue, options: ExportOptions) -> Iterator[str]:
    """An RFC 7946 FeatureCollection (WGS84 lon/lat, no crs member), written piece by piece."""
    options = ExportOptions(crs=WGS84, include_hidden=options.include_hidden, photos=options.photos)
    # Read now, not when the body is streamed: by then the audit row is committed and the
    # dialogue detached from the request's session (see http.download).
    head = '{"type": "FeatureCollection", "name": ' + json.dumps(dialogue.title, ensure_ascii=False) \
        + ', "diarienummer": ' + json.dumps(dialogue.diarienummer)  # a foreign member (RFC 7946 6.1)
    return _feature_collection(head, iter_pins(dialogue.id, options), options.photos)


def _feature_collection(head: str, pins: Iterator[dict], photos: bool) -> Iterator[str]:
    yield head
    yield ', "features": ['
    first = True
    for pin in pins:
        yield ("" if first else ",\n") + json.dumps(_feature(pin, photos), ensure_ascii=False)
        first = False
    yield "]}\n"
