"""The questionnaire's JSON endpoints: send a whole response, upload a photo, read others' pins."""

from __future__ import annotations

from flask import Response as HttpResponse
from flask import abort, jsonify, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..domain import VALUE_COLOURS
from ..extensions import db, limiter
from ..i18n import content_language
from ..models import Dialogue, Photo, Pin
from ..photos import PhotoError, photo_token, store_photo
from ..spatial import shape_geojson
from .addresses import search_places
from .routes import PUBLIC_STATUSES, bp, public_dialogue_or_404
from .submission import SubmissionRefused, submit_response
from .writing import dialogue_with_survey_hash, survey_definition

OTHERS_PINS_LIMIT = 3000


@bp.route("/d/<slug>/svar", methods=["POST"])
@limiter.limit("20 per minute; 200 per hour")
def submit(slug: str):
    """Store the whole response once per key; the same key again answers with the same receipt."""
    found = dialogue_with_survey_hash(slug, PUBLIC_STATUSES)
    if found is None:
        abort(404)
    dialogue, survey_hash = found
    payload = request.get_json(silent=True)
    try:
        stored = submit_response(dialogue, payload, language=content_language(),
                                 definition=survey_definition(dialogue, survey_hash))
    except SubmissionRefused as refused:
        return jsonify({"ok": False, "errors": refused.problems.as_json()}), refused.status
    db.session.commit()
    session["receipt"] = stored.receipt_code
    return jsonify({"ok": True, "receipt": stored.receipt_code,
                    "next": url_for("resident.thanks", slug=slug)})


@bp.route("/d/<slug>/foto", methods=["POST"])
@limiter.limit("30 per minute; 200 per hour")
def upload_photo(slug: str):
    """Receive one photo, strip it and store it; the page gets a token to attach it to a pin."""
    dialogue = public_dialogue_or_404(slug)
    upload = request.files.get("photo")  # read the body first: it is closed with the request
    if not (dialogue.accepts_responses and dialogue.photos_allowed):
        return jsonify({"ok": False, "error": _("Photos cannot be attached here.")}), 409
    if upload is None:
        return jsonify({"ok": False, "error": _("Choose a photo to attach.")}), 400
    data = upload.read(10 * 1024 * 1024 + 1)
    try:
        photo = store_photo(data)
    except PhotoError as err:
        return jsonify({"ok": False, "error": str(err)}), 422
    db.session.commit()
    return jsonify({"ok": True, "token": photo_token(photo.id, dialogue.id)})


def _published_pins(dialogue: Dialogue):
    """Others' pins as residents may see them: published, on the map, newest first."""
    return db.session.execute(
        select(Pin.id, func.ST_Y(Pin.geom), func.ST_X(Pin.geom), Pin.value, Pin.sentiment,
               Pin.text, Pin.photo_id, Pin.shape_kind, Pin.shape)
        .where(Pin.dialogue_id == dialogue.id, Pin.moderation_state == "published",
               Pin.location_kind == "map")
        .order_by(Pin.created_at.desc())
        .limit(OTHERS_PINS_LIMIT)
    ).all()


@bp.route("/d/<slug>/synpunkter.json")
def others_pins(slug: str):
    """Published pins of the dialogue as JSON (the page escapes the text when it shows it)."""
    dialogue = public_dialogue_or_404(slug)
    if not dialogue.show_others_pins:
        return jsonify({"pins": []})
    # A route or area also carries its drawn shape (GeoJSON) and its value's colour; lat/lng is
    # then a point on it, so lists, clusters and popups treat it like a pin.
    pins = [
        {"lat": lat, "lng": lng, "value": value, "sentiment": sentiment, "text": text,
         "photo": url_for("resident.photo", photo_id=photo_id) if photo_id else None,
         "kind": kind, "shape": shape_geojson(shape),
         "colour": VALUE_COLOURS.get(value)}
        for _id, lat, lng, value, sentiment, text, photo_id, kind, shape in _published_pins(dialogue)
    ]
    return jsonify({"pins": pins})


@bp.route("/d/<slug>/sok.json")
@limiter.limit("120 per minute")
def search(slug: str):
    """Named places and addresses that start with ?q=, to move the map there (nothing is stored)."""
    dialogue = public_dialogue_or_404(slug)
    return jsonify({"results": search_places(dialogue, request.args.get("q", ""))})


@bp.route("/foto/<int:photo_id>.jpg")
def photo(photo_id: int):
    """A photo of a published pin in a public dialogue; nothing else is served."""
    shown = db.session.execute(
        select(Photo)
        .join(Pin, Pin.photo_id == Photo.id)
        .join(Dialogue, Dialogue.id == Pin.dialogue_id)
        .where(Photo.id == photo_id, Pin.moderation_state == "published",
               Dialogue.status.in_(PUBLIC_STATUSES), Dialogue.show_others_pins.is_(True))
        .limit(1)
    ).scalar_one_or_none()
    if shown is None:
        abort(404)
    response = HttpResponse(shown.data, mimetype="image/jpeg")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
