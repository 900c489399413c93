"""Writing a resident's submission: checked on the server, one transaction, stored once."""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from geoalchemy2.shape import from_shape
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..domain import SENTIMENTS, VALUES
from ..extensions import db
from ..models import DevelopmentArea, Dialogue, Pin, Response
from ..moderation.flags import flags_for, initial_state
from ..spatial import WGS84, ewkt, point, to_sweref, valid_lat_lng

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud without mistakes


class SubmissionError(ValueError):
    """A submission that breaks a rule; errors maps a field to a sentence in the user's language."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(str(e) for e in errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class PinInput:
    lat: object
    lng: object
    value: str
    sentiment: str
    text: str


def clean_text(text: str | None) -> str:
    """Text as stored: NFC-normalised, control characters removed, whitespace trimmed."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", text or "")).strip()


def new_receipt_code() -> str:
    """A short code the resident may keep to refer to their response."""
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(10))


def area_contains(area_id: int, lat: float, lng: float) -> bool:
    """Whether the development area contains the point (asked of the spatial database)."""
    inside = db.session.execute(
        select(
            func.ST_Contains(DevelopmentArea.geom, func.ST_GeomFromEWKT(ewkt(point(lat, lng))))
        ).where(DevelopmentArea.id == area_id)
    ).scalar_one_or_none()
    return bool(inside)


def check_pin(dialogue: Dialogue, pin: PinInput) -> dict[str, str]:
    """Every rule a map pin breaks, as field -> message; empty when it may be stored."""
    errors: dict[str, str] = {}
    if pin.value not in VALUES:
        errors["value"] = str(_l("Choose what your comment is about."))
    if pin.sentiment not in SENTIMENTS:
        errors["sentiment"] = str(_l("Choose what kind of comment it is."))
    text = clean_text(pin.text)
    if not text:
        errors["text"] = str(_l("Write a comment."))
    elif len(text) > 2000:
        errors["text"] = str(_l("The comment can be at most 2,000 characters."))
    coordinates = valid_lat_lng(pin.lat, pin.lng)
    if coordinates is None or not area_contains(dialogue.area_id, *coordinates):
        errors["location"] = str(
            _l("The place you chose is outside the area of this dialogue. Choose a place inside the outline.")
        )
    return errors


def submit_pin(dialogue: Dialogue, pin: PinInput, *, idempotency_key: str, language: str) -> Response:
    """Store a response with one map pin, once per idempotency key, in one transaction."""
    if not dialogue.accepts_responses:
        raise SubmissionError({"dialogue": str(_l("This dialogue is not open for comments."))})
    existing = _existing_response(dialogue.id, idempotency_key)
    if existing is not None:
        return existing
    errors = check_pin(dialogue, pin)
    if errors:
        raise SubmissionError(errors)
    lat, lng = valid_lat_lng(pin.lat, pin.lng)
    easting, northing = to_sweref(lat, lng)
    response = Response(
        dialogue_id=dialogue.id,
        survey_version_id=dialogue.survey_version_id,
        idempotency_key=idempotency_key,
        receipt_code=new_receipt_code(),
        language=language,
    )
    text = clean_text(pin.text)
    flags = flags_for(text)
    response.pins.append(
        Pin(
            dialogue_id=dialogue.id,
            location_kind="map",
            geom=from_shape(point(lat, lng), srid=WGS84),
            sweref_e=easting,
            sweref_n=northing,
            value=pin.value,
            sentiment=pin.sentiment,
            text=text,
            flags=flags,
            moderation_state=initial_state(dialogue.moderation, flags),
        )
    )
    db.session.add(response)
    try:
        db.session.commit()
    except IntegrityError:
        # Another request with the same key won the race: that one is the stored response.
        db.session.rollback()
        existing = _existing_response(dialogue.id, idempotency_key)
        if existing is None:
            raise
        return existing
    return response


def _existing_response(dialogue_id: int, idempotency_key: str) -> Response | None:
    """The response already stored under this key, if any."""
    return db.session.execute(
        select(Response).where(
            Response.dialogue_id == dialogue_id, Response.idempotency_key == idempotency_key
        )
    ).scalar_one_or_none()
