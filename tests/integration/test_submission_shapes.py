"""Routes and areas as answers, through the one submission path: checked, measured, stored once."""

from __future__ import annotations

import json

import pytest
from geoalchemy2.shape import to_shape
from shapely import LineString, Polygon
from sqlalchemy import func, select

from app.extensions import db
from app.models import Answer, NamedPlace, Pin, Response
from app.resident.shapes import MAX_VERTICES
from app.spatial import SWEREF99_TM, WGS84, from_sweref, reproject, to_sweref

from ..conftest import csrf_from
from ..factories import INSIDE, REPO
from .query_count import count_queries  # noqa: F401  (a fixture)

SURVEY = REPO / "tests" / "data" / "rutter_och_omraden.yaml"
KEY = "7d444840-9dc0-11d1-b245-5ffdce74fad2"


def _sweref_square(e: float, n: float, side: float) -> list[list[float]]:
    """A square's ring in WGS84 [lng, lat], laid out in SWEREF 99 TM (side in metres)."""
    corners = [(e, n), (e + side, n), (e + side, n + side), (e, n + side), (e, n)]
    return [[lng, lat] for lat, lng in (from_sweref(x, y) for x, y in corners)]


E0, N0 = to_sweref(*INSIDE)


def _sweref_line(*offsets: tuple[float, float]) -> list[list[float]]:
    """A line in WGS84 [lng, lat] through points given in metres east and north of INSIDE."""
    return [[lng, lat] for lat, lng in (from_sweref(E0 + dx, N0 + dy) for dx, dy in offsets)]


ROUTE = [[lng, lat] for lat, lng in (from_sweref(E0 + dx, N0 + dy)
                                     for dx, dy in ((0, 0), (300, 0), (300, 400)))]  # 700 m
PARK = _sweref_square(E0, N0, 100)  # 10 000 m²


def _dialogue(make):
    return make.dialogue(version=make.survey_version(SURVEY))


def _pin(question="vag", geometry=None, **overrides) -> dict:
    if geometry is None:
        geometry = ({"type": "LineString", "coordinates": ROUTE} if question == "vag"
                    else {"type": "Polygon", "coordinates": [PARK]})
    pin = {"question": question, "sentiment": "negative" if question == "vag" else "idea",
           "comment": "Hit går jag varje dag.", "location": {"kind": "map", "geometry": geometry}}
    pin.update(overrides)
    return pin


def _post(client, dialogue, pins, lang="sv"):
    page = client.get(f"/d/{dialogue.slug}/svara?lang={lang}")
    assert page.status_code == 200
    token = csrf_from(page.get_data(as_text=True))
    payload = {"key": KEY, "answers": {"samtycke": True}, "pins": pins, "website": ""}
    return client.post(f"/d/{dialogue.slug}/svar", data=json.dumps(payload),
                       content_type="application/json", headers={"X-CSRFToken": token})


def _count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def _nothing_stored() -> bool:
    return _count(Response) == _count(Pin) == _count(Answer) == 0


def _pin_error(response) -> str:
    return json.dumps(response.get_json()["errors"]["pins"], ensure_ascii=False)


def test_a_route_and_an_area_are_stored_with_their_geometry_and_size(client, make):
    dialogue = _dialogue(make)
    response = _post(client, dialogue, [_pin("vag"), _pin("park")])
    assert response.status_code == 200, response.get_json()
    line, area = db.session.execute(select(Pin).order_by(Pin.id)).scalars().all()
    assert (line.shape_kind, area.shape_kind) == ("line", "area")
    assert line.length_m == pytest.approx(700, abs=0.5)
    assert area.area_m2 == pytest.approx(10_000, abs=5)
    assert line.area_m2 is None and area.length_m is None
    # The stored geometry is the drawn one, compared in SWEREF 99 TM.
    stored_line = reproject(to_shape(line.shape), WGS84, SWEREF99_TM)
    drawn_line = LineString([(E0, N0), (E0 + 300, N0), (E0 + 300, N0 + 400)])
    assert stored_line.hausdorff_distance(drawn_line) < 1
    stored_area = reproject(to_shape(area.shape), WGS84, SWEREF99_TM)
    drawn_area = Polygon([(E0, N0), (E0 + 100, N0), (E0 + 100, N0 + 100), (E0, N0 + 100)])
    assert stored_area.hausdorff_distance(drawn_area) < 1
    # The representative point lies on the line / in the area, with its SWEREF columns beside it.
    assert stored_line.distance(reproject(to_shape(line.geom), WGS84, SWEREF99_TM)) < 0.01
    assert stored_area.contains(reproject(to_shape(area.geom), WGS84, SWEREF99_TM))
    assert (line.sweref_e, line.sweref_n) == pytest.approx(to_sweref(to_shape(line.geom).y,
                                                                      to_shape(line.geom).x))
    valid = db.session.execute(select(func.ST_IsValid(Pin.shape))).scalars().all()
    assert valid == [True, True]


def test_an_area_over_the_edge_is_cut_to_the_outline(client, make):
    from app.resident.routes import area_outline

    dialogue = _dialogue(make)
    outline = reproject(area_outline(dialogue.area_id), WGS84, SWEREF99_TM)
    west = outline.bounds[0]
    # Find the outline's westmost point and draw a square mostly inside, a little over that edge.
    edge = min(outline.geoms[0].exterior.coords, key=lambda c: c[0])
    square = _sweref_square(west - 20, edge[1] - 100, 200)
    response = _post(client, dialogue, [_pin("park", {"type": "Polygon", "coordinates": [square]})])
    assert response.status_code == 200, response.get_json()
    stored = db.session.execute(select(Pin)).scalar_one()
    shape = reproject(to_shape(stored.shape), WGS84, SWEREF99_TM)
    assert outline.buffer(0.5).contains(shape)
    assert stored.area_m2 < 200 * 200 and stored.area_m2 == pytest.approx(shape.area, rel=1e-3)


def test_a_route_through_named_places_is_drawn_by_the_server(client, make):
    dialogue = _dialogue(make)
    from geoalchemy2.shape import from_shape
    from shapely import Point

    places = []
    for name, (dx, dy) in (("Tunnelbanan", (0, 0)), ("Skolan", (300, 400))):
        lat, lng = from_sweref(E0 + dx, N0 + dy)
        place = NamedPlace(area_id=dialogue.area_id, name=name, geom=from_shape(Point(lng, lat), srid=WGS84))
        db.session.add(place)
        db.session.commit()
        places.append(place.id)
    pin = _pin("vag")
    pin["location"] = {"kind": "places", "places": places}
    response = _post(client, dialogue, [pin])
    assert response.status_code == 200, response.get_json()
    stored = db.session.execute(select(Pin)).scalar_one()
    assert stored.location_kind == "map" and stored.shape_kind == "line"
    assert stored.length_m == pytest.approx(500, abs=0.5)


def test_a_route_described_in_words_keeps_its_kind_without_a_shape(client, make):
    dialogue = _dialogue(make)
    pin = _pin("vag")
    pin["location"] = {"kind": "described", "description": "Från tunnelbanan längs Husbygårdsgatan"}
    response = _post(client, dialogue, [pin])
    assert response.status_code == 200, response.get_json()
    stored = db.session.execute(select(Pin)).scalar_one()
    assert (stored.location_kind, stored.shape_kind, stored.shape) == ("described", "line", None)


@pytest.mark.parametrize(("pin", "said"), [
    (_pin("park", {"type": "Polygon", "coordinates": [[PARK[0], PARK[2], PARK[1], PARK[3], PARK[0]]]}),
     "Områdets kant korsar sig själv"),
    (_pin("vag", {"type": "LineString", "coordinates": [[17.80, 59.50], [17.81, 59.50]]}),
     "Det mesta av vägen måste ligga inom dialogens område (minst 80 %)"),
    (_pin("park", {"type": "Polygon", "coordinates": [_sweref_square(E0 - 20000, N0, 100)]}),
     "Området måste ligga inom dialogens gräns"),
    (_pin("vag", {"type": "LineString", "coordinates": _sweref_line(
        (-500, 0), (500, 0), (500, 200), (-500, 200), (-500, 400), (500, 400))}),  # 3.4 km
     "högst 3,0 km"),
    (_pin("vag", {"type": "LineString", "coordinates": [ROUTE[0]] * 2 + [
        [ROUTE[0][0] + i * 1e-6, ROUTE[0][1]] for i in range(MAX_VERTICES)]}),
     "för många punkter: högst 500"),
    (_pin("vag", {"type": "LineString", "coordinates": "LINESTRING(17.9 59.4, 17.91 59.41)"}),
     "Ritningen kunde inte läsas"),
    (_pin("vag", {"type": "LineString", "coordinates": [[17.92, 59.41], [float("nan"), 59.41]]}),
     "Ritningen kunde inte läsas"),
    (_pin("vag", {"type": "Polygon", "coordinates": [PARK]}), "Frågan gäller en väg: rita en linje"),
    (_pin("vag", {"type": "LineString", "coordinates": [[17.92, 59.41], [17.92, 59.41]]}),
     "En väg behöver minst två olika punkter"),
    (_pin("park", {"type": "Polygon", "coordinates": [_sweref_square(E0, N0, 10)]}),
     "minst 500 m²"),
    (_pin("vag", {"type": "LineString", "coordinates": [[117.92, 59.41], [17.92, 59.41]]}),
     "punkter långt utanför"),
], ids=["self-crossing", "line-outside", "area-outside", "too-long", "too-many-vertices",
        "malformed", "not-a-number", "wrong-kind", "one-point", "too-small", "outside-sweden"])
def test_a_bad_drawing_is_refused_in_swedish_and_nothing_is_stored(client, make, pin, said):
    dialogue = _dialogue(make)
    response = _post(client, dialogue, [pin])
    assert response.status_code == 422, response.get_json()
    assert said in _pin_error(response)
    assert _nothing_stored()


def test_the_refusal_is_in_english_for_an_english_page(client, make):
    dialogue = _dialogue(make)
    crossing = [[PARK[0], PARK[2], PARK[1], PARK[3], PARK[0]]]
    response = _post(client, dialogue, [_pin("park", {"type": "Polygon", "coordinates": crossing})],
                     lang="en")
    assert response.status_code == 422
    assert "The edge of the area crosses itself" in _pin_error(response)
    assert _nothing_stored()


def test_drawn_answers_cost_one_statement_more_whatever_their_number(client, make, count_queries):  # noqa: F811
    """The cheap path stays cheap: routes and areas add one query for all of them, not one each."""
    dialogue = _dialogue(make)

    def statements(pins: list[dict], key: str) -> int:
        page = client.get(f"/d/{dialogue.slug}/svara?lang=sv")
        token = csrf_from(page.get_data(as_text=True))
        payload = {"key": key, "answers": {"samtycke": True}, "pins": pins, "website": ""}
        with count_queries() as sent:
            response = client.post(f"/d/{dialogue.slug}/svar", data=json.dumps(payload),
                                   content_type="application/json", headers={"X-CSRFToken": token})
        assert response.status_code == 200, response.get_json()
        return len(sent)

    statements([_pin("park")], "w" * 20)  # the survey version is parsed once per process
    one = statements([_pin("vag")], "a" * 20)
    four = statements([_pin("vag"), _pin("vag"), _pin("park"), _pin("park")], "b" * 20)
    assert one == four
