"""Bad input at the resident's form: a clear 4xx, nothing stored, nothing executed."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from app.extensions import db
from app.models import Pin, Response

from ..conftest import csrf_from
from ..factories import INSIDE, OUTSIDE


def form_for(client, slug: str, **overrides) -> dict:
    page = client.get(f"/d/{slug}/enkel", headers={"Accept-Language": "sv"})
    data = {
        "csrf_token": csrf_from(page.get_data(as_text=True)),
        "lat": str(INSIDE[0]), "lng": str(INSIDE[1]), "value": "justice", "sentiment": "idea",
        "text": "En lekplats här vore bra.", "idempotency_key": "bad-input-key-0000000001", "website": "",
    }
    data.update(overrides)
    return data


def stored() -> int:
    db.session.remove()
    return db.session.execute(select(func.count()).select_from(Response)).scalar_one()


@pytest.fixture
def slug(make) -> str:
    return make.dialogue().slug


# The plain form's corpus; test_bad_input_served.py sends it to gunicorn as well.
FORM_CASES = [
        ({"lat": "abc"}, 422, "utanför området"),
        ({"lat": "[59.4, 17.9]"}, 422, "utanför området"),
        ({"lat": "NaN", "lng": "NaN"}, 422, "utanför området"),
        ({"lat": "Infinity"}, 422, "utanför området"),
        ({"lng": "-inf"}, 422, "utanför området"),
        ({"lat": "1e308"}, 422, "utanför området"),
        ({"lat": "-1e308", "lng": "1e308"}, 422, "utanför området"),
        ({"lat": "1e309"}, 422, "utanför området"),
        ({"lat": "0x3B"}, 422, "utanför området"),
        ({"lat": str(OUTSIDE[0]), "lng": str(OUTSIDE[1])}, 422, "utanför området"),
        ({"lat": "40.4168", "lng": "-3.7038"}, 422, "utanför området"),  # Madrid
        ({"value": "1"}, 422, "Välj vad din synpunkt handlar om"),
        ({"value": "safety' OR '1'='1"}, 422, "Välj vad din synpunkt handlar om"),
        ({"sentiment": "🙂"}, 422, "Välj vilken sorts synpunkt"),
        ({"text": "x" * 2001}, 422, "högst 2"),
        ({"text": "\x01\x02\x1b\x7f\u0085\t "}, 422, "Skriv en synpunkt"),
        ({"idempotency_key": "short"}, 422, ""),
        ({"idempotency_key": "k" * 65}, 422, ""),
]
NUL_CASES = [({"idempotency_key": "bad-input-key\x00-000000001"}, 422),
             ({"idempotency_key": "nyckel med ' och ;--"}, 422),
             ({"lat": "59.41\x00"}, 422), ({"value": "safety\x00"}, 422), ({"sentiment": "\x00"}, 422)]


@pytest.mark.parametrize("overrides, status, message", FORM_CASES)
def test_a_wrong_field_is_refused_with_a_reason_and_nothing_stored(client, slug, overrides, status, message):
    response = client.post(f"/d/{slug}/pin", data=form_for(client, slug, **overrides))
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert stored() == 0


@pytest.mark.parametrize("overrides, status", NUL_CASES)
def test_a_nul_byte_in_a_field_is_refused_and_nothing_stored(client, slug, overrides, status):
    response = client.post(f"/d/{slug}/pin", data=form_for(client, slug, **overrides))
    assert response.status_code == status
    assert stored() == 0


def test_control_characters_and_nul_bytes_in_a_comment_are_removed_before_storing(client, slug):
    comment = "Mörkt\x00 här\x1b\x07 på\u2028 kvällen"
    response = client.post(f"/d/{slug}/pin", data=form_for(client, slug, text=comment))
    assert response.status_code == 302
    db.session.remove()
    assert db.session.execute(select(Pin.text)).scalar_one() == "Mörkt här på\u2028 kvällen"


def test_a_nul_byte_in_the_address_is_a_400(client, slug):
    assert client.get("/d/dialog%00x").status_code == 400
    assert client.get(f"/d/{slug}?lang=sv%00").status_code == 400


def test_malformed_requests_are_400_and_nothing_stored(client, slug):
    url = f"/d/{slug}/pin"
    form_for(client, slug)  # the browser has its session
    no_token = form_for(client, slug)
    del no_token["csrf_token"]
    assert client.post(url, data=no_token).status_code == 400
    assert client.post(url, data=b"\xff\xfe%%%&&&==", content_type="application/x-www-form-urlencoded"
                       ).status_code == 400
    assert client.post(url, data="{not json", content_type="application/json").status_code == 400
    assert client.post(url, json={"lat": [1], "lng": {"a": None}}).status_code == 400
    assert client.post(url, data=b"--x\r\nbroken", content_type="multipart/form-data; boundary=x"
                       ).status_code == 400
    assert stored() == 0


def test_a_body_over_the_size_limit_is_413(app, client, slug):
    huge = "å" * (app.config["MAX_CONTENT_LENGTH"] // 2 + 1024)  # two bytes each in UTF-8
    response = client.post(f"/d/{slug}/pin", data=form_for(client, slug, text=huge),
                           headers={"Accept-Language": "sv"})
    assert response.status_code == 413
    assert "Filen är för stor" in response.get_data(as_text=True)
    assert stored() == 0


HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)> '); DROP TABLE pin; -- \" OR 1=1"


def test_script_and_sql_are_stored_as_plain_text(client, slug):
    response = client.post(f"/d/{slug}/pin", data=form_for(client, slug, text=HOSTILE))
    assert response.status_code == 302
    db.session.remove()
    assert db.session.execute(select(Pin.text)).scalar_one() == HOSTILE
    assert db.session.execute(text("SELECT count(*) FROM pin")).scalar_one() == 1  # still there


def test_script_is_shown_back_escaped_when_the_form_is_refused(client, slug):
    response = client.post(
        f"/d/{slug}/pin", data=form_for(client, slug, text=HOSTILE, lat=str(OUTSIDE[0]))
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<script>alert('x')" not in body
    assert "onerror=alert(1)>" not in body
    assert "&lt;script&gt;alert(" in body
    assert stored() == 0
