"""A map per value drawn on the server with Pillow: the area outline and the 100 m grid, no tiles."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont
from shapely import MultiPolygon
from shapely.geometry.base import BaseGeometry

from ..spatial import SWEREF99_TM, WGS84, reproject
from .source import GRID_METRES, GridCell

WIDTH, HEIGHT, MARGIN = 900, 640, 30
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _font() -> ImageFont.ImageFont:
    try:
        return ImageFont.truetype(FONT, 18)
    except OSError:  # fonts-dejavu-core missing: Pillow's own small font still draws the label
        return ImageFont.load_default()


def _hex_rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def value_map_png(outline_wgs84: BaseGeometry, cells: list[GridCell], value: str, colour: str,
                  min_count: int = 1, *, size: int = GRID_METRES,
                  fills: dict[tuple[int, int], str] | None = None,
                  legend: list[tuple[str | None, str]] | None = None) -> bytes:
    """A PNG of the area with grid cells shaded by the number of pins on one value; or, given
    fills (south-west corner -> colour, cells of `size` metres), with those colours and a legend."""
    outline = reproject(outline_wgs84, WGS84, SWEREF99_TM)
    min_e, min_n, max_e, max_n = outline.bounds
    scale = min((WIDTH - 2 * MARGIN) / max(max_e - min_e, 1), (HEIGHT - 2 * MARGIN) / max(max_n - min_n, 1))

    def px(e: float, n: float) -> tuple[float, float]:
        return MARGIN + (e - min_e) * scale, HEIGHT - MARGIN - (n - min_n) * scale

    image = Image.new("RGBA", (WIDTH, HEIGHT), (255, 255, 255, 255))
    overlay = Image.new("RGBA", (WIDTH, HEIGHT), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    shown = [c for c in cells if c.counts[value] >= min_count] if fills is None else []
    most = max((c.counts[value] for c in shown), default=0)
    red, green, blue = _hex_rgb(colour)
    for cell in shown:
        alpha = int(60 + 195 * cell.counts[value] / most)
        x0, y1 = px(cell.easting, cell.northing)
        x1, y0 = px(cell.easting + GRID_METRES, cell.northing + GRID_METRES)
        draw.rectangle([x0, y0, x1, y1], fill=(red, green, blue, alpha))
    for (e, n), fill in (fills or {}).items():
        x0, y1 = px(e, n)
        x1, y0 = px(e + size, n + size)
        draw.rectangle([x0, y0, x1, y1], fill=(*_hex_rgb(fill), 215), outline=(77, 77, 77, 255))
    image = Image.alpha_composite(image, overlay)
    draw = ImageDraw.Draw(image)
    polygons = outline.geoms if isinstance(outline, MultiPolygon) else [outline]
    for polygon in polygons:
        for ring in (polygon.exterior, *polygon.interiors):
            draw.line([px(e, n) for e, n in ring.coords], fill=(26, 26, 26, 255), width=3)
    _scale_bar(draw, scale)
    if legend:
        _legend(draw, legend)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _scale_bar(draw: ImageDraw.ImageDraw, scale: float) -> None:
    """A scale bar of a round length and a north arrow, bottom left."""
    metres = next((m for m in (2000, 1000, 500, 200, 100) if m * scale <= WIDTH / 4), 100)
    x, y = MARGIN, HEIGHT - 12
    draw.line([(x, y), (x + metres * scale, y)], fill=(0, 0, 0, 255), width=4)
    label = f"{metres // 1000} km" if metres >= 1000 else f"{metres} m"
    draw.text((x + metres * scale + 8, y - 16), label, fill=(0, 0, 0, 255), font=_font())
    draw.text((WIDTH - MARGIN - 4, MARGIN - 20), "N", fill=(0, 0, 0, 255), font=_font())
    draw.polygon([(WIDTH - MARGIN + 3, MARGIN - 30), (WIDTH - MARGIN - 2, MARGIN - 22),
                  (WIDTH - MARGIN + 8, MARGIN - 22)], fill=(0, 0, 0, 255))


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
