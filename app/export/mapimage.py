"""A map per value drawn on the server with Pillow: the base map's tiles, the area outline, the 100 m grid.

The picture is in Web Mercator, the projection of XYZ tiles; a SWEREF 99 base map's tiles are
resampled into it. So the grid and outline sit on the streets where the browser shows them;
lengths on the scale bar are ground metres. The same drawing serves the residents' map without
JavaScript: markers and named places drawn on it, and `pixel_to_lat_lng` turns a click on the
image back into a point through the same `_Frame`.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from shapely import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from ..spatial import MERCATOR_HALF, SWEREF99_TM, WEB_MERCATOR, WGS84, reproject, transformer
from .source import GRID_METRES, GridCell

WIDTH, HEIGHT, MARGIN = 900, 640, 30
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
TILE = 256


def _font(size: int = 18) -> ImageFont.ImageFont:
    try:
        return ImageFont.truetype(FONT, size)
    except OSError:  # fonts-dejavu-core missing: Pillow's own small font still draws the label
        return ImageFont.load_default()


def _hex_rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


class _Frame:
    """The picture's window in Web Mercator: the outline fitted inside the margins."""

    def __init__(self, outline_wgs84: BaseGeometry, width: int = WIDTH, height: int = HEIGHT) -> None:
        self.width, self.height = width, height
        self.outline = reproject(outline_wgs84, WGS84, WEB_MERCATOR)
        min_x, min_y, max_x, max_y = self.outline.bounds
        self.scale = min((width - 2 * MARGIN) / max(max_x - min_x, 1),
                         (height - 2 * MARGIN) / max(max_y - min_y, 1))  # pixels per mercator metre
        centre_x, centre_y = (min_x + max_x) / 2, (min_y + max_y) / 2
        self.left = centre_x - width / 2 / self.scale
        self.top = centre_y + height / 2 / self.scale
        centre_lat = transformer(WEB_MERCATOR, WGS84).transform(centre_x, centre_y)[1]
        self.ground_scale = self.scale / math.cos(math.radians(centre_lat))  # pixels per ground metre

    def px(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.left) * self.scale, (self.top - y) * self.scale

    def lat_lng_px(self, lat: float, lng: float) -> tuple[float, float]:
        """The pixel of a WGS84 place."""
        return self.px(*transformer(WGS84, WEB_MERCATOR).transform(lng, lat))

    def lat_lng(self, x: float, y: float) -> tuple[float, float]:
        """The WGS84 (lat, lng) at a pixel."""
        lng, lat = transformer(WEB_MERCATOR, WGS84).transform(self.left + x / self.scale,
                                                              self.top - y / self.scale)
        return lat, lng


def pixel_to_lat_lng(outline_wgs84: BaseGeometry, x: float, y: float, width: int = WIDTH,
                     height: int = HEIGHT) -> tuple[float, float]:
    """The WGS84 (lat, lng) at pixel (x, y) of the map that value_map_png draws at this size."""
    return _Frame(outline_wgs84, width, height).lat_lng(x, y)


def _paint_tiles(image: Image.Image, frame: _Frame, basemap) -> bool:
    """Paste the base map's tiles under the picture; False if the upstream gave none."""
    from ..basemap.tiles import UpstreamUnavailable, source_of, tile_bytes

    source = source_of(basemap)
    if basemap.crs != WEB_MERCATOR:
        return _paint_projected_tiles(image, frame, basemap, source)
    wanted = math.log2(frame.scale * 2 * MERCATOR_HALF / TILE)
    z = max(source.min_zoom, min(source.max_zoom, math.ceil(wanted)))
    size = 2 * MERCATOR_HALF / 2**z  # mercator metres per tile
    shown = size * frame.scale  # pixels per tile in the picture
    first_x = int((frame.left + MERCATOR_HALF) // size)
    first_y = int((MERCATOR_HALF - frame.top) // size)
    columns, rows = math.ceil(frame.width / shown) + 1, math.ceil(frame.height / shown) + 1
    painted = False
    for tx in range(first_x, first_x + columns + 1):
        for ty in range(first_y, first_y + rows + 1):
            try:
                data, _mimetype = tile_bytes(source, z, tx, ty)
            except UpstreamUnavailable:
                return painted
            tile = Image.open(io.BytesIO(data)).convert("RGBA")
            x0, y0 = frame.px(-MERCATOR_HALF + tx * size, MERCATOR_HALF - ty * size)
            x1, y1 = frame.px(-MERCATOR_HALF + (tx + 1) * size, MERCATOR_HALF - (ty + 1) * size)
            width, height = round(x1) - round(x0), round(y1) - round(y0)
            if width > 0 and height > 0:
                tile = tile.resize((width, height), Image.Resampling.LANCZOS)
                image.paste(tile, (round(x0), round(y0)), tile)  # clipped at the picture's edges
                painted = True
    return painted


MAX_PROJECTED_TILES = 80  # a picture of 900 x 640 px needs about 12 tiles of the right matrix


def _paint_projected_tiles(image: Image.Image, frame: _Frame, basemap, source) -> bool:
    """Paste a SWEREF 99 base map's tiles under the Web Mercator picture, resampled pixel by pixel.

    Each pixel of the picture is projected into the base map's CRS and read from a mosaic of the
    tiles of the matrix nearest the picture's ground resolution (bilinear), so the streets lie
    where the grid and outline say. False if the upstream gave no tile.
    """
    from ..basemap.tiles import UpstreamUnavailable, tile_bytes

    matrices = basemap.tile_matrix or []
    filled = [i for i, m in enumerate(matrices) if m["width"] and source.min_zoom <= i <= source.max_zoom]
    if not filled:
        return False
    columns, rows = np.meshgrid(np.arange(frame.width) + 0.5, np.arange(frame.height) + 0.5)
    x, y = transformer(WEB_MERCATOR, basemap.crs).transform(
        frame.left + columns / frame.scale, frame.top - rows / frame.scale)
    ground = 1 / frame.ground_scale  # metres per picture pixel
    z = min(filled, key=lambda i: abs(math.log2(matrices[i]["resolution"] / ground)))
    matrix = matrices[z]
    resolution, (origin_x, origin_y) = matrix["resolution"], matrix["origin"]
    span = TILE * resolution  # metres per tile
    first_col = max(0, int((x.min() - origin_x) // span))
    last_col = min(matrix["width"] - 1, int((x.max() - origin_x) // span))
    first_row = max(0, int((origin_y - y.max()) // span))
    last_row = min(matrix["height"] - 1, int((origin_y - y.min()) // span))
    if last_col < first_col or last_row < first_row or \
            (last_col - first_col + 1) * (last_row - first_row + 1) > MAX_PROJECTED_TILES:
        return False
    mosaic = np.zeros(((last_row - first_row + 1) * TILE, (last_col - first_col + 1) * TILE, 4), np.float32)
    painted = False
    for col in range(first_col, last_col + 1):
        for row in range(first_row, last_row + 1):
            try:
                data, _mimetype = tile_bytes(source, z, col, row)
            except UpstreamUnavailable:
                return False
            tile = Image.open(io.BytesIO(data)).convert("RGBA").resize((TILE, TILE))
            top, left = (row - first_row) * TILE, (col - first_col) * TILE
            mosaic[top:top + TILE, left:left + TILE] = np.asarray(tile, np.float32)
            painted = True
    u = (x - origin_x) / resolution - first_col * TILE - 0.5  # mosaic pixel, centre-based
    v = (origin_y - y) / resolution - first_row * TILE - 0.5
    u0, v0 = np.floor(u).astype(int), np.floor(v).astype(int)
    fu, fv = (u - u0)[..., None], (v - v0)[..., None]
    height, width = mosaic.shape[:2]

    def at(vv, uu):
        return mosaic[np.clip(vv, 0, height - 1), np.clip(uu, 0, width - 1)]

    picture = ((1 - fv) * ((1 - fu) * at(v0, u0) + fu * at(v0, u0 + 1))
               + fv * ((1 - fu) * at(v0 + 1, u0) + fu * at(v0 + 1, u0 + 1)))
    outside = (u < -0.5) | (v < -0.5) | (u > width - 0.5) | (v > height - 0.5)
    picture[outside] = 0  # beyond the tile matrix: the white background shows
    layer = Image.fromarray(np.clip(picture, 0, 255).astype(np.uint8), "RGBA")
    image.alpha_composite(layer)
    return painted


def value_map_png(outline_wgs84: BaseGeometry, cells: list[GridCell], value: str, colour: str,
                  min_count: int = 1, basemap=None, *, width: int = WIDTH, height: int = HEIGHT,
                  markers: Sequence[tuple[float, float, str]] = (),
                  places: Sequence[tuple[float, float, str]] = (), size: int = GRID_METRES,
                  fills: dict[tuple[int, int], str] | None = None,
                  legend: list[tuple[str | None, str]] | None = None,
                  shapes: Sequence[tuple[BaseGeometry, str]] = ()) -> bytes:
    """A PNG of the area with grid cells shaded by the number of pins on one value, on the base map;
    or, given fills (south-west corner -> colour, cells of `size` metres), with those colours and a
    legend.

    markers are (lat, lng, colour) drawn as rings; places are (lat, lng, name) drawn as labels;
    shapes are drawn routes and areas (WGS84 geometry, colour): areas tinted with a coloured
    edge, routes as coloured lines on a white casing.
    """
    frame = _Frame(outline_wgs84, width, height)
    image = Image.new("RGBA", (width, height), (255, 255, 255, 255))
    on_tiles = basemap is not None and _paint_tiles(image, frame, basemap)
    overlay = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    shown = [c for c in cells if c.counts[value] >= min_count] if fills is None else []
    most = max((c.counts[value] for c in shown), default=0)
    red, green, blue = _hex_rgb(colour)
    to_merc = transformer(SWEREF99_TM, WEB_MERCATOR)
    for cell in shown:
        alpha = int(60 + 195 * cell.counts[value] / most)
        e, n = cell.easting, cell.northing
        xs, ys = to_merc.transform([e, e + GRID_METRES, e + GRID_METRES, e],
                                   [n, n, n + GRID_METRES, n + GRID_METRES])
        draw.polygon([frame.px(x, y) for x, y in zip(xs, ys, strict=True)], fill=(red, green, blue, alpha))
    for (e, n), fill in (fills or {}).items():
        xs, ys = to_merc.transform([e, e + size, e + size, e], [n, n, n + size, n + size])
        draw.polygon([frame.px(x, y) for x, y in zip(xs, ys, strict=True)],
                     fill=(*_hex_rgb(fill), 215), outline=(77, 77, 77, 255))
    _areas(draw, frame, shapes)
    image = Image.alpha_composite(image, overlay)
    draw = ImageDraw.Draw(image)
    _routes(draw, frame, shapes)
    outline = frame.outline
    polygons = outline.geoms if isinstance(outline, MultiPolygon) else [outline]
    for polygon in polygons:
        if not isinstance(polygon, Polygon):
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            draw.line([frame.px(x, y) for x, y in ring.coords], fill=(26, 26, 26, 255), width=3)
    _points(draw, frame, places, markers)
    if legend:
        _legend(draw, legend)
    _scale_bar(draw, frame.ground_scale, width, height)
    if on_tiles and basemap.attribution:
        _attribution(draw, basemap.attribution, width, height)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _parts(geometry: BaseGeometry) -> list[BaseGeometry]:
    return list(geometry.geoms) if geometry.geom_type.startswith("Multi") else [geometry]


def _areas(draw: ImageDraw.ImageDraw, frame: _Frame, shapes) -> None:
    """Drawn areas, tinted in their value's colour with a solid edge (on the translucent overlay)."""
    for shape, colour in shapes:
        if "Polygon" not in shape.geom_type:
            continue
        rgb = _hex_rgb(colour)
        for polygon in _parts(reproject(shape, WGS84, WEB_MERCATOR)):
            ring = [frame.px(x, y) for x, y in polygon.exterior.coords]
            draw.polygon(ring, fill=(*rgb, 90))
            draw.line(ring, fill=(*rgb, 255), width=3)


def _routes(draw: ImageDraw.ImageDraw, frame: _Frame, shapes) -> None:
    """Drawn routes as lines in their value's colour on a white casing, so they read on any map."""
    for shape, colour in shapes:
        if "LineString" not in shape.geom_type:
            continue
        for line in _parts(reproject(shape, WGS84, WEB_MERCATOR)):
            points = [frame.px(x, y) for x, y in line.coords]
            draw.line(points, fill=(255, 255, 255, 255), width=8, joint="curve")
            draw.line(points, fill=(*_hex_rgb(colour), 255), width=4, joint="curve")


def _points(draw: ImageDraw.ImageDraw, frame: _Frame, places, markers) -> None:
    """Named places as labelled dots and markers as rings in their colour (lat, lng in WGS84)."""
    for lat, lng, name in places:
        x, y = frame.lat_lng_px(lat, lng)
        draw.ellipse([x - 4, y - 4, x + 4, y + 4], fill=(26, 26, 26, 255))
        draw.text((x + 7, y - 9), name, fill=(26, 26, 26, 255), font=_font(14),
                  stroke_width=2, stroke_fill=(255, 255, 255, 255))
    for lat, lng, colour in markers:
        x, y = frame.lat_lng_px(lat, lng)
        draw.ellipse([x - 11, y - 11, x + 11, y + 11], outline=(255, 255, 255, 255), width=7)
        draw.ellipse([x - 10, y - 10, x + 10, y + 10], outline=_hex_rgb(colour) + (255,), width=5)
        draw.line([(x - 3, y), (x + 3, y)], fill=(26, 26, 26, 255), width=2)
        draw.line([(x, y - 3), (x, y + 3)], fill=(26, 26, 26, 255), width=2)


def _attribution(draw: ImageDraw.ImageDraw, text: str, width: int = WIDTH, height: int = HEIGHT) -> None:
    """Whose map it is, bottom right on a light band, as the browser map shows it."""
    font = _font(13)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    x, y = width - (right - left) - 8, height - (bottom - top) - 8
    draw.rectangle([x - 4, y - 3, width, height], fill=(255, 255, 255, 220))
    draw.text((x, y - top), text, fill=(40, 40, 40, 255), font=font)


def _scale_bar(draw: ImageDraw.ImageDraw, scale: float, width: int = WIDTH, height: int = HEIGHT) -> None:
    """A scale bar of a round length (ground metres) and a north arrow, bottom left."""
    metres = next((m for m in (2000, 1000, 500, 200, 100) if m * scale <= width / 4), 100)
    x, y = MARGIN, height - 12
    draw.rectangle([x - 6, y - 22, x + metres * scale + 70, height - 2], fill=(255, 255, 255, 200))
    draw.line([(x, y), (x + metres * scale, y)], fill=(0, 0, 0, 255), width=4)
    label = f"{metres // 1000} km" if metres >= 1000 else f"{metres} m"
    draw.text((x + metres * scale + 8, y - 16), label, fill=(0, 0, 0, 255), font=_font())
    draw.text((width - MARGIN - 4, MARGIN - 20), "N", fill=(0, 0, 0, 255), font=_font())
    draw.polygon([(width - MARGIN + 3, MARGIN - 30), (width - MARGIN - 2, MARGIN - 22),
                  (width - MARGIN + 8, MARGIN - 22)], fill=(0, 0, 0, 255))


def _legend(draw: ImageDraw.ImageDraw, items: list[tuple[str | None, str]]) -> None:
    """Swatches and labels, top left; a None colour is an empty dashed-looking outline."""
    font = _font()
    x, y = 8, 6
    width = 30 + max(int(draw.textlength(label, font=font)) for _colour, label in items)
    draw.rectangle([x - 4, y - 4, x + width, y + 22 * len(items)], fill=(255, 255, 255, 255),
                   outline=(160, 160, 160, 255))
    for colour, label in items:
        box = [x, y, x + 16, y + 16]
        if colour:
            draw.rectangle(box, fill=(*_hex_rgb(colour), 255), outline=(77, 77, 77, 255))
        else:
            draw.rectangle(box, outline=(99, 99, 99, 255))
        draw.text((x + 22, y - 2), label, fill=(0, 0, 0, 255), font=font)
        y += 22
