"""A map per value drawn on the server with Pillow: the base map's tiles, the area outline, the 100 m grid.

The picture is in Web Mercator, the projection of the tiles, so the grid and outline sit on the
streets where the browser shows them; lengths on the scale bar are ground metres.
"""

from __future__ import annotations

import io
import math

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

    def __init__(self, outline_wgs84: BaseGeometry) -> None:
        self.outline = reproject(outline_wgs84, WGS84, WEB_MERCATOR)
        min_x, min_y, max_x, max_y = self.outline.bounds
        self.scale = min((WIDTH - 2 * MARGIN) / max(max_x - min_x, 1),
                         (HEIGHT - 2 * MARGIN) / max(max_y - min_y, 1))  # pixels per mercator metre
        centre_x, centre_y = (min_x + max_x) / 2, (min_y + max_y) / 2
        self.left = centre_x - WIDTH / 2 / self.scale
        self.top = centre_y + HEIGHT / 2 / self.scale
        centre_lat = transformer(WEB_MERCATOR, WGS84).transform(centre_x, centre_y)[1]
        self.ground_scale = self.scale / math.cos(math.radians(centre_lat))  # pixels per ground metre

    def px(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.left) * self.scale, (self.top - y) * self.scale


def _paint_tiles(image: Image.Image, frame: _Frame, basemap) -> bool:
    """Paste the base map's tiles under the picture; False if the upstream gave none."""
    from ..basemap.tiles import UpstreamUnavailable, source_of, tile_bytes

    if basemap.crs != WEB_MERCATOR:
        return False  # a SWEREF 99 WMTS: the report keeps the plain background (not drawn in 3857)
    source = source_of(basemap)
    wanted = math.log2(frame.scale * 2 * MERCATOR_HALF / TILE)
    z = max(source.min_zoom, min(source.max_zoom, math.ceil(wanted)))
    size = 2 * MERCATOR_HALF / 2**z  # mercator metres per tile
    shown = size * frame.scale  # pixels per tile in the picture
    first_x = int((frame.left + MERCATOR_HALF) // size)
    first_y = int((MERCATOR_HALF - frame.top) // size)
    columns, rows = math.ceil(WIDTH / shown) + 1, math.ceil(HEIGHT / shown) + 1
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


def value_map_png(outline_wgs84: BaseGeometry, cells: list[GridCell], value: str, colour: str,
                  min_count: int = 1, basemap=None) -> bytes:
    """A PNG of the area with grid cells shaded by the number of pins on one value, on the base map."""
    frame = _Frame(outline_wgs84)
    image = Image.new("RGBA", (WIDTH, HEIGHT), (255, 255, 255, 255))
    on_tiles = basemap is not None and _paint_tiles(image, frame, basemap)
    overlay = Image.new("RGBA", (WIDTH, HEIGHT), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    shown = [c for c in cells if c.counts[value] >= min_count]
    most = max((c.counts[value] for c in shown), default=0)
    red, green, blue = _hex_rgb(colour)
    to_merc = transformer(SWEREF99_TM, WEB_MERCATOR)
    for cell in shown:
        alpha = int(60 + 195 * cell.counts[value] / most)
        e, n = cell.easting, cell.northing
        xs, ys = to_merc.transform([e, e + GRID_METRES, e + GRID_METRES, e],
                                   [n, n, n + GRID_METRES, n + GRID_METRES])
        draw.polygon([frame.px(x, y) for x, y in zip(xs, ys, strict=True)], fill=(red, green, blue, alpha))
    image = Image.alpha_composite(image, overlay)
    draw = ImageDraw.Draw(image)
    outline = frame.outline
    polygons = outline.geoms if isinstance(outline, MultiPolygon) else [outline]
    for polygon in polygons:
        if not isinstance(polygon, Polygon):
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            draw.line([frame.px(x, y) for x, y in ring.coords], fill=(26, 26, 26, 255), width=3)
    _scale_bar(draw, frame.ground_scale)
    if on_tiles and basemap.attribution:
        _attribution(draw, basemap.attribution)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _attribution(draw: ImageDraw.ImageDraw, text: str) -> None:
    """Whose map it is, bottom right on a light band, as the browser map shows it."""
    font = _font(13)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    x, y = WIDTH - (right - left) - 8, HEIGHT - (bottom - top) - 8
    draw.rectangle([x - 4, y - 3, WIDTH, HEIGHT], fill=(255, 255, 255, 220))
    draw.text((x, y - top), text, fill=(40, 40, 40, 255), font=font)


def _scale_bar(draw: ImageDraw.ImageDraw, scale: float) -> None:
    """A scale bar of a round length (ground metres) and a north arrow, bottom left."""
    metres = next((m for m in (2000, 1000, 500, 200, 100) if m * scale <= WIDTH / 4), 100)
    x, y = MARGIN, HEIGHT - 12
    draw.rectangle([x - 6, y - 22, x + metres * scale + 70, HEIGHT - 2], fill=(255, 255, 255, 200))
    draw.line([(x, y), (x + metres * scale, y)], fill=(0, 0, 0, 255), width=4)
    label = f"{metres // 1000} km" if metres >= 1000 else f"{metres} m"
    draw.text((x + metres * scale + 8, y - 16), label, fill=(0, 0, 0, 255), font=_font())
    draw.text((WIDTH - MARGIN - 4, MARGIN - 20), "N", fill=(0, 0, 0, 255), font=_font())
    draw.polygon([(WIDTH - MARGIN + 3, MARGIN - 30), (WIDTH - MARGIN - 2, MARGIN - 22),
                  (WIDTH - MARGIN + 8, MARGIN - 22)], fill=(0, 0, 0, 255))
