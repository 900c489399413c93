"""Raster tile files the app serves itself: PMTiles, MBTiles and GeoPackage tile pyramids.

`inspect_tile_file` checks a file before it is stored (format, CRS, zooms, bounds) and says
what is wrong in a plain sentence; `read_tile` answers one Web Mercator z/x/y tile from it.
MBTiles and GeoPackage are SQLite tables, read with plain SQL through a read-only connection.
"""

from __future__ import annotations

import sqlite3
import struct
import threading
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask_babel import lazy_gettext as _l
from pmtiles.reader import MmapSource, Reader
from pmtiles.tile import (
    Compression,
    TileType,
    deserialize_directory,
    deserialize_header,
    find_tile,
    zxy_to_tileid,
)

from ..spatial import MERCATOR_HALF, WEB_MERCATOR, WGS84, transformer

IMAGE_FORMATS = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}
_PMTILES_FORMATS = {TileType.PNG: "png", TileType.JPEG: "jpg", TileType.WEBP: "webp"}


VECTOR_TILES = _l("The file holds vector tiles; a base map must be raster tiles (PNG, JPEG or WebP).")


class BaseMapError(ValueError):
    """A tile source that cannot be used, with a sentence for the person who offered it."""


@dataclass(frozen=True)
class TileFileInfo:
    """What a tile file holds: its kind, image format, zoom range and WGS84 bounds."""

    kind: str
    image_format: str
    min_zoom: int
    max_zoom: int
    bounds: tuple[float, float, float, float]  # west, south, east, north
    attribution: str = ""
    name: str = ""


def _kind_of(path: Path) -> str:
    with path.open("rb") as f:
        head = f.read(16)
    if head.startswith(b"PMTiles"):
        return "pmtiles"
    if head.startswith(b"SQLite format 3\x00"):
        with _connect(path) as db:
            tables = {row[0] for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        if "gpkg_contents" in tables:
            return "gpkg"
        if {"tiles", "metadata"} <= tables:
            return "mbtiles"
    raise BaseMapError(_l("The file is not a PMTiles, MBTiles or GeoPackage tile file."))


def _quoted(table: str) -> str:
    """A table name from the file as a quoted SQL identifier (a name with quotes stays one name)."""
    return '"' + table.replace('"', '""') + '"'


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)


def inspect_tile_file(path: Path) -> TileFileInfo:
    """The contents of a raster tile file, or BaseMapError saying why it cannot be a base map."""
    try:
        kind = _kind_of(path)
        if kind == "pmtiles":
            return _inspect_pmtiles(path)
        with _connect(path) as db:
            return _inspect_mbtiles(db) if kind == "mbtiles" else _inspect_gpkg(db)
    except (sqlite3.Error, OSError, EOFError, zlib.error, KeyError, ValueError, IndexError, TypeError,
            struct.error) as err:
        if isinstance(err, BaseMapError):
            raise
        raise BaseMapError(_l("The tile file could not be read: it is damaged or incomplete.")) from err


def _check_zooms(min_zoom: int, max_zoom: int) -> None:
    if not (0 <= min_zoom <= max_zoom <= 24):
        raise BaseMapError(_l("The file's zoom levels are not valid."))
    if max_zoom < 12:
        raise BaseMapError(_l("The file's most detailed zoom level is %(zoom)s; a base map for pinning "
                              "needs tiles at zoom level 12 or closer.", zoom=max_zoom))


def _inspect_pmtiles(path: Path) -> TileFileInfo:
    with path.open("rb") as f:
        reader = Reader(MmapSource(f))
        header = reader.header()
        metadata = reader.metadata()
    if header.get("version", 3) != 3:
        raise BaseMapError(_l("Only PMTiles version 3 files are supported."))
    image_format = _PMTILES_FORMATS.get(header["tile_type"])
    if image_format is None:
        raise BaseMapError(VECTOR_TILES)
    if header["tile_compression"] not in (Compression.NONE, Compression.UNKNOWN):
        raise BaseMapError(
            _l("The file's image tiles are compressed a second time; write them uncompressed."))
    _check_zooms(header["min_zoom"], header["max_zoom"])
    bounds = tuple(header[k] / 1e7 for k in ("min_lon_e7", "min_lat_e7", "max_lon_e7", "max_lat_e7"))  # noqa: E501
    return TileFileInfo("pmtiles", image_format, header["min_zoom"], header["max_zoom"], bounds,
                        str(metadata.get("attribution", "")), str(metadata.get("name", "")))


def _inspect_mbtiles(db: sqlite3.Connection) -> TileFileInfo:
    meta = dict(db.execute("SELECT name, value FROM metadata").fetchall())
    image_format = (meta.get("format") or "").lower()
    if image_format in ("pbf", "mvt"):
        raise BaseMapError(VECTOR_TILES)
    if image_format not in IMAGE_FORMATS:
        raise BaseMapError(_l("The file does not say its image format (PNG, JPEG or WebP)."))
    min_zoom, max_zoom, count = db.execute(
        "SELECT min(zoom_level), max(zoom_level), count(*) FROM tiles").fetchone()
    if not count:
        raise BaseMapError(_l("The file holds no tiles."))
    _check_zooms(int(meta.get("minzoom", min_zoom)), int(meta.get("maxzoom", max_zoom)))
    if "bounds" in meta:
        bounds = tuple(float(v) for v in meta["bounds"].split(","))
    else:
        bounds = _tile_extent_wgs84(db, "tiles", max_zoom, tms=True)
    return TileFileInfo("mbtiles", "jpg" if image_format == "jpeg" else image_format, int(min_zoom),
                        int(max_zoom), bounds, meta.get("attribution", ""), meta.get("name", ""))


def _tile_extent_wgs84(db, table: str, z: int, tms: bool) -> tuple[float, float, float, float]:
    x0, x1, r0, r1 = db.execute(
        "SELECT min(tile_column), max(tile_column), min(tile_row), max(tile_row) "  # noqa: S608
        f"FROM {_quoted(table)} WHERE zoom_level = ?", (z,)).fetchone()
    size = 2 * MERCATOR_HALF / 2**z
    if tms:  # MBTiles counts rows from the south
        r0, r1 = 2**z - 1 - r1, 2**z - 1 - r0
    (west, east), (north, south) = transformer(WEB_MERCATOR, WGS84).transform(
        [-MERCATOR_HALF + x0 * size, -MERCATOR_HALF + (x1 + 1) * size],
        [MERCATOR_HALF - r0 * size, MERCATOR_HALF - (r1 + 1) * size])
    return west, south, east, north


def _inspect_gpkg(db: sqlite3.Connection) -> TileFileInfo:
    rows = db.execute("SELECT table_name, srs_id FROM gpkg_contents WHERE data_type = 'tiles'").fetchall()
    if not rows:
        raise BaseMapError(_l("The GeoPackage holds no tile pyramid (only vector layers)."))
    table, srs_id = rows[0]
    organisation, code = db.execute(
        "SELECT organization, organization_coordsys_id FROM gpkg_spatial_ref_sys WHERE srs_id = ?",
        (srs_id,)).fetchone()
    if str(organisation).upper() != "EPSG" or int(code) != WEB_MERCATOR:
        raise BaseMapError(_l("The GeoPackage's tiles are in %(crs)s; a tile file must be in Web Mercator "
                              "(EPSG:3857). Offer a SWEREF 99 map as a WMTS instead.",
                              crs=f"{organisation}:{code}"))
    min_x, min_y, max_x, max_y = db.execute(
        "SELECT min_x, min_y, max_x, max_y FROM gpkg_tile_matrix_set WHERE table_name = ?",
        (table,)).fetchone()
    matrices = db.execute(
        "SELECT zoom_level, matrix_width, matrix_height, tile_width, tile_height "
        "FROM gpkg_tile_matrix WHERE table_name = ? ORDER BY zoom_level", (table,)).fetchall()
    world = all(abs(abs(v) - MERCATOR_HALF) < 1 for v in (min_x, min_y, max_x, max_y))
    off_grid = any(w != 2**z or h != 2**z or tw != 256 or th != 256 for z, w, h, tw, th in matrices)
    if not world or off_grid:
        raise BaseMapError(_l("The GeoPackage's tile pyramid does not follow the web map tile grid; "
                              "write it with gdal_translate -co TILING_SCHEME=GoogleMapsCompatible."))
    zooms = db.execute(
        f"SELECT min(zoom_level), max(zoom_level), count(*) FROM {_quoted(table)}"  # noqa: S608
    ).fetchone()
    if not zooms[2]:
        raise BaseMapError(_l("The file holds no tiles."))
    _check_zooms(zooms[0], zooms[1])
    blob = db.execute(f"SELECT tile_data FROM {_quoted(table)} LIMIT 1").fetchone()[0]  # noqa: S608
    image_format = "jpg" if blob[:2] == b"\xff\xd8" else "webp" if blob[8:12] == b"WEBP" else "png"
    bounds = _tile_extent_wgs84(db, table, zooms[1], tms=False)
    return TileFileInfo("gpkg", image_format, zooms[0], zooms[1], bounds, "", table)


# Readers stay open in the worker: a tile answer is then one lookup, not an open().
_local = threading.local()


class _PMTilesFile:
    """A PMTiles file with its header and directories parsed once, not on every tile.

    The pmtiles package's Reader.get decompresses and parses the root directory for each tile,
    which made a tile cost milliseconds; the parsed directories are kept here instead.
    """

    def __init__(self, path: str) -> None:
        with open(path, "rb") as f:  # the memory map keeps its own handle on the file
            self.get_bytes = MmapSource(f)
        self.header = deserialize_header(self.get_bytes(0, 127))

    @lru_cache(maxsize=256)  # noqa: B019 - one instance per file, kept for the worker's life
    def directory(self, offset: int, length: int) -> list:
        return deserialize_directory(self.get_bytes(offset, length))

    def get(self, z: int, x: int, y: int) -> bytes | None:
        tile_id = zxy_to_tileid(z, x, y)
        offset, length = self.header["root_offset"], self.header["root_length"]
        for _depth in range(4):
            entry = find_tile(self.directory(offset, length), tile_id)
            if entry is None:
                return None
            if entry.run_length:
                return self.get_bytes(self.header["tile_data_offset"] + entry.offset, entry.length)
            offset, length = self.header["leaf_directory_offset"] + entry.offset, entry.length
        return None


@lru_cache(maxsize=16)
def _pmtiles_reader(path: str) -> _PMTilesFile:
    return _PMTilesFile(path)


def _sqlite(path: str) -> sqlite3.Connection:
    connections = getattr(_local, "connections", None)
    if connections is None:
        connections = _local.connections = {}
    if path not in connections:
        connections[path] = _connect(Path(path))
    return connections[path]


@lru_cache(maxsize=16)
def _gpkg_table(path: str) -> str:
    return _sqlite(path).execute(
        "SELECT table_name FROM gpkg_contents WHERE data_type = 'tiles'").fetchone()[0]


def read_tile(path: Path, kind: str, z: int, x: int, y: int) -> bytes | None:
    """The image bytes of XYZ tile z/x/y from a tile file, or None where it has none."""
    key = str(path)
    if kind == "pmtiles":
        return _pmtiles_reader(key).get(z, x, y)
    if kind == "mbtiles":
        row = _sqlite(key).execute(
            "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
            (z, x, 2**z - 1 - y)).fetchone()
    elif kind == "gpkg":
        row = _sqlite(key).execute(
            f"SELECT tile_data FROM {_quoted(_gpkg_table(key))} "  # noqa: S608
            "WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?", (z, x, y)).fetchone()
    else:
        raise ValueError(kind)
    return row[0] if row else None
