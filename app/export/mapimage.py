"""A map per value drawn on the server with Pillow: the area outline and the 100 m grid, no tiles.

The same drawing serves the residents' map without JavaScript: markers and named places drawn on
it, and `pixel_to_lat_lng` turns a click on the image back into a point (one framing, `_fit`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont
from shapely import MultiPolygon
from shapely.geometry.base import BaseGeometry

from ..spatial import SWEREF99_TM, WGS84, from_sweref, reproject, to_sweref
from .source import GRID_METRES, GridCell

WIDTH, HEIGHT, MARGIN = 900, 640, 30
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _font(size: int = 18) -> ImageFont.ImageFont:
    try:
        return ImageFont.truetype(FONT, size)
    except OSError:  # fonts-dejavu-core missing: Pillow's own small font still draws the label
        return ImageFont.load_default()


def _hex_rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def _fit(outline: BaseGeometry, width: int, height: int) -> tuple[float, float, float]:
    """The SWEREF 99 TM corner (min easting, min northing) and metres-to-pixels scale of a map."""
    min_e, min_n, max_e, max_n = outline.bounds
    scale = min((width - 2 * MARGIN) / max(max_e - min_e, 1), (height - 2 * MARGIN) / max(max_n - min_n, 1))
    return min_e, min_n, scale


def pixel_to_lat_lng(outline_wgs84: BaseGeometry, x: float, y: float, width: int = WIDTH,
                     height: int = HEIGHT) -> tuple[float, float]:
    """The WGS84 (lat, lng) at pixel (x, y) of the map that value_map_png draws at this size."""
    min_e, min_n, scale = _fit(reproject(outline_wgs84, WGS84, SWEREF99_TM), width, height)
    return from_sweref(min_e + (x - MARGIN) / scale, min_n + (height - MARGIN - y) / scale)


def value_map_png(outline_wgs84: BaseGeometry, cells: list[GridCell], value: str, colour: str,
                  min_count: int = 1, *, width: int = WIDTH, height: int = HEIGHT,
                  markers: Sequence[tuple[float, float, str]] = (),
                  places: Sequence[tuple[float, float, str]] = ()) -> bytes:
    """A PNG of the area with grid cells shaded by the number of pins on one value.

    markers are (lat, lng, colour) drawn as rings; places are (lat, lng, name) drawn as labels.
    """
    outline = reproject(outline_wgs84, WGS84, SWEREF99_TM)
    min_e, min_n, scale = _fit(outline, width, height)

    def px(e: float, n: float) -> tuple[float, float]:
        return MARGIN + (e - min_e) * scale, height - MARGIN - (n - min_n) * scale

    image = Image.new("RGBA", (width, height), (255, 255, 255, 255))
    overlay = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    shown = [c for c in cells if c.counts[value] >= min_count]
    most = max((c.counts[value] for c in shown), default=0)
    red, green, blue = _hex_rgb(colour)
    for cell in shown:
        alpha = int(60 + 195 * cell.counts[value] / most)
        x0, y1 = px(cell.easting, cell.northing)
        x1, y0 = px(cell.easting + GRID_METRES, cell.northing + GRID_METRES)
        draw.rectangle([x0, y0, x1, y1], fill=(red, green, blue, alpha))
    image = Image.alpha_composite(image, overlay)
    draw = ImageDraw.Draw(image)
    polygons = outline.geoms if isinstance(outline, MultiPolygon) else [outline]
    for polygon in polygons:
        for ring in (polygon.exterior, *polygon.interiors):
            draw.line([px(e, n) for e, n in ring.coords], fill=(26, 26, 26, 255), width=3)
    _points(draw, px, places, markers)
    _scale_bar(draw, scale, width, height)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _points(draw: ImageDraw.ImageDraw, px, places, markers) -> None:
    """Named places as labelled dots and markers as rings in their colour (lat, lng in WGS84)."""
    for lat, lng, name in places:
        x, y = px(*to_sweref(lat, lng))
        draw.ellipse([x - 4, y - 4, x + 4, y + 4], fill=(26, 26, 26, 255))
        draw.text((x + 7, y - 9), name, fill=(26, 26, 26, 255), font=_font(14),
                  stroke_width=2, stroke_fill=(255, 255, 255, 255))
    for lat, lng, colour in markers:
        x, y = px(*to_sweref(lat, lng))
        draw.ellipse([x - 11, y - 11, x + 11, y + 11], outline=(255, 255, 255, 255), width=7)
        draw.ellipse([x - 10, y - 10, x + 10, y + 10], outline=_hex_rgb(colour) + (255,), width=5)
        draw.line([(x - 3, y), (x + 3, y)], fill=(26, 26, 26, 255), width=2)
        draw.line([(x, y - 3), (x, y + 3)], fill=(26, 26, 26, 255), width=2)


def _scale_bar(draw: ImageDraw.ImageDraw, scale: float, width: int = WIDTH, height: int = HEIGHT) -> None:
    """A scale bar of a round length and a north arrow, bottom left."""
    metres = next((m for m in (2000, 1000, 500, 200, 100) if m * scale <= width / 4), 100)
    x, y = MARGIN, height - 12
    draw.line([(x, y), (x + metres * scale, y)], fill=(0, 0, 0, 255), width=4)
    label = f"{metres // 1000} km" if metres >= 1000 else f"{metres} m"
    draw.text((x + metres * scale + 8, y - 16), label, fill=(0, 0, 0, 255), font=_font())
    draw.text((width - MARGIN - 4, MARGIN - 20), "N", fill=(0, 0, 0, 255), font=_font())
    draw.polygon([(width - MARGIN + 3, MARGIN - 30), (width - MARGIN - 2, MARGIN - 22),
                  (width - MARGIN + 8, MARGIN - 22)], fill=(0, 0, 0, 255))
