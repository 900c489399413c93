"""Rules about data live in the database too: constraints hold even if Python code is bypassed."""

import pytest
from sqlalchemy import text, update
from sqlalchemy.exc import DataError, IntegrityError

from app.extensions import db
from app.models import Dialogue, Municipality, Pin, Response


def _fails(statement) -> None:
    # PostgreSQL refuses a too-long string as a data error before any CHECK runs; both are refusals.
    with pytest.raises((IntegrityError, DataError)):
        db.session.execute(statement)
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize(
    "column, bad",
    [("value", "beauty"), ("sentiment", "angry"), ("moderation_state", "maybe"), ("location_kind", "gps")],
)
def test_pin_enumerations_are_checked_by_the_database(make, column, bad):
    pin = make.pin(make.dialogue())
    _fails(update(Pin).where(Pin.id == pin.id).values({column: bad}))


def test_a_map_pin_without_coordinates_is_refused_by_the_database(make):
    pin = make.pin(make.dialogue())
    _fails(update(Pin).where(Pin.id == pin.id).values(sweref_e=None))


def test_an_empty_comment_is_refused_by_the_database(make):
    pin = make.pin(make.dialogue())
    _fails(update(Pin).where(Pin.id == pin.id).values(text=""))


@pytest.mark.parametrize("column, bad", [("status", "published"), ("phase", 5), ("moderation", "never")])
def test_dialogue_status_phase_and_moderation_are_checked(make, column, bad):
    dialogue = make.dialogue()
    _fails(update(Dialogue).where(Dialogue.id == dialogue.id).values({column: bad}))


def test_closing_date_before_opening_date_is_refused(make):
    dialogue = make.dialogue()
    _fails(
        update(Dialogue)
        .where(Dialogue.id == dialogue.id)
        .values(opens_on=dialogue.closes_on, closes_on=dialogue.opens_on)
    )


def test_kommunkod_is_four_characters_and_unique(make):
    make.municipality(kommunkod="0180")
    db.session.add(Municipality(name="Stockholm igen", kommunkod="0180"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(Municipality(name="Fel", kommunkod="180"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_the_same_idempotency_key_cannot_be_stored_twice_in_a_dialogue(make):
    dialogue = make.dialogue()
    for _ in range(2):
        db.session.add(
            Response(dialogue_id=dialogue.id, survey_version_id=dialogue.survey_version_id,
                     idempotency_key="k" * 32, receipt_code=f"R{_}ABCDEFGH")
        )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert db.session.execute(text("SELECT count(*) FROM response")).scalar_one() == 0


def test_spatial_indexes_exist_on_area_and_pin_geometries(app_context, is_postgis):
    if is_postgis:
        names = db.session.execute(
            text("SELECT indexname FROM pg_indexes WHERE indexdef ILIKE '%gist%'")
        ).scalars().all()
        assert {"idx_pin_geom", "idx_development_area_geom"} <= set(names)
    else:
        rows = db.session.execute(
            text("SELECT f_table_name FROM geometry_columns WHERE spatial_index_enabled = 1")
        ).scalars().all()
        assert {"pin", "development_area"} <= {r.lower() for r in rows}


def _route(make):
    from shapely import LineString

    from tests.factories import INSIDE

    lat, lng = INSIDE
    return make.drawn(make.dialogue(), LineString([(lng - 0.002, lat), (lng + 0.002, lat)]))


def test_a_drawn_route_is_stored_with_its_shape_length_and_a_point_on_it(make):
    from geoalchemy2.shape import to_shape

    pin = db.session.get(Pin, _route(make).id)
    assert pin.shape_kind == "line"
    assert to_shape(pin.shape).geom_type == "LineString"
    # 0.004° of longitude at 59.3° N is about 227 m; the point kept for lists lies on the line.
    assert 220 < pin.length_m < 235 and pin.area_m2 is None
    on_line = to_shape(pin.shape).distance(to_shape(pin.geom))  # degrees; 1e-5 is about a metre
    assert on_line < 1e-5


@pytest.mark.parametrize("values", [
    {"shape_kind": "point"},  # a point with a drawn shape
    {"shape": None},  # a route on the map without its line
    {"shape_kind": "curve"},
])
def test_lines_and_areas_are_consistent_in_the_database(make, values):
    pin = _route(make)
    _fails(update(Pin).where(Pin.id == pin.id).values(values))
