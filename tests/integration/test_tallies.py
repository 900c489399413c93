"""The tallies the analysis pages read give the same numbers as grouping the pins themselves.

Pins are written, moderated, moved and deleted the ways the app does (ORM, bulk UPDATE, cascade
from a deleted response), and after each round every reader is compared with the GROUP BY over
`pin` it replaced, on SpatiaLite and on PostGIS (the triggers differ between them).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from geoalchemy2.shape import from_shape
from sqlalchemy import delete, func, select, update

from app import tally
from app.analysis import stats
from app.analysis.filters import PinFilter
from app.analysis.grid import pin_groups
from app.domain import today_in_sweden
from app.extensions import db
from app.models import NamedPlace, Pin, PinCellTally, Response
from app.planner.queue import state_counts
from app.spatial import WGS84, point
from tests.factories import square

STATES = (("published", "pending"), ("published",), ("hidden", "pending", "published"))


def _raw(monkeypatch):
    """Switch the tally readers off, so the same functions group `pin` as before the tallies."""
    monkeypatch.setattr(tally, "cell_rows", lambda *a, **k: None)
    monkeypatch.setattr(tally, "hour_rows", lambda *a, **k: None)


def _groups(dialogue_id, size, pin_filter, states, map_only):
    g = pin_groups(dialogue_id, size, pin_filter, states=states, map_only=map_only)
    return ({(c.easting, c.northing): c.by_value_sentiment for c in g.cells}, g.at_places, g.area)


def _everything(dialogue_id: int) -> dict:
    filters = [PinFilter(), PinFilter(sentiments=("negative", "idea")),
               PinFilter(date_from=today_in_sweden() - timedelta(days=1), date_to=today_in_sweden())]
    figures = {}
    for i, f in enumerate(filters):
        for size in (50, 100, 250, 25):
            for states in STATES:
                for map_only in (True, False):
                    figures[("groups", i, size, states, map_only)] = _groups(dialogue_id, size, f, states,
                                                                             map_only)
        counts = stats.pin_counts(dialogue_id, f, [])
        figures[("values", i)] = counts.per_value()
        figures[("days", i)] = counts.per_day()
    figures["responses"] = stats.responses_per_day(dialogue_id)
    figures["respondents"] = stats.respondent_count(dialogue_id)
    figures["states"] = state_counts(dialogue_id)
    return figures


def _raw_responses(dialogue_id: int) -> tuple[dict, int]:
    hour = stats._hour_bucket(Response.created_at)
    rows = db.session.execute(select(hour, func.count()).where(Response.dialogue_id == dialogue_id)
                              .group_by(hour)).all()
    return stats._per_local_day(rows), sum(n for _h, n in rows)


def _raw_states(dialogue_id: int) -> dict:
    counts = dict(db.session.execute(select(Pin.moderation_state, func.count())
                                     .where(Pin.dialogue_id == dialogue_id)
                                     .group_by(Pin.moderation_state)).all())
    return {s: counts.get(s, 0) for s in state_counts(dialogue_id)}


def _assert_same(dialogue_id: int, monkeypatch) -> None:
    fast = _everything(dialogue_id)
    with monkeypatch.context() as m:
        _raw(m)
        slow = {k: v for k, v in _everything(dialogue_id).items() if not isinstance(k, str)}
    for key, value in slow.items():
        assert fast[key] == value, key
    assert (fast["responses"], fast["respondents"]) == _raw_responses(dialogue_id)
    assert fast["states"] == _raw_states(dialogue_id)


def test_tallies_agree_with_the_pins_through_every_kind_of_write(make, monkeypatch):
    dialogue = make.dialogue()
    other = make.dialogue(make.area(dialogue.municipality))  # its pins must never be counted here
    make.pin(other, value="justice", sentiment="idea")
    pins = []
    for i in range(24):
        pins.append(make.pin(dialogue, lat=59.4100 + (i % 6) * 0.0009, lng=17.9240 + (i // 6) * 0.0013,
                             value=("safety", "justice", "development")[i % 3],
                             sentiment=("negative", "positive", "idea")[(i // 3) % 3],
                             state=("published", "published", "pending", "hidden")[i % 4]))
    make.drawn(dialogue, square(59.411, 17.927, 0.002), value="development", sentiment="idea")
    place = NamedPlace(area_id=dialogue.area_id, name="Husby torg", position=1,
                       geom=from_shape(point(59.4105, 17.9265), srid=WGS84))
    db.session.add(place)
    db.session.flush()
    response = Response(dialogue_id=dialogue.id, survey_version_id=dialogue.survey_version_id,
                        idempotency_key="tally-place-0001", receipt_code="TALLY0001")
    response.pins += [Pin(dialogue_id=dialogue.id, location_kind="named_place", named_place_id=place.id,
                          value="justice", sentiment="idea", text="Vid torget", moderation_state="published"),
                      Pin(dialogue_id=dialogue.id, location_kind="described", value="safety",
                          sentiment="negative", text="Vägen hem", moderation_state="published")]
    db.session.add(response)
    db.session.commit()
    dialogue_id, ids = dialogue.id, [p.id for p in pins]
    _assert_same(dialogue_id, monkeypatch)

    # Moderation: one by one through the ORM, then in bulk as the queue's buttons do.
    db.session.get(Pin, ids[2]).moderation_state = "published"
    db.session.commit()
    db.session.execute(update(Pin).where(Pin.id.in_(ids[4:12])).values(moderation_state="hidden"))
    db.session.commit()
    _assert_same(dialogue_id, monkeypatch)

    # A pin moved to another cell and re-valued; an edit that changes nothing counted.
    moved = db.session.get(Pin, ids[0])
    moved.sweref_e, moved.sweref_n, moved.value = moved.sweref_e + 730, moved.sweref_n - 260, "justice"
    db.session.get(Pin, ids[1]).text = "Ändrad text"
    db.session.commit()
    _assert_same(dialogue_id, monkeypatch)

    # Deletion: a pin, and a whole response (its pins go by the foreign key's cascade).
    db.session.execute(delete(Pin).where(Pin.id == ids[3]))
    db.session.execute(delete(Response).where(Response.id == db.session.get(Pin, ids[5]).response_id))
    db.session.commit()
    _assert_same(dialogue_id, monkeypatch)


def test_a_deleted_dialogue_leaves_no_tally(make):
    dialogue = make.dialogue()
    make.pin(dialogue)
    dialogue_id = dialogue.id
    assert db.session.execute(select(func.sum(PinCellTally.n))
                              .where(PinCellTally.dialogue_id == dialogue_id)).scalar() == 1
    db.session.execute(delete(Pin).where(Pin.dialogue_id == dialogue_id))
    db.session.commit()
    assert tally.cell_rows(dialogue_id, 100, PinFilter(), ("published",), False) == []


@pytest.mark.parametrize("size", [10, 25])
def test_cells_finer_than_the_tally_are_grouped_from_the_pins(make, size):
    dialogue = make.dialogue()
    make.pin(dialogue)
    assert tally.cell_rows(dialogue.id, size, PinFilter(), ("published",), True) is None
    assert pin_groups(dialogue.id, size).cells[0].total == 1
