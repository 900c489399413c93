"""A whole response (answers and pins) checked on the server and written once, in one transaction.

The page posts JSON: {"key", "answers": {question id: answer}, "pins": [pin, ...], "website"}
where a pin is {"question", "value", "sentiment", "comment", "category", "photo" (a token from
the photo upload), "location": {"kind": "map", "lat", "lng"} | {"kind": "named_place",
"place": id} | {"kind": "described", "description"}}. Pins of the named-place and described
kinds have no geometry; location_kind tells analysis so.

A map question of shape line or area takes, instead of lat/lng, a drawing:
{"kind": "map", "geometry": GeoJSON LineString | Polygon}, or a route from named places in order:
{"kind": "places", "places": [id, id, ...]} (the server draws the line through them). Both are
stored as map answers with their shape; the rules are in shapes.py.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from geoalchemy2.shape import to_shape

from ..domain import LOCATION_KINDS
from ..extensions import db
from ..inputs import whole_number
from ..models import Dialogue, NamedPlace, Photo
from ..photos import photo_id_from_token
from ..spatial import SWEREF99_TM, WGS84, reproject
from ..surveys import SurveyDefinition
from .service import clean_text, new_receipt_code
from .shapes import ShapeRefused, fit_to_area, outline_and_validity, read_geometry
from .writing import (
    Stored,
    area_contains_each,
    insert_answers,
    insert_pins,
    insert_response,
    stored_under_key,
    survey_definition,
)

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
MAX_COMMENT = 2000  # the database's limit; a survey may set a lower one
MAX_PLACE_DESCRIPTION = 500
MAX_PINS_IN_ALL = 100
OUTSIDE_MESSAGE = _l(
    "The place you chose is outside the area of this dialogue. Choose a place inside the outline.")


@dataclass
class CheckedPin:
    """A pin that passed every rule, ready to be written."""

    question_id: str
    value: str
    sentiment: str
    text: str
    location_kind: str
    lat: float | None = None
    lng: float | None = None
    named_place_id: int | None = None
    place_description: str | None = None
    category: str | None = None
    photo_id: int | None = None
    shape_kind: str = "point"
    shape: object = None  # a Shapely geometry (WGS84) of a drawn line or area, once checked
    length_m: float | None = None
    area_m2: float | None = None


@dataclass
class Problems:
    """What is wrong with a submission: per question, per pin and per field, in the user's language."""

    answers: dict[str, str] = field(default_factory=dict)
    pins: dict[int, dict[str, str]] = field(default_factory=dict)
    form: str | None = None

    def __bool__(self) -> bool:
        return bool(self.answers or self.pins or self.form)

    def add_pin(self, index: int, field_name: str, message: object) -> None:
        """Record a broken rule of one pin."""
        self.pins.setdefault(index, {})[field_name] = str(message)

    def as_json(self) -> dict:
        """The problems as the page reads them."""
        return {"answers": self.answers, "pins": {str(i): e for i, e in self.pins.items()},
                "form": self.form}


class SubmissionRefused(ValueError):
    """The submission breaks at least one rule; nothing was stored."""

    def __init__(self, problems: Problems, status: int = 422):
        super().__init__("submission refused")
        self.problems = problems
        self.status = status


def survey_language() -> str:
    """The language of the survey's own error sentences (they exist in Swedish and English)."""
    return "en" if str(get_locale()) == "en" else "sv"


def check_pins(dialogue: Dialogue, definition: SurveyDefinition, visible: set[str],
               raw_pins: object, problems: Problems) -> list[CheckedPin]:
    """Every pin checked against its question, the area and its place; problems recorded."""
    if not isinstance(raw_pins, list) or len(raw_pins) > MAX_PINS_IN_ALL:
        problems.form = str(_l("The markers could not be read. Reload the page and try again."))
        return []
    candidates = [(index, _check_pin(dialogue, definition, visible, index, raw, problems))
                  for index, raw in enumerate(raw_pins)]
    _check_drawn(dialogue, definition, candidates, problems)
    on_map = [(index, pin) for index, pin in candidates
              if pin is not None and pin.lat is not None and pin.shape is None]
    inside = area_contains_each(dialogue.area_id, [(pin.lat, pin.lng) for _i, pin in on_map])
    for (index, _pin), contained in zip(on_map, inside, strict=True):
        if not contained:
            problems.add_pin(index, "location", OUTSIDE_MESSAGE)
    checked = [pin for index, pin in candidates if pin is not None and index not in problems.pins]
    counts: dict[str, int] = {}
    for pin in checked:
        counts[pin.question_id] = counts.get(pin.question_id, 0) + 1
    for q in definition.map_questions():
        if q.id not in visible:
            continue
        n = counts.get(q.id, 0)
        least = max(q.min_pins, 1 if q.required else 0)
        if n < least:
            problems.answers[q.id] = str(_l("Add at least %(n)d comments here.", n=least))
        elif n > q.max_pins:
            problems.answers[q.id] = str(_l("You can add at most %(n)d comments here.", n=q.max_pins))
    return checked


def _check_drawn(dialogue, definition, candidates, problems) -> None:
    """Drawn lines and areas against the area and the survey's limits: one query for them all."""
    drawn = [(index, pin) for index, pin in candidates
             if pin is not None and pin.shape is not None and index not in problems.pins]
    if not drawn:
        return
    outline, valid = outline_and_validity(dialogue.area_id, [pin.shape for _i, pin in drawn])
    outline_sweref = reproject(outline, WGS84, SWEREF99_TM)
    for (index, pin), db_valid in zip(drawn, valid, strict=True):
        try:
            fitted = fit_to_area(pin.shape_kind, pin.shape, outline_sweref, db_valid,
                                 definition.question(pin.question_id))
        except ShapeRefused as refused:
            problems.add_pin(index, "location", refused.message)
            continue
        pin.shape, pin.lat, pin.lng = fitted.shape, fitted.lat, fitted.lng
        pin.length_m, pin.area_m2 = fitted.length_m, fitted.area_m2


def _check_pin(dialogue, definition, visible, index, raw, problems) -> CheckedPin | None:
    """The pin as read (its containment is checked for all pins at once), or None if unreadable."""
    if not isinstance(raw, dict):
        problems.add_pin(index, "question", _l("The marker could not be read."))
        return None
    try:
        q = definition.question(raw.get("question"))
    except (KeyError, TypeError):
        q = None
    if q is None or q.type != "map_pin" or q.id not in visible:
        problems.add_pin(index, "question", _l("The marker does not belong to a map question."))
        return None
    value = raw.get("value", q.values[0] if len(q.values) == 1 else None)
    if value not in q.values:
        problems.add_pin(index, "value", _l("Choose what your comment is about."))
    sentiment = raw.get("sentiment")
    if sentiment not in q.sentiments:
        problems.add_pin(index, "sentiment", _l("Choose what kind of comment it is."))
    comment = clean_text(raw.get("comment")) if isinstance(raw.get("comment"), str) else ""
    limit = min(q.comment_max_length or MAX_COMMENT, MAX_COMMENT)
    if not comment:
        problems.add_pin(index, "comment", _l("Write a comment."))
    elif len(comment) > limit:
        problems.add_pin(index, "comment",
                         _l("The comment can be at most %(n)d characters.", n=limit))
    category = raw.get("category") or None
    if q.categories and (category is not None or q.category_required):
        if not isinstance(category, str) or category not in {c.id for c in q.categories}:
            problems.add_pin(index, "category", _l("Choose a category."))
    elif category is not None:
        problems.add_pin(index, "category", _l("This question has no categories."))
    photo_id = _check_photo(dialogue, q, raw.get("photo"), index, problems)
    pin = CheckedPin(question_id=q.id, value=value, sentiment=sentiment, text=comment,
                     location_kind="map", category=category, photo_id=photo_id, shape_kind=q.shape)
    location = raw.get("location")
    if q.shape != "point" and isinstance(location, dict) and location.get("kind") in ("map", "places"):
        _check_drawing(dialogue, location, pin, index, problems)
    else:
        _check_location(dialogue, location, pin, index, problems)
    return pin


def _check_drawing(dialogue, location: dict, pin: CheckedPin, index, problems) -> None:
    """A drawn line or area, or a route through named places, read as a geometry (checked later)."""
    try:
        if location["kind"] == "places":
            if pin.shape_kind != "line":
                raise ShapeRefused(_l("Choose a place on the map, from the list, or describe it."))
            location = {"geometry": _route_through_places(dialogue, location.get("places"))}
        pin.shape = read_geometry(pin.shape_kind, location.get("geometry"))
    except ShapeRefused as refused:
        problems.add_pin(index, "location", refused.message)


def _route_through_places(dialogue, ids: object) -> dict:
    """The GeoJSON line through the dialogue's named places, in the order the resident chose them."""
    if not isinstance(ids, list) or not 2 <= len(ids) <= 20:
        raise ShapeRefused(_l("Choose at least two places, in the order you go."))
    points = []
    for place_id in ids:
        place_id = whole_number(place_id, low=1) if isinstance(place_id, int) else None
        place = db.session.get(NamedPlace, place_id) if place_id is not None else None
        if place is None or place.area_id != dialogue.area_id or place.geom is None:
            raise ShapeRefused(_l("Choose one of the places in the list."))
        at = to_shape(place.geom)
        points.append([at.x, at.y])
    return {"type": "LineString", "coordinates": points}


def _check_photo(dialogue, q, token, index, problems) -> int | None:
    if not token:
        return None
    if not (q.photo and dialogue.photos_allowed):
        problems.add_pin(index, "photo", _l("Photos cannot be attached here."))
        return None
    photo_id = photo_id_from_token(token, dialogue.id)
    if photo_id is None or db.session.get(Photo, photo_id) is None:
        problems.add_pin(index, "photo", _l("The photo was not received. Attach it again."))
        return None
    return photo_id


def _check_location(dialogue, location, pin: CheckedPin, index, problems) -> None:
    kind = location.get("kind") if isinstance(location, dict) else None
    if kind not in LOCATION_KINDS:
        problems.add_pin(index, "location", _l("Choose a place on the map, from the list, or describe it."))
        return
    pin.location_kind = kind
    if kind == "map":
        lat, lng = location.get("lat"), location.get("lng")
        numbers = all(isinstance(c, int | float) and not isinstance(c, bool) and math.isfinite(c)
                      for c in (lat, lng))
        if not numbers or not (-90 <= lat <= 90 and -180 <= lng <= 180):
            problems.add_pin(index, "location", OUTSIDE_MESSAGE)
            return
        pin.lat, pin.lng = float(lat), float(lng)  # inside the area? asked for all pins at once
    elif kind == "named_place":
        place_id = location.get("place")
        place_id = whole_number(place_id, low=1) if isinstance(place_id, int) else None
        place = db.session.get(NamedPlace, place_id) if place_id is not None else None
        if place is None or place.area_id != dialogue.area_id:
            problems.add_pin(index, "location", _l("Choose one of the places in the list."))
            return
        pin.named_place_id = place.id
    else:
        text = location.get("description")
        text = clean_text(text) if isinstance(text, str) else ""
        if not text:
            problems.add_pin(index, "location", _l("Describe the place in a few words."))
        elif len(text) > MAX_PLACE_DESCRIPTION:
            problems.add_pin(index, "location", _l(
                "The description of the place can be at most %(n)d characters.", n=MAX_PLACE_DESCRIPTION))
        else:
            pin.place_description = text


def submit_response(dialogue: Dialogue, payload: object, *, language: str,
                    definition: SurveyDefinition | None = None) -> Stored:
    """Check a whole response and add it once per key (not committed; the caller commits).

    A resend under a stored key is checked like the first sending and answered with the stored
    receipt; the unique constraint on (dialogue, key) decides, without a look-up before.
    """
    problems = Problems()
    if not dialogue.accepts_responses:
        problems.form = str(_l("This dialogue is not open for answers."))
        raise SubmissionRefused(problems, status=409)
    key = payload.get("key") if isinstance(payload, dict) else None
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        problems.form = str(_l("The answers could not be read. Reload the page and try again."))
        raise SubmissionRefused(problems, status=400)
    if payload.get("website"):
        problems.form = str(_l("The answers could not be read. Reload the page and try again."))
        raise SubmissionRefused(problems, status=400)  # the honeypot was filled in: a bot
    definition = definition or survey_definition(dialogue)
    raw_answers = payload.get("answers") or {}
    if not isinstance(raw_answers, dict):
        raw_answers = {"": raw_answers}  # reported as an unknown question below
    map_ids = {q.id for q in definition.map_questions()}
    answers = {k: v for k, v in raw_answers.items() if k not in map_ids}
    errors = definition.validate_answers(answers, survey_language())
    problems.answers.update({k: v for k, v in errors.items() if k not in map_ids})
    cleaned = definition.clean_answers(answers)
    visible = {q.id for q in definition.visible_questions(cleaned)}
    pins = check_pins(dialogue, definition, visible, payload.get("pins", []), problems)
    if problems:
        raise SubmissionRefused(problems)
    receipt = new_receipt_code()
    response_id = insert_response({
        "dialogue_id": dialogue.id, "survey_version_id": dialogue.survey_version_id,
        "idempotency_key": key, "receipt_code": receipt, "language": language[:12],
    })
    if response_id is None:
        # Sent before (a retry, a double click, or a concurrent resend that committed first).
        stored = stored_under_key(dialogue.id, key)
        if stored is None:  # pragma: no cover - the conflicting row cannot vanish in between
            raise RuntimeError("a response conflicted on its key but is not stored")
        return stored
    insert_answers(response_id, cleaned)
    insert_pins(dialogue, response_id, pins)
    return Stored(response_id, receipt)
