"""Places, not codes: cells and hotspots named after the nearest named place, and place summaries.

A place's comments are those pinned on the map in cells whose nearest named place it is (within
PLACE_RADIUS metres of the cell's centre) and those given at the place in the list instead of
the map. Distances are measured in SWEREF 99 TM.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from ..extensions import db
from ..models import NamedPlace, Pin
from ..spatial import to_sweref
from .assessment import ValueBalance, cell_balance
from .grid import GridCell, suppress_small

NEAR_METRES = 150  # "vid Husby centrum" within this distance, else "300 m från Husby centrum"
PLACE_RADIUS = 400
QUOTES = 3


@dataclass(frozen=True)
class Place:
    """A named place of the area, with its position in SWEREF 99 TM."""

    id: int
    name: str
    easting: float
    northing: float


def area_places(area_id: int) -> list[Place]:
    """The area's named places that have a position."""
    from geoalchemy2.shape import to_shape

    rows = db.session.execute(
        select(NamedPlace.id, NamedPlace.name, NamedPlace.geom)
        .where(NamedPlace.area_id == area_id, NamedPlace.geom.is_not(None))
        .order_by(NamedPlace.position, NamedPlace.id)
    ).all()
    places = []
    for place_id, name, geom in rows:
        point = to_shape(geom)
        e, n = to_sweref(point.y, point.x)
        places.append(Place(place_id, name, e, n))
    return places


def nearest(easting: float, northing: float, places: list[Place]) -> tuple[Place, float] | None:
    """The nearest place and its distance in metres, or None when the area has none."""
    if not places:
        return None
    place = min(places, key=lambda p: (p.easting - easting) ** 2 + (p.northing - northing) ** 2)
    return place, math.hypot(place.easting - easting, place.northing - northing)


def place_label(easting: float, northing: float, places: list[Place]) -> str:
    """Where a point is, in words: "vid Husby centrum" or "300 m från Husby centrum"."""
    return labeller(places)(easting, northing)


def labeller(places: list[Place]):
    """place_label() for many points: the translated phrases are looked up once."""
    # gettext without arguments returns the catalog's text unformatted; it is filled in below.
    at, away = _("at %(place)s"), _("%(metres)s m from %(place)s")

    def label(easting: float, northing: float) -> str:
        found = nearest(easting, northing, places)
        if found is None:
            return ""
        place, distance = found
        if distance <= NEAR_METRES:
            return at % {"place": place.name}
        metres = int(round(distance, -2 if distance >= 1000 else -1))
        return away % {"metres": f"{metres:,}".replace(",", " "), "place": place.name}

    return label


def cell_label(cell: GridCell, places: list[Place], label=None) -> str:
    """A cell named after its nearest place; its code where the area has no named places."""
    return (label or labeller(places))(*cell.centre) or cell.key


@dataclass
class PlaceSummary:
    """One place: its comments per value and sentiment, its balance and the cells it covers."""

    place: Place
    cell: GridCell  # the place's counts, in the grid's shape so the one small-number rule applies
    balance: ValueBalance
    cells: list[tuple[int, int]]


def place_summaries(cells: list[GridCell], at_places: dict[int, dict], places: list[Place], *,
                    min_count: int, min_judged: int) -> list[PlaceSummary]:
    """Each named place's comments and balance, small numbers hidden by the one rule."""
    if not places:
        return []
    totals = {p.id: GridCell(round(p.easting), round(p.northing), 0) for p in places}
    covers: dict[int, list[tuple[int, int]]] = {p.id: [] for p in places}
    for cell in cells:
        found = nearest(*cell.centre, places)
        if found is None or found[1] > PLACE_RADIUS:
            continue
        place = found[0]
        covers[place.id].append((cell.easting, cell.northing))
        target = totals[place.id].by_value_sentiment
        for key, n in cell.by_value_sentiment.items():
            target[key] = target.get(key, 0) + n
    for place_id, counted in at_places.items():
        if place_id in totals:
            target = totals[place_id].by_value_sentiment
            for key, n in counted.items():
                target[key] = target.get(key, 0) + n
    shown, _hidden = suppress_small([c for c in totals.values() if c.total], min_count)
    shown_ids = {id(c) for c in shown}
    size = cells[0].size if cells else 0
    result = []
    for p in places:
        cell = totals[p.id]
        if id(cell) not in shown_ids:
            continue
        result.append(PlaceSummary(p, cell, cell_balance(cell, min_judged), covers[p.id]))
    for summary in result:
        summary.balance.label = summary.place.name
        summary.balance.extra["size"] = size
    return result


def ranked(summaries: list[PlaceSummary], value: str, *, most_negative: bool, limit: int = 3
           ) -> list[PlaceSummary]:
    """The places with the lowest (or highest) net assessment of a value, assessed ones only."""
    assessed = [s for s in summaries if s.balance.assessments[value].net is not None]
    sign = 1 if most_negative else -1
    ordered = sorted(assessed, key=lambda s: (sign * s.balance.assessments[value].net,
                                              -s.balance.assessments[value].judged))
    return [s for s in ordered if (s.balance.assessments[value].net < 0) == most_negative][:limit]


def quotes(dialogue_id: int, summary: PlaceSummary, value: str, sentiment: str, size: int
           ) -> list[str]:
    """Up to QUOTES published comments of the value and sentiment at the place (raw text)."""
    in_cells = [and_(Pin.sweref_e >= e, Pin.sweref_e < e + size,
                     Pin.sweref_n >= n, Pin.sweref_n < n + size) for e, n in summary.cells]
    where = or_(Pin.named_place_id == summary.place.id, *in_cells)
    return list(db.session.execute(
        select(Pin.text).where(Pin.dialogue_id == dialogue_id, Pin.moderation_state == "published",
                               Pin.value == value, Pin.sentiment == sentiment, where)
        .order_by(Pin.created_at, Pin.id).limit(QUOTES)
    ).scalars())
