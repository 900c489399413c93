"""What an export reads: pins, responses, named places, the area and the grid, in bounded batches.

Pins and responses are read through a streaming cursor (`yield_per`: a server-side cursor on
PostGIS) and handed on as column-oriented batches, so memory stays flat however big the dialogue.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import shapely
from flask import current_app
from geoalchemy2.shape import to_shape
from sqlalchemy import DateTime, func, select, type_coerce

from .. import tally
from ..domain import VALUES
from ..extensions import db
from ..models import (
    Answer,
    DevelopmentArea,
    NamedPlace,
    Photo,
    Pin,
    Response,
    Theme,
    pin_theme,
)
from ..spatial import SWEREF99_TM, WGS84, transformer
from .progress import advance

BATCH_ROWS = 10_000
GRID_METRES = 100
# SWEREF 99 TM and the twelve local SWEREF 99 zones (12 00 ... 23 15), and WGS84.
ALLOWED_CRS = (SWEREF99_TM, WGS84, *range(3007, 3019))

PIN_COLUMNS = (
    "pin_id", "response", "value", "sentiment", "text", "themes", "moderation_state",
    "location_kind", "shape_kind", "named_place", "place_description", "has_photo", "created_at",
)


@dataclass(frozen=True)
class ExportOptions:
    """What the person exporting chose: coordinate system, hidden pins, photos; and whether the
    report may quote comments (only for those who may read them: access.py's "read_raw")."""

    crs: int = SWEREF99_TM
    include_hidden: bool = False
    photos: bool = False
    quotes: bool = True
    args: str = ""  # a task's own arguments as JSON text (the hot spots' cell size, filter, data)

    @property
    def states(self) -> tuple[str, ...]:
        """Moderation states that leave: hidden pins only when asked for, and then flagged."""
        base = ("published", "pending")
        return (*base, "hidden") if self.include_hidden else base


def pseudonym(response_id: int) -> str:
    """A stable pseudonym of a response: an HMAC of its id, not the resident's receipt code."""
    return pseudonymiser()(response_id)


def pseudonymiser() -> Callable[[int], str]:
    """pseudonym() for many ids: the keyed HMAC state is prepared once and copied per id."""
    keyed = hmac.new(current_app.config["SECRET_KEY"].encode(), digestmod=hashlib.sha256)

    def name(response_id: int) -> str:
        mac = keyed.copy()
        mac.update(f"response:{response_id}".encode())
        return mac.hexdigest()[:16]

    return name


def photo_name(pin_id: int) -> str:
    """Where a pin's photo lies in an export's ZIP, relative to the main file."""
    return f"photos/{pin_id}.jpg"


def pin_count(dialogue_id: int, options: ExportOptions) -> int:
    """How many pins an export with these options holds."""
    return tally.pin_count(dialogue_id, tuple(options.states))


def response_count(dialogue_id: int) -> int:
    """How many responses (respondents) the dialogue has."""
    return tally.response_count(dialogue_id)


def _themes_of(dialogue_id: int, first_id: int, last_id: int) -> dict[int, list[str]]:
    """Theme names per pin, for a batch of pins given by its id range (one indexed range scan)."""
    found: dict[int, list[str]] = defaultdict(list)
    rows = db.session.execute(
        select(pin_theme.c.pin_id, Theme.name)
        .join(Theme, Theme.id == pin_theme.c.theme_id)
        .where(Theme.dialogue_id == dialogue_id, pin_theme.c.pin_id.between(first_id, last_id))
        .order_by(Theme.name)
    )
    for pin_id, name in rows:
        found[pin_id].append(name)
    return found


def _created_utc():
    """created_at as a naive UTC datetime, converted by the database (fast for a million rows)."""
    column = Pin.__table__.c.created_at
    if db.session.get_bind().dialect.name == "postgresql":
        return type_coerce(func.timezone("UTC", column), DateTime())
    return type_coerce(column, DateTime())  # SQLite stores naive UTC already


def pin_batches(dialogue_id: int, options: ExportOptions, batch_rows: int | None = None
                ) -> Iterator[dict[str, list | np.ndarray]]:
    """The dialogue's pins in batches of columns: attributes, WGS84, SWEREF 99 TM and target x/y.

    x/y, lat/lng and sweref are the pin's point: for a drawn route or area the point kept on it
    (Pin); "shape" holds the route's or area's own geometry (Shapely, WGS84), None for a point;
    length_m / area_m2 its size in SWEREF 99 TM.
    """
    batch_rows = batch_rows or current_app.config.get("EXPORT_BATCH_ROWS", BATCH_ROWS)
    statement = (
        select(
            Pin.id, Pin.response_id, Pin.value, Pin.sentiment, Pin.text, Pin.moderation_state,
            Pin.location_kind, NamedPlace.name, Pin.place_description, Pin.photo_id,
            _created_utc(), func.ST_X(Pin.geom), func.ST_Y(Pin.geom), Pin.sweref_e, Pin.sweref_n,
            Pin.shape_kind, Pin.length_m, Pin.area_m2, Pin.shape,
        )
        .outerjoin(NamedPlace, NamedPlace.id == Pin.named_place_id)
        .where(Pin.dialogue_id == dialogue_id, Pin.moderation_state.in_(options.states))
        .order_by(Pin.id)
    )
    # Core, not the ORM: a million plain tuples, no ORM row processing.
    # (Options per statement: Connection.execution_options() would change the shared connection.)
    result = db.session.connection().execute(statement,
                                             execution_options={"yield_per": batch_rows})
    name = pseudonymiser()
    names: dict[int, str] = {}
    to_target = transformer(WGS84, options.crs) if options.crs != WGS84 else None
    for part in result.partitions():
        (ids, responses, values, sentiments, texts, states, kinds, places, descriptions, photos,
         created, lngs, lats, eastings, northings, shape_kinds, lengths, areas, shapes) = (
            list(c) for c in zip(*part, strict=True))
        advance(len(ids))
        themes = _themes_of(dialogue_id, ids[0], ids[-1])
        for response_id in responses:
            if response_id not in names:
                names[response_id] = name(response_id)
        lng = np.array(lngs, dtype="float64")  # None (no map point) becomes NaN
        lat = np.array(lats, dtype="float64")
        x, y = to_target.transform(lng, lat) if to_target else (lng, lat)
        yield {
            "pin_id": ids,
            "response": [names[r] for r in responses],
            "value": values, "sentiment": sentiments, "text": texts,
            "themes": ["; ".join(themes.get(i, ())) for i in ids],
            "moderation_state": states, "location_kind": kinds, "named_place": places,
            "place_description": descriptions,
            "has_photo": [p is not None for p in photos], "photo_id": photos,
            "created_at": created,
            "lat": lat, "lng": lng,
            "sweref_e": eastings, "sweref_n": northings,
            "x": np.asarray(x), "y": np.asarray(y),
            "shape_kind": shape_kinds, "length_m": lengths, "area_m2": areas,
            "shape": [None if shape is None else shapely.from_wkb(shape.data) for shape in shapes],
        }
        if len(names) > 4 * batch_rows:  # a bounded cache: responses are mostly contiguous
            names.clear()


def iter_photos(dialogue_id: int, options: ExportOptions, batch_rows: int = 50
                ) -> Iterator[tuple[int, bytes]]:
    """(pin id, JPEG bytes) of the photos of the pins this export holds, a few at a time."""
    result = db.session.execute(
        select(Pin.id, Photo.data).join(Photo, Photo.id == Pin.photo_id)
        .where(Pin.dialogue_id == dialogue_id, Pin.moderation_state.in_(options.states))
        .order_by(Pin.id),
        execution_options={"yield_per": batch_rows},
    )
    for pin_id, data in result:
        yield pin_id, bytes(data)


def iter_pins(dialogue_id: int, options: ExportOptions) -> Iterator[dict]:
    """The pins one at a time, as dicts (for the row-oriented formats)."""
    for batch in pin_batches(dialogue_id, options):
        keys = list(batch)
        for i in range(len(batch["pin_id"])):
            yield {k: batch[k][i] for k in keys}


@dataclass(frozen=True)
class ResponseRow:
    response: str
    created_at: datetime
    language: str
    answers: dict


def iter_responses(dialogue_id: int, batch_rows: int = 5_000) -> Iterator[ResponseRow]:
    """Every response of the dialogue with its answers by question id, in id order."""
    result = db.session.execute(
        select(Response.id, Response.created_at, Response.language)
        .where(Response.dialogue_id == dialogue_id).order_by(Response.id),
        execution_options={"yield_per": batch_rows},
    )
    name = pseudonymiser()
    for part in result.partitions():
        advance(len(part))
        answers: dict[int, dict] = defaultdict(dict)
        for response_id, question_id, value in db.session.execute(
            select(Answer.response_id, Answer.question_id, Answer.value)
            .where(Answer.response_id.in_([r[0] for r in part]))
        ):
            answers[response_id][question_id] = value
        for response_id, created_at, language in part:
            yield ResponseRow(name(response_id), created_at, language, answers[response_id])


def area_shape(area_id: int):
    """The area's outline (Shapely, WGS84) and the area row."""
    area = db.session.get(DevelopmentArea, area_id)
    return to_shape(area.geom), area


def named_places(area_id: int) -> list[tuple[str, object]]:
    """(name, WGS84 point or None) of the area's named places, in list order."""
    rows = db.session.execute(
        select(NamedPlace.name, NamedPlace.geom).where(NamedPlace.area_id == area_id)
        .order_by(NamedPlace.position, NamedPlace.id)
    ).all()
    return [(name, to_shape(geom) if geom is not None else None) for name, geom in rows]


@dataclass(frozen=True)
class GridCell:
    easting: int  # south-west corner in SWEREF 99 TM, metres
    northing: int
    by_value_sentiment: dict[tuple[str, str], int]

    @property
    def counts(self) -> dict[str, int]:
        """Pins per value, every value present."""
        return {v: sum(n for (value, _s), n in self.by_value_sentiment.items() if value == v)
                for v in VALUES}

    @property
    def total(self) -> int:
        """Pins in the cell, all values."""
        return sum(self.by_value_sentiment.values())

    def count(self, value: str, sentiment: str) -> int:
        """Pins of one value and sentiment."""
        return self.by_value_sentiment.get((value, sentiment), 0)


def grid_cells(dialogue_id: int, options: ExportOptions, size: int = GRID_METRES) -> list[GridCell]:
    """Map pins per grid cell (SWEREF 99 TM) per value and sentiment, from the one grid GROUP BY."""
    from ..analysis.grid import grid_summary

    cells = grid_summary(dialogue_id, size, states=options.states)
    return sorted((GridCell(c.easting, c.northing, dict(c.by_value_sentiment)) for c in cells),
                  key=lambda c: (c.easting, c.northing))
