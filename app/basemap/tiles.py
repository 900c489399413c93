"""One tile's bytes for any base map: read from its file, or fetched from its upstream and cached.

The tile route and the report's server-drawn maps both come here, so the PDF shows the very
tiles the browser does.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from ..extensions import db
from ..models import BaseMap
from ..spatial import mercator_tile_wgs84_bounds
from .files import IMAGE_FORMATS, read_tile
from .service import FILE_KINDS, file_path, source_token


def _empty_tile() -> bytes:
    """A fully transparent 256 px PNG for a place without a tile: the map shows its background."""
    buffer = io.BytesIO()
    Image.new("LA", (256, 256), (0, 0)).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


EMPTY_TILE = _empty_tile()


class UpstreamUnavailable(Exception):
    """The upstream tile server did not answer with a tile (down, slow, or answering HTML)."""


@dataclass(frozen=True)
class TileSource:
    """What answering a tile needs of a base map row, kept so a tile costs no query."""

    basemap_id: int
    token: str
    kind: str
    path: Path | None  # the tile file; None for an upstream
    url: str | None  # the upstream URL template; never shown to a browser
    mimetype: str
    min_zoom: int
    max_zoom: int
    # A WMTS tile matrix set by zoom index: (TileMatrix identifier, columns, rows); None for XYZ.
    matrices: tuple[tuple[str, int, int], ...] | None
    bounds: tuple[float, float, float, float] = (-180.0, -85.0, 180.0, 85.0)  # WGS84
    # Per zoom index (metres per pixel, origin x, origin y) of a tile matrix set; None for XYZ.
    grid: tuple[tuple[float, float, float], ...] | None = None


def source_of(basemap: BaseMap) -> TileSource:
    """The tile source of a base map row."""
    is_file = basemap.kind in FILE_KINDS
    return TileSource(
        basemap.id, source_token(basemap.source), basemap.kind,
        file_path(basemap) if is_file else None, None if is_file else basemap.source,
        IMAGE_FORMATS.get(basemap.image_format, "image/png"), basemap.min_zoom, basemap.max_zoom,
        tuple((m["id"], m["width"], m["height"]) for m in basemap.tile_matrix)
        if basemap.tile_matrix else None,
        basemap.bounds,
        tuple((m["resolution"], *m["origin"]) for m in basemap.tile_matrix) if basemap.tile_matrix else None,
    )


_sources: dict[tuple[int, str], tuple[float, TileSource | None]] = {}
_SOURCE_TTL = 60.0  # seconds: a removed base map stops answering within a minute


def cached_source(basemap_id: int, token: str) -> TileSource | None:
    """The tile source of a base map id and source token (None if none), from a short-lived cache."""
    now = time.monotonic()
    cached = _sources.get((basemap_id, token))
    if cached and now - cached[0] < _SOURCE_TTL:
        return cached[1]
    basemap = db.session.get(BaseMap, basemap_id)
    source = source_of(basemap) if basemap is not None else None
    if source is not None and source.token != token:
        source = None
    if len(_sources) > 1000:  # tokens come from URLs: made-up ones must not grow the cache
        _sources.clear()
    _sources[(basemap_id, token)] = (now, source)
    return source


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def tile_bytes(source: TileSource, z: int, x: int, y: int) -> tuple[bytes, str]:
    """(image bytes, mimetype) of tile z/x/y; EMPTY_TILE where the source has none.

    Raises UpstreamUnavailable when an upstream has neither answered nor a cached copy.
    """
    if source.matrices is None:
        columns = rows = 2**z
    elif z < len(source.matrices):
        _id, columns, rows = source.matrices[z]
    else:
        columns = rows = 0
    if not (source.min_zoom <= z <= source.max_zoom and x < columns and y < rows):
        return EMPTY_TILE, "image/png"
    if source.path is not None:
        data = read_tile(source.path, source.kind, z, x, y)
    elif source.matrices is None and not _overlaps(mercator_tile_wgs84_bounds(z, x, y), source.bounds):
        return EMPTY_TILE, "image/png"  # never make the upstream draw what the base map does not cover
    else:
        from .proxy import upstream_tile

        data = upstream_tile(source, z, x, y)
    if data is None:
        return EMPTY_TILE, "image/png"
    return data, source.mimetype
