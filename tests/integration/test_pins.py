"""A resident's pin through the form: stored spatially when right, refused with a reason when not."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import DevelopmentArea, Pin, Response

from ..conftest import csrf_from
from ..factories import INSIDE, OUTSIDE


def _form(client, dialogue, **overrides):
    page = client.get(f"/d/{dialogue.slug}/enkel")  # the form for browsers without JavaScript
    assert page.status_code == 200
    data = {
        "csrf_token": csrf_from(page.get_data(as_text=True)),
        "lat": str(INSIDE[0]), "lng": str(INSIDE[1]),
        "value": "safety", "sentiment": "negative",
        "text": "Gångtunneln är mörk på kvällen.",
        "idempotency_key": "a1b2c3d4-e5f6-4711-8899-aabbccddeeff",
        "website": "",
    }
    data.update(overrides)
    return data


def _count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_a_pin_inside_the_area_is_stored_within_it(client, make):
    dialogue = make.dialogue()
    response = client.post(f"/d/{dialogue.slug}/pin", data=_form(client, dialogue))
    assert response.status_code == 302
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    receipt = db.session.execute(select(Response.receipt_code)).scalar_one()
    assert receipt in thanks
    within = db.session.execute(
        select(func.ST_Within(Pin.geom, DevelopmentArea.geom))
        .join(DevelopmentArea, DevelopmentArea.id == dialogue.area_id)
    ).scalar_one()
    assert within
    pin = db.session.execute(select(Pin)).scalar_one()
    assert (pin.value, pin.sentiment, pin.text) == ("safety", "negative", "Gångtunneln är mörk på kvällen.")
    assert pin.moderation_state == "published"  # the dialogue moderates after publishing


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"lat": str(OUTSIDE[0]), "lng": str(OUTSIDE[1])}, "utanför området"),
        ({"lat": "nan", "lng": "17.9"}, "utanför området"),
        ({"lat": "1e308"}, "utanför området"),
        ({"value": ""}, "Välj vad din synpunkt handlar om"),
        ({"value": "beauty"}, "Välj vad din synpunkt handlar om"),
        ({"sentiment": ""}, "Välj vilken sorts synpunkt"),
        ({"text": "   "}, "Skriv en synpunkt"),
        ({"text": "x" * 2001}, "högst 2"),
        ({"lat": "", "lng": ""}, "Klicka på kartan"),
    ],
)
def test_a_broken_pin_is_refused_with_a_clear_message_and_nothing_stored(client, make, overrides, message):
    dialogue = make.dialogue()
    response = client.post(f"/d/{dialogue.slug}/pin", data=_form(client, dialogue, **overrides),
                           headers={"Accept-Language": "sv"})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(Pin) == 0 and _count(Response) == 0


def test_the_same_submission_sent_twice_is_stored_once(client, make):
    dialogue = make.dialogue()
    data = _form(client, dialogue)
    first = client.post(f"/d/{dialogue.slug}/pin", data=data)
    second = client.post(f"/d/{dialogue.slug}/pin", data=data)
    assert first.status_code == second.status_code == 302
    assert _count(Response) == 1 and _count(Pin) == 1


def test_a_closed_dialogue_accepts_nothing_and_says_so(client, make):
    dialogue = make.dialogue(status="closed")
    for url in (f"/d/{dialogue.slug}", f"/d/{dialogue.slug}/enkel"):
        page = client.get(url, headers={"Accept-Language": "sv"}).get_data(as_text=True)
        assert "inte öppen" in page
        assert 'class="pin-form"' not in page
    # A form kept open in another tab since before the dialogue closed:
    stale_form = _form(client, make.dialogue(area=dialogue.area))
    response = client.post(f"/d/{dialogue.slug}/pin", data=stale_form)
    assert response.status_code == 422
    assert _count(Pin) == 0


def test_a_draft_dialogue_is_not_public(client, make):
    dialogue = make.dialogue(status="draft")
    assert client.get(f"/d/{dialogue.slug}").status_code == 404


def test_without_csrf_token_nothing_is_stored(client, make):
    dialogue = make.dialogue()
    data = _form(client, dialogue)
    del data["csrf_token"]
    response = client.post(f"/d/{dialogue.slug}/pin", data=data)
    assert response.status_code in (400, 422)
    assert _count(Pin) == 0


def test_control_characters_are_stripped_from_comments(client, make):
    dialogue = make.dialogue()
    client.post(f"/d/{dialogue.slug}/pin", data=_form(client, dialogue, text="Bra\x00 plats\x07!"))
    assert db.session.execute(select(Pin.text)).scalar_one() == "Bra plats!"
