"""Build the demo base map geodata/demo-basemap.pmtiles from the City of Stockholm's CC0 districts.

Raster PNG tiles in Web Mercator z/x/y: land, water (the districts with water cut out), district
borders and names. The dialogue's named places are not in the tiles: every map draws them as live
labels from the database (app/static/js/place-labels.js), so they follow the planners' list. Detailed around
the demo area (Husby), coarser over the rest of Stockholm. Run it again only to change the map:

    .venv/bin/python scripts/build_demo_basemap.py [--source DIR] [--out FILE]

The source folder holds `shapefile-fullsize/` (water cut out) and `shapefile-simplified/` (the
districts without holes, whose union is the municipality's outline); both are SWEREF 99 18 00,
declared only as ESRI WKT in the .prj. The output is committed; the source is not.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import numpy as np
import pyogrio.raw
import shapely
from PIL import Image, ImageDraw, ImageFont
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import Writer
from pyproj import CRS, Transformer
from shapely import MultiPolygon, Polygon
from shapely.ops import polylabel

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from app.spatial import WEB_MERCATOR, mercator_tile_bounds, mercator_tile_range  # noqa: E402

DEFAULT_SOURCE = ROOT.parent / "shared" / "realdata" / "stockholm-stadsdelar"
DEFAULT_OUT = ROOT / "geodata" / "demo-basemap.pmtiles"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
ATTRIBUTION = "Stadsdelar: Stockholms stad (CC0) · Platsdialog demokarta"

# (min zoom, max zoom, (west, south, east, north)): detail where residents pin, less far away.
HUSBY = (17.927, 59.411)
LEVELS = [
    (10, 13, (17.74, 59.22, 18.21, 59.45)),  # Stockholm municipality
    (14, 15, (HUSBY[0] - 0.075, HUSBY[1] - 0.035, HUSBY[0] + 0.075, HUSBY[1] + 0.035)),  # Järva
    (16, 17, (HUSBY[0] - 0.028, HUSBY[1] - 0.014, HUSBY[0] + 0.028, HUSBY[1] + 0.014)),  # Husby
]

SS = 2  # supersampling: draw at twice the size, then shrink, for smooth edges
TILE = 256
PAD = 96  # pixels around each tile that are drawn too, so labels cut by a tile edge continue
OUTSIDE = (226, 224, 218)  # outside Stockholm: not mapped in the source
LAND = (244, 241, 234)
WATER = (170, 206, 226)
BORDER = (150, 138, 160)
TEXT = (60, 56, 64)


def _read(path: Path) -> tuple[list[str], list]:
    """Names and geometries of a shapefile, reprojected from its .prj to Web Mercator."""
    shp = next(path.glob("*.shp"))
    meta, _fids, wkbs, fields = pyogrio.raw.read(shp)
    crs = CRS.from_wkt(shp.with_suffix(".prj").read_text())
    to_merc = Transformer.from_crs(crs, WEB_MERCATOR, always_xy=True)

    def project(xy: np.ndarray) -> np.ndarray:
        x, y = to_merc.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    names = [str(n) for n in fields[meta["fields"].tolist().index("name")]]
    return names, [shapely.transform(shapely.from_wkb(w), project) for w in wkbs]


def _polygons(geometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    return [g for part in getattr(geometry, "geoms", []) for g in _polygons(part)]


def _display_name(name: str) -> str:
    """HÄSSELBY GÅRD -> Hässelby gård (Swedish writes place names with one capital)."""
    words = name.lower().split(" ")
    return " ".join([words[0].capitalize(), *words[1:]])


class Layers:
    """The map's content in Web Mercator metres."""

    def __init__(self, source: Path) -> None:
        names, land_parts = _read(source / "shapefile-fullsize")
        _names, outline_parts = _read(source / "shapefile-simplified")
        self.land = shapely.make_valid(shapely.union_all(land_parts))
        municipality = shapely.make_valid(shapely.union_all(outline_parts))
        # The simplified outline and the detailed land disagree by a few metres along the edge:
        # opening the difference keeps lakes and bays and drops those slivers.
        water = shapely.difference(municipality, self.land).buffer(-25).buffer(25)
        self.water = [p for p in _polygons(water) if p.area > 5_000]
        self.municipality = municipality
        self.districts = land_parts
        self.borders = [shapely.boundary(shapely.make_valid(g)) for g in outline_parts]
        self.labels = []
        for name, geometry in zip(names, land_parts, strict=True):
            largest = max(_polygons(shapely.make_valid(geometry)), key=lambda p: p.area)
            anchor = polylabel(largest, tolerance=20)
            self.labels.append((_display_name(name), anchor.x, anchor.y, largest.area))
        self.labels.sort(key=lambda label: -label[3])


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_BOLD if bold else FONT, size)


def _placed_labels(layers: Layers, z: int) -> list[tuple[str, float, float, int]]:
    """District labels at zoom z that do not overlap, chosen once for the whole zoom."""
    if z < 12:
        return []
    metres_per_px = 2 * 20037508.342789244 / (TILE * 2**z)
    boxes: list[tuple[float, float, float, float]] = []
    chosen = []
    size = {12: 10, 13: 11, 14: 12}.get(z, 14)
    for name, x, y, _area in layers.labels:
        width, height = _font(size, True).getbbox(name)[2:]
        px, py = x / metres_per_px, -y / metres_per_px
        box = (px - width / 2 - 4, py - height / 2 - 4, px + width / 2 + 4, py + height / 2 + 4)
        if any(not (box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3]) for b in boxes):
            continue
        boxes.append(box)
        chosen.append((name, x, y, size))
    return chosen


def render_tile(layers: Layers, labels: list, z: int, x: int, y: int) -> bytes:
    """One 256 px PNG tile."""
    min_x, min_y, max_x, max_y = mercator_tile_bounds(z, x, y)
    scale = TILE * SS / (max_x - min_x)  # pixels (supersampled) per metre
    pad = PAD * SS / scale
    size = (TILE + 2 * PAD) * SS
    window = (min_x - pad, min_y - pad, max_x + pad, max_y + pad)

    def px(coords) -> list[tuple[float, float]]:
        return [((cx - window[0]) * scale, (window[3] - cy) * scale) for cx, cy in coords]

    image = Image.new("RGB", (size, size), OUTSIDE)
    draw = ImageDraw.Draw(image)

    def fill(geometry, colour, hole_colour) -> None:
        for polygon in _polygons(shapely.clip_by_rect(geometry, *window)):
            if polygon.is_empty:
                continue
            draw.polygon(px(polygon.exterior.coords), fill=colour)
            for ring in polygon.interiors:
                draw.polygon(px(ring.coords), fill=hole_colour)

    fill(layers.municipality, LAND, WATER)
    for polygon in layers.water:
        if shapely.intersects(polygon, shapely.box(*window)):
            fill(polygon, WATER, LAND)
    if z >= 12:
        width = (1 if z < 14 else 2) * SS
        for border in layers.borders:
            clipped = shapely.clip_by_rect(border, *window)
            for line in getattr(clipped, "geoms", [clipped]):
                if not line.is_empty and line.geom_type == "LineString":
                    draw.line(px(line.coords), fill=BORDER, width=width)
    for name, lx, ly, font_size in labels:
        (cx, cy), = px([(lx, ly)])
        # A label whose anchor lies off this tile may still reach into it (long names).
        if not (-300 * SS <= cx <= size + 300 * SS and -40 * SS <= cy <= size + 40 * SS):
            continue
        draw.text((cx, cy), name, font=_font(font_size * SS, bold=True), fill=TEXT,
                  anchor="mm", stroke_width=2 * SS, stroke_fill=LAND)
    image = image.crop((PAD * SS, PAD * SS, (PAD + TILE) * SS, (PAD + TILE) * SS))
    image = image.resize((TILE, TILE), Image.Resampling.LANCZOS).quantize(colors=48)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def build(source: Path, out: Path) -> int:
    """Render every tile of LEVELS into a PMTiles file; the number of tiles written."""
    layers = Layers(source)
    tiles: dict[int, tuple[int, int, int]] = {}
    for min_zoom, max_zoom, bounds in LEVELS:
        for z in range(min_zoom, max_zoom + 1):
            x0, y0, x1, y1 = mercator_tile_range(bounds, z)
            for tx in range(x0, x1 + 1):
                for ty in range(y0, y1 + 1):
                    tiles[zxy_to_tileid(z, tx, ty)] = (z, tx, ty)
    labels_by_zoom: dict[int, list] = {}
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as f:
        writer = Writer(f)
        for tile_id in sorted(tiles):
            z, tx, ty = tiles[tile_id]
            if z not in labels_by_zoom:
                labels_by_zoom[z] = _placed_labels(layers, z)
            writer.write_tile(tile_id, render_tile(layers, labels_by_zoom[z], z, tx, ty))
        west, south, east, north = LEVELS[0][2]
        writer.finalize(
            {
                "tile_type": TileType.PNG,
                "tile_compression": Compression.NONE,
                "min_lon_e7": int(west * 1e7), "min_lat_e7": int(south * 1e7),
                "max_lon_e7": int(east * 1e7), "max_lat_e7": int(north * 1e7),
                "center_zoom": 15, "center_lon_e7": int(HUSBY[0] * 1e7),
                "center_lat_e7": int(HUSBY[1] * 1e7),
            },
            {
                "name": "Platsdialog demokarta: Stockholm",
                "attribution": ATTRIBUTION,
                "description": "Land, vatten, stadsdelsgränser och namn från Stockholms stads "
                               "stadsdelskarta (CC0 1.0).",
                "license": "CC0 1.0",
            },
        )
    return len(tiles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    count = build(args.source, args.out)
    print(f"{count} tiles, {args.out.stat().st_size / 1e6:.1f} MB -> {args.out}")


if __name__ == "__main__":
    main()
