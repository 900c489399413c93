"""Base map tiles from our own origin, with Cache-Control and ETag: residents' browsers ask no one else.

Tiles are public: every resident of an open dialogue sees them, and they hold no one's answers.
"""

from __future__ import annotations

import hashlib
import io
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Response, abort, request
from PIL import Image

from ..extensions import db
from ..models import BaseMap
from .files import IMAGE_FORMATS, read_tile
from .service import FILE_KINDS, file_path, source_token

bp = Blueprint("basemap", __name__, url_prefix="/kartor")

TILE_MAX_AGE = 86400  # a day: a base map changes by adding a new one, which gets a new id


def _empty_tile() -> bytes:
    """A fully transparent 256 px PNG for a place the file has no tile: the map shows its background."""
    buffer = io.BytesIO()
    Image.new("LA", (256, 256), (0, 0)).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


EMPTY_TILE = _empty_tile()


@dataclass(frozen=True)
class TileSource:
    """What the tile route needs of a base map row, cached so a tile costs no query."""

    kind: str
    path: Path | None
    mimetype: str
    max_zoom: int


_sources: dict[tuple[int, str], tuple[float, TileSource | None]] = {}
_SOURCE_TTL = 60.0  # seconds: a removed base map stops answering within a minute


def tile_source(basemap_id: int, token: str) -> TileSource | None:
    """The tile source of a base map id and source token (None if none), from a short-lived cache."""
    now = time.monotonic()
    cached = _sources.get((basemap_id, token))
    if cached and now - cached[0] < _SOURCE_TTL:
        return cached[1]
    basemap = db.session.get(BaseMap, basemap_id)
    source = None
    if basemap is not None and source_token(basemap.source) == token:
        source = TileSource(basemap.kind, file_path(basemap) if basemap.kind in FILE_KINDS else None,
                            IMAGE_FORMATS.get(basemap.image_format, "image/png"), basemap.max_zoom)
    if len(_sources) > 1000:  # tokens come from URLs: do not let made-up ones grow the cache
        _sources.clear()
    _sources[(basemap_id, token)] = (now, source)
    return source


def tile_response(data: bytes, mimetype: str) -> Response:
    """A tile answer with caching headers; 304 when the browser already has these bytes."""
    etag = hashlib.blake2b(data, digest_size=12).hexdigest()
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        response = Response(data, mimetype=mimetype)
    response.set_etag(etag)
    response.headers["Cache-Control"] = f"public, max-age={TILE_MAX_AGE}"
    return response


@bp.route("/<int:basemap_id>/<token>/<int:z>/<int:x>/<int:y>")
def tile(basemap_id: int, token: str, z: int, x: int, y: int):
    """One z/x/y tile of a base map."""
    source = tile_source(basemap_id, token)
    if source is None or z > 24 or x >= 2**z or y >= 2**z:
        abort(404)
    if source.path is None:
        from .proxy import upstream_tile

        return upstream_tile(basemap_id, z, x, y)
    data = read_tile(source.path, source.kind, z, x, y) if z <= source.max_zoom else None
    if data is None:
        return tile_response(EMPTY_TILE, "image/png")
    return tile_response(data, source.mimetype)
