"""A planner uploads an area file on the web: refused with a sentence at the top, or previewed first.

The files are Stockholm's real districts moved into Norway and Denmark, or labelled with the
neighbouring SWEREF 99 zone (tests/shifted_files.py).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import DevelopmentArea

from ..shifted_files import COPENHAGEN, OSLO, SIMPLIFIED, mislabelled_districts, moved_district, zipped
from .planner_helpers import login, post

SV = {"Accept-Language": "sv"}


@pytest.fixture
def stockholm(make, client, realdata):
    municipality = make.municipality("Stockholm", "0180")
    user = make.user(municipality)
    login(client, user)
    return municipality.id, user.id


def _upload(client, municipality_id, shp, **fields):
    return post(client, "/planering/omraden/nytt", {
        "name": "Husby", "municipality_id": municipality_id,
        "upload": (zipped(shp), "stadsdel.zip"), **fields,
    }, content_type="multipart/form-data", headers=SV)


def _messages(page: str) -> str:
    match = re.search(r'<div class="error-summary" id="form-messages" role="alert" tabindex="-1" '
                      r'data-focus-on-load>(.*?)</div>', page, re.S)
    assert match, "no messages at the top of the form"
    return re.sub(r"<[^>]+>", " ", match.group(1))


def _stored() -> int:
    return db.session.execute(select(func.count()).select_from(DevelopmentArea)).scalar_one()


@pytest.mark.parametrize("to", [OSLO, COPENHAGEN], ids=["oslo", "copenhagen"])
def test_a_district_moved_abroad_is_refused_at_the_top_of_the_form(client, stockholm, tmp_path, to):
    response = _upload(client, stockholm[0], moved_district(tmp_path, to))
    assert response.status_code == 422
    text = _messages(response.get_data(as_text=True))
    assert "Området ligger utanför Sverige" in text
    assert _stored() == 0


def test_the_wrong_sweref_zone_is_named_and_nothing_is_stored(client, stockholm, tmp_path):
    response = _upload(client, stockholm[0], mislabelled_districts(tmp_path, 3010),
                       feature="name=HUSBY")
    assert response.status_code == 422
    text = _messages(response.get_data(as_text=True))
    assert "inte i Stockholm" in text
    assert "Filen säger SWEREF 99 16 30 (EPSG:3010); i SWEREF 99 18 00 (EPSG:3011) skulle den ligga " \
           "i Stockholm" in text
    assert "--" not in text  # web terms, no command-line flags
    assert _stored() == 0


def test_an_upload_is_previewed_and_saved_only_when_confirmed(client, stockholm, tmp_path):
    response = _upload(client, stockholm[0], moved_district(tmp_path, (17.9259, 59.4108)))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Kontrollera området innan du sparar" in page
    assert re.search(r"<dd data-municipality>Stockholm</dd>", page)
    vertices = re.search(r"<dd data-vertices>(\d+)</dd>", page)
    assert vertices and int(vertices.group(1)) > 4
    assert _stored() == 0
    token = re.search(r'name="upload_token" type="hidden" value="([^"]+)"', page).group(1)
    saved = post(client, "/planering/omraden/nytt", {
        "name": "Husby", "municipality_id": stockholm[0], "upload_token": token, "action": "save"})
    assert saved.status_code == 302
    assert _stored() == 1
    # The kept file is gone once saved: the same token cannot save twice.
    again = post(client, "/planering/omraden/nytt", {
        "name": "Husby 2", "municipality_id": stockholm[0], "upload_token": token, "action": "save"},
        headers=SV)
    assert again.status_code == 422 and "finns inte kvar" in again.get_data(as_text=True)
    assert _stored() == 1


def test_another_planners_kept_upload_cannot_be_used(client, make, stockholm):
    page = _upload(client, stockholm[0], SIMPLIFIED).get_data(as_text=True)
    token = re.search(r'name="upload_token" type="hidden" value="([^"]+)"', page).group(1)
    solna = make.municipality("Solna", "0184")
    solna_id = solna.id
    login(client, make.user(solna))
    response = post(client, "/planering/omraden/nytt", {
        "name": "X", "municipality_id": solna_id, "upload_token": token,
        "feature": "name=HUSBY", "action": "save"}, headers=SV)
    assert response.status_code == 422 and "finns inte kvar" in response.get_data(as_text=True)
    assert _stored() == 0
