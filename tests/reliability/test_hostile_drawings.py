"""Hostile routes and areas, posted over HTTP to gunicorn: a 4xx in Swedish, nothing stored, still up."""

from __future__ import annotations

import json

import requests
from sqlalchemy import text

from app.extensions import db
from app.spatial import from_sweref, to_sweref

from ..conftest import csrf_from
from ..factories import INSIDE, REPO

SURVEY = REPO / "tests" / "data" / "rutter_och_omraden.yaml"
E0, N0 = to_sweref(*INSIDE)


def _ring(*offsets):
    return [[lng, lat] for lat, lng in (from_sweref(E0 + dx, N0 + dy) for dx, dy in offsets)]


BOW_TIE = {"type": "Polygon", "coordinates": [_ring((0, 0), (100, 100), (100, 0), (0, 100), (0, 0))]}
CASES = {
    "self-crossing polygon": ("park", BOW_TIE, "korsar sig själv"),
    "outside the area": ("vag", {"type": "LineString", "coordinates": [[17.80, 59.50], [17.81, 59.50]]},
                         "inom dialogens område"),
    "too long": ("vag", {"type": "LineString", "coordinates": _ring((-500, 0), (500, 0), (500, 200),
                                                                      (-500, 200), (-500, 400), (500, 400))},
                 "högst 3,0 km"),
    "too many vertices": ("vag", {"type": "LineString", "coordinates": [[17.92 + i * 1e-7, 59.41]
                                                                        for i in range(100_000)]},
                          "för många punkter"),
    "malformed": ("park", {"type": "Polygon", "coordinates": [[["a", "b"]]]}, "kunde inte läsas"),
    "nested garbage": ("park", {"type": "Polygon", "coordinates": [[[[[[1]]]]]]}, "kunde inte läsas"),
    "not an object": ("vag", "LINESTRING(17.9 59.4, 17.91 59.41)", "kunde inte läsas"),
    "a point for a line": ("vag", {"type": "Point", "coordinates": [17.92, 59.41]}, "rita en linje"),
}


def _counts() -> tuple[int, int]:
    db.session.remove()
    counts = tuple(db.session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()  # noqa: S608
                   for t in ("response", "pin"))
    db.session.remove()
    return counts


def test_hostile_drawings_are_refused_in_swedish_and_nothing_is_stored(served, make):
    # One server for every case: gunicorn's start is the slow part of a served test.
    dialogue = make.dialogue(version=make.survey_version(SURVEY))
    session = requests.Session()
    token = csrf_from(session.get(f"{served}/d/{dialogue.slug}/svara?lang=sv", timeout=30).text)
    before = _counts()
    for case, (question, geometry, said) in CASES.items():
        pin = {"question": question, "sentiment": "negative" if question == "vag" else "idea",
               "comment": "Test.", "location": {"kind": "map", "geometry": geometry}}
        payload = {"key": "hostile-drawing-key-0001", "answers": {"samtycke": True}, "pins": [pin]}
        response = session.post(f"{served}/d/{dialogue.slug}/svar", data=json.dumps(payload), timeout=60,
                                headers={"Content-Type": "application/json", "X-CSRFToken": token,
                                         "Accept-Language": "sv"})
        assert 400 <= response.status_code < 500, (case, response.text[:300])
        assert said in json.dumps(response.json(), ensure_ascii=False), case
        assert _counts() == before, case
    assert session.get(f"{served}/d/{dialogue.slug}", timeout=30).status_code == 200
