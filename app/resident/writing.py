"""The cheap path of a resident's submission: few statements, whatever the number of pins.

A submission costs five statements and a commit, however many answers and pins it carries: the
dialogue with its survey's hash, one containment query for every map pin, and one INSERT each for
the response, its answers and its pins (executemany). Drawn lines and areas add one query for them
all (the area's outline and the database's ST_IsValid of each; resident/shapes.py). The parsed
survey definition is kept per process by content hash: a frozen survey version never changes,
and the hash names its content.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import String, bindparam, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import Answer, DevelopmentArea, Dialogue, Pin, Response, SurveyVersion
from ..moderation.flags import flags_for, initial_state
from ..spatial import ewkt, point, to_sweref
from ..surveys import SurveyDefinition, definition_from_frozen

_DEFINITIONS: dict[str, SurveyDefinition] = {}
_DEFINITIONS_KEPT = 128  # far more survey versions than a server has open dialogues
MAX_PINS = 100  # as many as a submission may carry (submission.MAX_PINS_IN_ALL)


@dataclass(frozen=True)
class Stored:
    """What a resident gets back for a stored response: its receipt (the same for a resend)."""

    response_id: int
    receipt_code: str


def dialogue_with_survey_hash(slug: str, statuses: tuple[str, ...]) -> tuple[Dialogue, str] | None:
    """The dialogue by slug (in one of statuses) and its survey version's content hash: one query."""
    row = db.session.execute(_dialogue_by_slug(statuses), {"slug": slug}).one_or_none()
    return None if row is None else (row[0], row[1])


@lru_cache(maxsize=4)
def _dialogue_by_slug(statuses: tuple[str, ...]):
    return (select(Dialogue, SurveyVersion.content_hash)
            .join(SurveyVersion, SurveyVersion.id == Dialogue.survey_version_id)
            .where(Dialogue.slug == bindparam("slug"), Dialogue.status.in_(statuses)))


def survey_definition(dialogue: Dialogue, content_hash: str | None = None) -> SurveyDefinition:
    """The dialogue's frozen survey, parsed once per process and content hash."""
    if content_hash is None:
        content_hash = dialogue.survey_version.content_hash
    definition = _DEFINITIONS.get(content_hash)
    if definition is None:
        definition = definition_from_frozen(dialogue.survey_version.definition)
        if len(_DEFINITIONS) >= _DEFINITIONS_KEPT:
            _DEFINITIONS.clear()
        _DEFINITIONS[content_hash] = definition
    return definition


def area_contains_each(area_id: int, points: list[tuple[float, float]]) -> list[bool]:
    """For each (lat, lng), whether the development area contains it: one query for them all."""
    if not points:
        return []
    params = {f"p{i}": ewkt(point(lat, lng)) for i, (lat, lng) in enumerate(points)}
    row = db.session.connection().execute(_containment(len(points)), {"area": area_id, **params}).first()
    return [False] * len(points) if row is None else [bool(inside) for inside in row]


@lru_cache(maxsize=MAX_PINS)
def _containment(n: int):
    # One ST_Contains per point (not one against a MULTIPOINT): a point on the outline must be
    # refused on its own, and the answer must say which pin is outside. Built once per n, so
    # SQLAlchemy's compiled cache serves every later request.
    area = DevelopmentArea.__table__
    return select(*[
        func.ST_Contains(area.c.geom, func.ST_GeomFromEWKT(bindparam(f"p{i}", type_=String)))
        for i in range(n)
    ]).where(area.c.id == bindparam("area"))


@lru_cache(maxsize=2)
def _insert_response(dialect: str):
    upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = Response.__table__
    return (upsert(table).on_conflict_do_nothing(index_elements=["dialogue_id", "idempotency_key"])
            .returning(table.c.id))


def insert_response(values: dict) -> int | None:
    """INSERT the response unless its key is already stored; its id, or None for a resend.

    ON CONFLICT DO NOTHING on the (dialogue, key) unique constraint: no look-up before, no
    savepoint, and a concurrent resend waits for the first one's commit and then stores nothing.
    """
    connection = db.session.connection()
    return connection.execute(_insert_response(connection.dialect.name), values).scalar_one_or_none()


def stored_under_key(dialogue_id: int, key: str) -> Stored | None:
    """The response already stored under this idempotency key, if any."""
    row = db.session.execute(
        select(Response.id, Response.receipt_code)
        .where(Response.dialogue_id == dialogue_id, Response.idempotency_key == key)
    ).one_or_none()
    return None if row is None else Stored(row[0], row[1])


_INSERT_ANSWERS = insert(Answer.__table__)
_INSERT_PINS = insert(Pin.__table__)


def insert_answers(response_id: int, answers: dict) -> None:
    """Every answer of the response in one INSERT of many rows: the answer tallies' triggers
    (app/models/tally.py) then run once, not once per answer."""
    if answers:
        db.session.connection().execute(_INSERT_ANSWERS.values([
            {"response_id": response_id, "question_id": k, "value": v} for k, v in answers.items()]))


def insert_pins(dialogue: Dialogue, response_id: int, pins: list) -> None:
    """Every pin of the response in one INSERT of many rows (no RETURNING: the ids are not needed).

    One statement, so the tallies' triggers (app/models/tally.py) take their row locks once, in
    key order, and two residents' answers can never wait for each other crosswise.
    """
    if pins:
        db.session.connection().execute(
            _INSERT_PINS.values([_pin_row(dialogue, response_id, p) for p in pins]))


def _pin_row(dialogue: Dialogue, response_id: int, pin) -> dict:
    flags = flags_for(pin.text)
    on_map = pin.location_kind == "map"
    shape = getattr(pin, "shape", None)
    easting, northing = to_sweref(pin.lat, pin.lng) if on_map else (None, None)
    return {
        "dialogue_id": dialogue.id, "response_id": response_id, "question_id": pin.question_id,
        "location_kind": pin.location_kind, "value": pin.value, "sentiment": pin.sentiment,
        "text": pin.text, "category": pin.category, "named_place_id": pin.named_place_id,
        "place_description": pin.place_description, "photo_id": pin.photo_id, "flags": flags,
        "moderation_state": initial_state(dialogue.moderation, flags), "moderation_reason": None,
        "geom": ewkt(point(pin.lat, pin.lng)) if on_map else None,
        "sweref_e": easting, "sweref_n": northing,
        "shape_kind": getattr(pin, "shape_kind", "point"),
        "shape": ewkt(shape) if shape is not None else None,
        "length_m": getattr(pin, "length_m", None), "area_m2": getattr(pin, "area_m2", None),
    }
