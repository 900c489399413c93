"""Tile files for base map tests: the demo PMTiles, and MBTiles / GeoPackage copies of its tiles."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from pmtiles.reader import MmapSource, Reader, all_tiles

from app.spatial import MERCATOR_HALF, mercator_tile_range

REPO = Path(__file__).resolve().parents[1]
DEMO_BASEMAP = REPO / "geodata" / "demo-basemap.pmtiles"
# (west, south, east, north) around the demo area
HUSBY_BOUNDS = (17.90, 59.40, 17.95, 59.425)
# A dialogue page's tile URL template on our origin: /kartor/<id>/<version>/{z}/{x}/{y}
TILE_TEMPLATE = re.compile(r'"(/kartor/\d+/[0-9a-f]+)/\{z\}/\{x\}/\{y\}"')


def demo_tiles(bounds=HUSBY_BOUNDS, zooms=range(12, 18)) -> dict[tuple[int, int, int], bytes]:
    """(z, x, y) -> PNG bytes of the demo base map's tiles over bounds."""
    with DEMO_BASEMAP.open("rb") as f:
        reader = Reader(MmapSource(f))
        tiles = {}
        for z in zooms:
            x0, y0, x1, y1 = mercator_tile_range(bounds, z)
            for x in range(x0, x1 + 1):
                for y in range(y0, y1 + 1):
                    data = reader.get(z, x, y)
                    if data:
                        tiles[(z, x, y)] = data
    return tiles


def all_demo_tiles() -> list[tuple[tuple[int, int, int], bytes]]:
    """Every tile of the demo base map."""
    with DEMO_BASEMAP.open("rb") as f:
        return list(all_tiles(MmapSource(f)))


def write_mbtiles(path: Path, tiles: dict, *, image_format: str = "png", bounds=HUSBY_BOUNDS,
                  minzoom: int | None = None, maxzoom: int | None = None) -> Path:
    """An MBTiles file (TMS rows) holding these tiles."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, "
               "tile_data BLOB)")
    zooms = [z for z, _x, _y in tiles]
    meta = {"name": "Test", "format": image_format, "bounds": ",".join(map(str, bounds)),
            "minzoom": str(minzoom if minzoom is not None else min(zooms, default=0)),
            "maxzoom": str(maxzoom if maxzoom is not None else max(zooms, default=0)),
            "attribution": "Testkarta"}
    db.executemany("INSERT INTO metadata VALUES (?, ?)", meta.items())
    db.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)",
                   [(z, x, 2**z - 1 - y, data) for (z, x, y), data in tiles.items()])
    db.commit()
    db.close()
    return path


def write_gpkg(path: Path, tiles: dict, *, epsg: int = 3857) -> Path:
    """A GeoPackage tile pyramid on the global Web Mercator grid (or claiming another CRS)."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA application_id = 1196444487")
    db.executescript("""
        CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY,
            organization TEXT, organization_coordsys_id INTEGER, definition TEXT, description TEXT);
        CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT, identifier TEXT,
            description TEXT, last_change TEXT, min_x REAL, min_y REAL, max_x REAL, max_y REAL,
            srs_id INTEGER);
        CREATE TABLE gpkg_tile_matrix_set (table_name TEXT PRIMARY KEY, srs_id INTEGER, min_x REAL,
            min_y REAL, max_x REAL, max_y REAL);
        CREATE TABLE gpkg_tile_matrix (table_name TEXT, zoom_level INTEGER, matrix_width INTEGER,
            matrix_height INTEGER, tile_width INTEGER, tile_height INTEGER, pixel_x_size REAL,
            pixel_y_size REAL);
        CREATE TABLE karta (id INTEGER PRIMARY KEY, zoom_level INTEGER, tile_column INTEGER,
            tile_row INTEGER, tile_data BLOB);
    """)
    db.execute("INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, 'EPSG', ?, 'undefined', '')",
               (f"EPSG:{epsg}", epsg, epsg))
    h = MERCATOR_HALF
    db.execute("INSERT INTO gpkg_contents VALUES ('karta', 'tiles', 'karta', '', '2026-12-01', "
               "?, ?, ?, ?, ?)", (-h, -h, h, h, epsg))
    db.execute("INSERT INTO gpkg_tile_matrix_set VALUES ('karta', ?, ?, ?, ?, ?)", (epsg, -h, -h, h, h))
    for z in sorted({z for z, _x, _y in tiles}):
        size = 2 * h / 2**z / 256
        db.execute("INSERT INTO gpkg_tile_matrix VALUES ('karta', ?, ?, ?, 256, 256, ?, ?)",
                   (z, 2**z, 2**z, size, size))
    db.executemany("INSERT INTO karta (zoom_level, tile_column, tile_row, tile_data) VALUES (?, ?, ?, ?)",
                   [(z, x, y, data) for (z, x, y), data in tiles.items()])
    db.commit()
    db.close()
    return path


def add_demo_basemap(municipality_id: int | None = None, **fields):
    """The demo base map added through the service (site-wide unless a municipality is given)."""
    from app.basemap.service import add_file_basemap
    from app.extensions import db

    fields.setdefault("name", "Demokarta")
    fields.setdefault("licence", "CC0 1.0")
    basemap = add_file_basemap(DEMO_BASEMAP, municipality_id=municipality_id, **fields)
    db.session.commit()
    return basemap.id
