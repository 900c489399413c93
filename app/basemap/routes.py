"""Base map tiles from our own origin, with Cache-Control and ETag: residents' browsers ask no one else.

Tiles are public: every resident of an open dialogue sees them, and they hold no one's answers.
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, abort, request

from .tiles import UpstreamUnavailable, cached_source, tile_bytes

bp = Blueprint("basemap", __name__, url_prefix="/kartor")

TILE_MAX_AGE = 86400  # a day: a base map changes by adding a new one, which gets a new id


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
    source = cached_source(basemap_id, token)
    if source is None or z > 24:
        abort(404)
    try:
        data, mimetype = tile_bytes(source, z, x, y)
    except UpstreamUnavailable:
        # The page's script sees the failed tiles and shows the outline view with a notice.
        response = Response(status=503)
        response.headers["Cache-Control"] = "no-store"
        response.headers["Retry-After"] = "60"
        return response
    return tile_response(data, mimetype)


@bp.route("/<int:basemap_id>/<token>/crs.js")
def crs_script(basemap_id: int, token: str):
    """The Leaflet CRS of a SWEREF 99 base map, as a script file (pages have no inline script)."""
    from ..extensions import db
    from ..models import BaseMap
    from .leaflet import crs_javascript
    from .service import source_token

    basemap = db.session.get(BaseMap, basemap_id)
    if basemap is None or source_token(basemap.source) != token or not basemap.tile_matrix \
            or basemap.crs == 3857:
        abort(404)
    response = Response(crs_javascript(basemap), mimetype="text/javascript")
    response.headers["Cache-Control"] = f"public, max-age={TILE_MAX_AGE}"
    return response
