"""The plain form (no JavaScript) over HTTP: the same checks and statements as the questionnaire."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.extensions import db
from app.models import DevelopmentArea, NamedPlace, Photo, Pin, Response

from ..plain_form import PlainForm

CONSENT = {"samtycke": "true"}


def _count(model) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def one_comment(client, slug: str, **fields) -> PlainForm:
    """The form with a place clicked on the first map and a comment written."""
    form = PlainForm.open(client, slug).click_map("karta_trygghet")
    assert form.status == 200
    return form.set(**{"pin-karta_trygghet-0-sentiment": "negative",
                       "pin-karta_trygghet-0-comment": "Gångtunneln är mörk på kvällen.",
                       **CONSENT, **fields})


def test_a_click_on_the_map_image_places_the_comment_and_send_stores_it_within_the_area(client, make):
    dialogue = make.dialogue()
    form = one_comment(client, dialogue.slug, trygg_kvall="4", undviker_platser="nej")
    assert "Platsen är markerad på kartan" in form.html
    assert form.values["pin-karta_trygghet-0-lat"]  # made by the server from the click
    answer = form.send()
    assert answer.response.status_code == 302
    thanks = client.get(answer.response.headers["Location"]).get_data(as_text=True)
    response = db.session.execute(select(Response)).scalar_one()
    assert response.receipt_code in thanks
    assert {a.question_id: a.value for a in response.answers} == {
        "samtycke": True, "trygg_kvall": 4, "undviker_platser": "nej"}
    within = db.session.execute(
        select(func.ST_Within(Pin.geom, DevelopmentArea.geom))
        .join(DevelopmentArea, DevelopmentArea.id == dialogue.area_id)
    ).scalar_one()
    assert within
    pin = db.session.execute(select(Pin)).scalar_one()
    assert (pin.question_id, pin.value, pin.sentiment, pin.text) == (
        "karta_trygghet", "safety", "negative", "Gångtunneln är mörk på kvällen.")
    assert pin.moderation_state == "published"  # the dialogue moderates after publishing


def test_the_marker_is_drawn_where_the_map_was_clicked(client, make):
    dialogue = make.dialogue()
    x, y = 250, 230
    form = PlainForm.open(client, dialogue.slug).click_map("karta_trygghet", pixel=(x, y))
    lat, lng = form.values["pin-karta_trygghet-0-lat"], form.values["pin-karta_trygghet-0-lng"]
    png = client.get(f"/d/{dialogue.slug}/karta-l.png?at={lat},{lng}&value=safety")
    image = Image.open(io.BytesIO(png.data)).convert("RGB")
    assert image.size == form.images["pin-karta_trygghet-0-map-l"]
    ring = [image.getpixel((x + dx, y)) for dx in range(-12, 13)]
    assert (0x00, 0x72, 0xB2) in ring  # the safety colour, on the ring around the clicked pixel


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"pin-karta_trygghet-0-sentiment": ""}, "Välj vilken sorts synpunkt"),
        ({"pin-karta_trygghet-0-comment": "   "}, "Skriv en synpunkt"),
        ({"pin-karta_trygghet-0-comment": "x" * 1001}, "högst 1000 tecken"),
        ({"pin-karta_trygghet-0-lat": "nan"}, "utanför området"),
        ({"pin-karta_trygghet-0-lat": "1e308"}, "utanför området"),
        ({"pin-karta_trygghet-0-lat": "59.43"}, "utanför området"),
        ({"samtycke": ""}, "samtycke"),
        ({"trygg_kvall": "9"}, "1 till 5"),
    ],
)
def test_a_broken_answer_is_refused_beside_its_field_and_nothing_is_stored(client, make, fields, message):
    dialogue = make.dialogue()
    refused = one_comment(client, dialogue.slug, **fields).send(headers={"Accept-Language": "sv"})
    assert refused.status == 422
    assert message in refused.html and 'class="error-summary"' in refused.html
    assert refused.values["pin-karta_trygghet-0-comment"] == fields.get(
        "pin-karta_trygghet-0-comment", "Gångtunneln är mörk på kvällen.")  # nothing typed is lost
    assert _count(Pin) == 0 and _count(Response) == 0


def test_a_click_outside_the_area_says_so_beside_the_map_and_places_nothing(client, make):
    dialogue = make.dialogue()
    form = PlainForm.open(client, dialogue.slug).click_map("karta_trygghet", pixel=(2, 2))
    assert form.status == 200
    assert 'id="pin-karta_trygghet-0-err-location"' in form.html and "utanför området" in form.html
    assert form.values["pin-karta_trygghet-0-lat"] == ""
    assert _count(Response) == 0


def test_enter_on_the_map_image_explains_the_other_ways_to_give_a_place(client, make):
    dialogue = make.dialogue()
    form = PlainForm.open(client, dialogue.slug).click_map("karta_trygghet", pixel=(0, 0))
    assert "Välj en plats i listan eller beskriv den med ord" in form.html


def test_several_comments_a_named_place_and_a_place_in_words(client, make):
    dialogue = make.dialogue()
    db.session.add(NamedPlace(area_id=dialogue.area_id, name="Husby torg", position=1))
    db.session.commit()
    place_id = db.session.execute(select(NamedPlace.id)).scalar_one()
    form = PlainForm.open(client, dialogue.slug)
    form = form.post({"action": "add:karta_trygghet"}).post({"action": "add:karta_trygghet"})
    assert form.values["pins-karta_trygghet-count"] == "3"
    form = form.set(**{
        "pin-karta_trygghet-0-kind": "named_place", "pin-karta_trygghet-0-place": str(place_id),
        "pin-karta_trygghet-0-sentiment": "negative", "pin-karta_trygghet-0-comment": "Trångt.",
        "pin-karta_trygghet-1-comment": "Tas bort.", "pin-karta_trygghet-1-sentiment": "idea",
        "pin-karta_trygghet-2-kind": "described", "pin-karta_trygghet-2-description": "Gångbron",
        "pin-karta_trygghet-2-sentiment": "idea", "pin-karta_trygghet-2-comment": "Belysning.",
        **CONSENT})
    form = form.post({"action": "remove:karta_trygghet:1"})
    assert form.values["pins-karta_trygghet-count"] == "2" and "Tas bort." not in form.html
    assert form.send().response.status_code == 302
    rows = db.session.execute(select(Pin.location_kind, Pin.named_place_id, Pin.place_description,
                                     Pin.text).order_by(Pin.id)).all()
    assert [tuple(r) for r in rows] == [("named_place", place_id, None, "Trångt."),
                                        ("described", None, "Gångbron", "Belysning.")]


def test_a_photo_chosen_in_the_plain_form_is_stripped_and_sent_with_its_comment(client, make):
    dialogue = make.dialogue()
    buffer = io.BytesIO()
    Image.new("RGB", (2000, 1000), (200, 30, 30)).save(buffer, format="JPEG")
    form = PlainForm.open(client, dialogue.slug)
    form = form.post({"pin-karta_trygghet-0-photo-file": (io.BytesIO(buffer.getvalue()), "lampa.jpg"),
                      "action": "refresh"}, content_type="multipart/form-data")
    assert "Foto bifogat: lampa.jpg" in form.html and form.values["pin-karta_trygghet-0-photo"]
    form = form.click_map("karta_trygghet").set(**{
        "pin-karta_trygghet-0-sentiment": "negative", "pin-karta_trygghet-0-comment": "Trasig lampa.",
        **CONSENT})
    assert form.send().response.status_code == 302
    pin = db.session.execute(select(Pin)).scalar_one()
    photo = db.session.get(Photo, pin.photo_id)
    assert (photo.width, photo.height) == (1600, 800)


def test_the_same_submission_sent_twice_is_stored_once(client, make):
    dialogue = make.dialogue()
    form = one_comment(client, dialogue.slug)
    first, second = form.send().response, form.send().response
    assert first.status_code == second.status_code == 302
    assert _count(Response) == 1 and _count(Pin) == 1


def test_a_closed_dialogue_accepts_nothing_and_says_so(client, make):
    dialogue = make.dialogue()
    form = one_comment(client, dialogue.slug)  # a form kept open in a tab since before it closed
    dialogue.status = "closed"
    db.session.commit()
    page = client.get(f"/d/{dialogue.slug}/enkel", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert "inte öppen för svar" in page and 'class="plain-form' not in page
    refused = form.send()
    assert refused.status == 409 and "inte öppen för svar" in refused.html
    assert _count(Pin) == 0


def test_a_draft_dialogue_is_not_public(client, make):
    dialogue = make.dialogue(status="draft")
    assert client.get(f"/d/{dialogue.slug}").status_code == 404
    assert client.get(f"/d/{dialogue.slug}/enkel").status_code == 404
    assert client.get(f"/d/{dialogue.slug}/karta-l.png").status_code == 404


def test_without_csrf_token_nothing_is_stored(client, make):
    dialogue = make.dialogue()
    form = one_comment(client, dialogue.slug)
    form.values.pop("csrf_token")
    assert form.send().status == 400
    assert _count(Pin) == 0


def test_control_characters_are_stripped_from_comments(client, make):
    dialogue = make.dialogue()
    one_comment(client, dialogue.slug, **{"pin-karta_trygghet-0-comment": "Bra\x00 plats\x07!"}).send()
    assert db.session.execute(select(Pin.text)).scalar_one() == "Bra plats!"
