"""Bad input at the resident's plain form: a clear 4xx, nothing stored, nothing executed."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from app.extensions import db
from app.models import Pin, Response

from ..factories import OUTSIDE
from ..plain_form import PlainForm

PIN = "pin-karta_trygghet-0-"
FIELDS = {"lat": PIN + "lat", "lng": PIN + "lng", "value": PIN + "value", "sentiment": PIN + "sentiment",
          "text": PIN + "comment", "idempotency_key": "key"}


def form_for(client, slug: str, **overrides) -> PlainForm:
    """The plain form with a place clicked and a comment written; overrides by short name."""
    form = PlainForm.open(client, slug).click_map("karta_trygghet")
    form.set(**{PIN + "sentiment": "idea", PIN + "comment": "En lekplats här vore bra.", "samtycke": "true"})
    return form.set(**{FIELDS.get(k, k): v for k, v in overrides.items()})


def stored() -> int:
    db.session.remove()
    return db.session.execute(select(func.count()).select_from(Response)).scalar_one()


@pytest.fixture
def slug(make) -> str:
    return make.dialogue().slug


@pytest.mark.parametrize(
    "overrides, status, message",
    [
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
        ({"value": "justice"}, 422, "Välj vad din synpunkt handlar om"),  # not this question's value
        ({"value": "safety' OR '1'='1"}, 422, "Välj vad din synpunkt handlar om"),
        ({"sentiment": "🙂"}, 422, "Välj vilken sorts synpunkt"),
        ({"text": "x" * 1001}, 422, "högst 1000"),
        ({"text": "\x01\x02\x1b\x7f\u0085\t "}, 422, "Skriv en synpunkt"),
        ({"idempotency_key": "short"}, 422, "kunde inte läsas"),
        ({"idempotency_key": "k" * 65}, 422, "kunde inte läsas"),
    ],
)
def test_a_wrong_field_is_refused_with_a_reason_and_nothing_stored(client, slug, overrides, status, message):
    response = form_for(client, slug, **overrides).send().response
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert stored() == 0


@pytest.mark.parametrize(
    "overrides, status",
    [({"idempotency_key": "bad-input-key\x00-000000001"}, 422),
     ({"idempotency_key": "nyckel med ' och ;--"}, 422),
     ({"lat": "59.41\x00"}, 422), ({"value": "safety\x00"}, 422), ({"sentiment": "\x00"}, 422)],
)
def test_a_nul_byte_in_a_field_is_refused_and_nothing_stored(client, slug, overrides, status):
    response = form_for(client, slug, **overrides).send().response
    assert response.status_code == status
    assert stored() == 0


def test_control_characters_and_nul_bytes_in_a_comment_are_removed_before_storing(client, slug):
    comment = "Mörkt\x00 här\x1b\x07 på\u2028 kvällen"
    response = form_for(client, slug, text=comment).send().response
    assert response.status_code == 302
    db.session.remove()
    assert db.session.execute(select(Pin.text)).scalar_one() == "Mörkt här på\u2028 kvällen"


def test_a_nul_byte_in_the_address_is_a_400(client, slug):
    assert client.get("/d/dialog%00x").status_code == 400
    assert client.get(f"/d/{slug}?lang=sv%00").status_code == 400


def test_malformed_requests_are_400_and_nothing_stored(client, slug):
    url = f"/d/{slug}/enkel"
    no_token = form_for(client, slug)  # the browser has its session
    no_token.values.pop("csrf_token")
    assert no_token.send().response.status_code == 400
    assert client.post(url, data=b"\xff\xfe%%%&&&==", content_type="application/x-www-form-urlencoded"
                       ).status_code == 400
    assert client.post(url, data="{not json", content_type="application/json").status_code == 400
    assert client.post(url, json={"lat": [1], "lng": {"a": None}}).status_code == 400
    assert client.post(url, data=b"--x\r\nbroken", content_type="multipart/form-data; boundary=x"
                       ).status_code == 400
    assert stored() == 0


def test_a_body_over_the_size_limit_is_413(app, client, slug):
    huge = "å" * (app.config["MAX_CONTENT_LENGTH"] // 2 + 1024)  # two bytes each in UTF-8
    response = form_for(client, slug, text=huge).send(headers={"Accept-Language": "sv"}).response
    assert response.status_code == 413
    assert "Filen är för stor" in response.get_data(as_text=True)
    assert stored() == 0


HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)> '); DROP TABLE pin; -- \" OR 1=1"


def test_script_and_sql_are_stored_as_plain_text(client, slug):
    response = form_for(client, slug, text=HOSTILE).send().response
    assert response.status_code == 302
    db.session.remove()
    assert db.session.execute(select(Pin.text)).scalar_one() == HOSTILE
    assert db.session.execute(text("SELECT count(*) FROM pin")).scalar_one() == 1  # still there


def test_script_is_shown_back_escaped_when_the_form_is_refused(client, slug):
    response = form_for(client, slug, text=HOSTILE, lat=str(OUTSIDE[0])).send().response
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<script>alert('x')" not in body
    assert "onerror=alert(1)>" not in body
    assert "&lt;script&gt;alert(" in body
    assert stored() == 0
