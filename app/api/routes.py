"""The read API, /api/v1: public pins as paged GeoJSON, and exports for planners or API tokens."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request, url_for
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException

from ..extensions import db
from ..inputs import request_number
from ..models import Dialogue, Pin
from ..resident.routes import PUBLIC_STATUSES
from ..spatial import shape_geojson
from .openapi import document

bp = Blueprint("api", __name__, url_prefix="/api/v1")

DEFAULT_LIMIT, MAX_LIMIT = 100, 1000


def json_error(error: HTTPException):
    """Errors as JSON, never an HTML page."""
    response = jsonify(error={"status": error.code, "message": error.description})
    if error.code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="platsdialog"'
    return response, error.code


# By code: the app's HTML error pages are registered by code too, and code beats class in Flask.
for _code in (400, 401, 403, 404, 405, 409, 410, 500, 503):
    bp.register_error_handler(_code, json_error)


@bp.route("/openapi.json")
def openapi():
    """The OpenAPI 3 description of this API."""
    return jsonify(document())


def _bbox() -> tuple[float, float, float, float] | None:
    raw = request.args.get("bbox")
    if not raw:
        return None
    try:
        min_lng, min_lat, max_lng, max_lat = (float(v) for v in raw.split(","))
    except ValueError:
        abort(400, description="bbox must be min_lng,min_lat,max_lng,max_lat (WGS84)")
    if not (min_lng <= max_lng and min_lat <= max_lat):
        abort(400, description="bbox must be min_lng,min_lat,max_lng,max_lat (WGS84)")
    return min_lng, min_lat, max_lng, max_lat


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    return request_number(request.args.get(name), name, default=default, low=low, high=high)


@bp.route("/dialogues/<slug>/pins")
def public_pins(slug: str):
    """Published map pins of an open or closed dialogue that shows pins to others, paged by id."""
    dialogue = db.session.execute(
        select(Dialogue).where(Dialogue.slug == slug, Dialogue.status.in_(PUBLIC_STATUSES),
                               Dialogue.show_others_pins)
    ).scalar_one_or_none()
    if dialogue is None:
        abort(404, description="no public dialogue with this slug")
    limit = _int_arg("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    after = _int_arg("cursor", 0, 0, 2**62)
    lng, lat = func.ST_X(Pin.geom), func.ST_Y(Pin.geom)
    statement = (
        select(Pin.id, Pin.value, Pin.sentiment, Pin.text, Pin.created_at, lng, lat,
               Pin.shape_kind, Pin.length_m, Pin.area_m2, Pin.shape)
        .where(Pin.dialogue_id == dialogue.id, Pin.moderation_state == "published",
               Pin.location_kind == "map", Pin.id > after)
        .order_by(Pin.id).limit(limit + 1)
    )
    box = _bbox()
    if box:
        statement = statement.where(lng >= box[0], lat >= box[1], lng <= box[2], lat <= box[3])
    rows = db.session.execute(statement).all()
    # A drawn route or area is its LineString or Polygon; bbox matches the point kept on it.
    features = [{
        "type": "Feature", "id": pin_id,
        "geometry": shape_geojson(shape, 7) or {"type": "Point", "coordinates": [x, y]},
        "properties": {"value": value, "sentiment": sentiment, "text": text,
                       "created_on": created.date().isoformat(), "shape_kind": kind,
                       "length_m": None if length is None else round(length, 1),
                       "area_m2": None if area is None else round(area, 1)},
    } for pin_id, value, sentiment, text, created, x, y, kind, length, area, shape
        in rows[:limit]]
    body = {"type": "FeatureCollection", "features": features, "numberReturned": len(features)}
    if len(rows) > limit:
        args = {**request.args.to_dict(), "cursor": features[-1]["id"]}
        body["links"] = [{"rel": "next", "type": "application/geo+json",
                          "href": url_for(".public_pins", slug=slug, _external=True, **args)}]
    response = jsonify(body)
    response.mimetype = "application/geo+json"
    return response
