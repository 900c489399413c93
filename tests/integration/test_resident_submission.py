"""The questionnaire's whole-response endpoint: every rule checked on the server, stored once."""

from __future__ import annotations

import copy
import json

import pytest
from geoalchemy2.shape import from_shape
from sqlalchemy import func, select

from app.extensions import db
from app.models import Answer, DevelopmentArea, NamedPlace, Pin, Response
from app.spatial import WGS84, point

from ..conftest import csrf_from
from ..factories import INSIDE, OUTSIDE, REPO

KEY = "0f8fad5b-d9cb-469f-a165-70867728950e"


def _pin(**overrides) -> dict:
    pin = {"question": "karta_trygghet", "sentiment": "negative",
           "comment": "Mörk gångtunnel på kvällen.",
           "location": {"kind": "map", "lat": INSIDE[0], "lng": INSIDE[1]}}
    pin.update(overrides)
    return pin


def _payload(**overrides) -> dict:
    payload = {"key": KEY, "answers": {"samtycke": True, "trygg_kvall": 2,
                                       "undviker_platser": "ja", "undviker_varfor": ["belysning"]},
               "pins": [_pin()], "website": ""}
    payload.update(overrides)
    return payload


def _post(client, dialogue, payload, lang="sv", token=None):
    if token is None:
        page = client.get(f"/d/{dialogue.slug}/svara?lang={lang}")
        assert page.status_code == 200
        token = csrf_from(page.get_data(as_text=True))
    return client.post(f"/d/{dialogue.slug}/svar", data=json.dumps(payload),
                       content_type="application/json", headers={"X-CSRFToken": token})


def _count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def _text(response) -> str:
    return json.dumps(response.get_json(), ensure_ascii=False)


def _nothing_stored() -> bool:
    return _count(Response) == _count(Pin) == _count(Answer) == 0


def test_a_whole_response_is_stored_with_answers_and_pins_inside_the_area(client, make):
    dialogue = make.dialogue()
    payload = _payload(pins=[_pin(), _pin(sentiment="idea", comment="Mer ljus här.")])
    response = _post(client, dialogue, payload)
    assert response.status_code == 200, response.get_json()
    receipt = response.get_json()["receipt"]
    stored = db.session.execute(select(Response)).scalar_one()
    assert stored.receipt_code == receipt and stored.language == "sv"
    answers = {a.question_id: a.value for a in stored.answers}
    assert answers == {"samtycke": True, "trygg_kvall": 2, "undviker_platser": "ja",
                       "undviker_varfor": ["belysning"]}
    pins = db.session.execute(select(Pin).order_by(Pin.id)).scalars().all()
    assert [(p.question_id, p.value, p.sentiment, p.location_kind) for p in pins] == [
        ("karta_trygghet", "safety", "negative", "map"), ("karta_trygghet", "safety", "idea", "map")]
    assert all(p.moderation_state == "published" for p in pins)
    within = db.session.execute(
        select(func.ST_Within(Pin.geom, DevelopmentArea.geom))
        .join(DevelopmentArea, DevelopmentArea.id == dialogue.area_id)
    ).scalars().all()
    assert within == [True, True]
    assert receipt in client.get(f"/d/{dialogue.slug}/tack").get_data(as_text=True)


def test_the_same_key_sent_twice_is_stored_once_with_the_same_receipt(client, make):
    dialogue = make.dialogue()
    first = _post(client, dialogue, _payload())
    second = _post(client, dialogue, _payload())
    assert first.status_code == second.status_code == 200
    assert first.get_json()["receipt"] == second.get_json()["receipt"]
    assert _count(Response) == 1 and _count(Pin) == 1


def test_pins_at_a_named_place_or_in_words_are_stored_without_geometry(client, make):
    dialogue = make.dialogue()
    place = NamedPlace(area_id=dialogue.area_id, name="Husby centrum", position=1)
    db.session.add(place)
    db.session.commit()
    payload = _payload(pins=[
        _pin(location={"kind": "named_place", "place": place.id}),
        _pin(question="karta_rattvisa", sentiment="positive", comment="Bra för barn.",
             location={"kind": "described", "description": "Lekplatsen\x07 bakom skolan"}),
    ])
    assert _post(client, dialogue, payload).status_code == 200
    pins = db.session.execute(select(Pin).order_by(Pin.id)).scalars().all()
    assert [(p.location_kind, p.geom, p.sweref_e, p.named_place_id, p.place_description)
            for p in pins] == [("named_place", None, None, place.id, None),
                               ("described", None, None, None, "Lekplatsen bakom skolan")]
    assert pins[1].value == "justice"


def _area_place(make, dialogue) -> int:
    other = make.dialogue()
    place = NamedPlace(area_id=other.area_id, name="Någon annanstans",
                       geom=from_shape(point(*INSIDE), srid=WGS84))
    db.session.add(place)
    db.session.commit()
    return place.id


BROKEN = [
    ("outside", {"pins": [_pin(location={"kind": "map", "lat": OUTSIDE[0], "lng": OUTSIDE[1]})]},
     "utanför området"),
    ("nan", {"pins": [_pin(location={"kind": "map", "lat": float("nan"), "lng": INSIDE[1]})]},
     "utanför området"),
    ("infinite", {"pins": [_pin(location={"kind": "map", "lat": float("inf"), "lng": 17.9})]},
     "utanför området"),
    ("string coordinate", {"pins": [_pin(location={"kind": "map", "lat": "59.41", "lng": 17.92})]},
     "utanför området"),
    ("boolean coordinate", {"pins": [_pin(location={"kind": "map", "lat": True, "lng": 17.92})]},
     "utanför området"),
    ("no location", {"pins": [_pin(location=None)]}, "Välj en plats på kartan"),
    ("unknown kind", {"pins": [_pin(location={"kind": "gps"})]}, "Välj en plats på kartan"),
    ("unknown value", {"pins": [_pin(value="beauty")]}, "Välj vad din synpunkt handlar om"),
    ("value of another question", {"pins": [_pin(value="justice")]}, "Välj vad din synpunkt handlar om"),
    ("no sentiment", {"pins": [_pin(sentiment=None)]}, "Välj vilken sorts synpunkt"),
    ("unknown sentiment", {"pins": [_pin(sentiment="angry")]}, "Välj vilken sorts synpunkt"),
    ("blank comment", {"pins": [_pin(comment="  \x00\x07 ")]}, "Skriv en synpunkt"),
    ("comment not text", {"pins": [_pin(comment=["x"])]}, "Skriv en synpunkt"),
    ("long comment", {"pins": [_pin(comment="x" * 1001)]}, "högst 1000 tecken"),
    ("unknown question", {"pins": [_pin(question="trygg_kvall")]}, "hör inte till en kartfråga"),
    ("pin not an object", {"pins": ["here"]}, "kunde inte läsas"),
    ("pins not a list", {"pins": {"a": 1}}, "kunde inte läsas"),
    ("empty description", {"pins": [_pin(location={"kind": "described", "description": " "})]},
     "Beskriv platsen"),
    ("long description", {"pins": [_pin(location={"kind": "described", "description": "y" * 501})]},
     "högst 500 tecken"),
    ("unknown place", {"pins": [_pin(location={"kind": "named_place", "place": 999999})]},
     "Välj en av platserna"),
    ("forged photo", {"pins": [_pin(photo="1.forged")]}, "Fotot kom inte fram"),
    ("category without categories", {"pins": [_pin(category="belysning")]}, "har inga kategorier"),
    ("too many pins", {"pins": [_pin()] * 21}, "högst 20"),
    ("no consent", {"answers": {"trygg_kvall": 2}}, "samtycke"),
    ("unknown answer", {"answers": {"samtycke": True, "favoritfarg": "blå"}}, "finns inte i enkäten"),
    ("likert out of range", {"answers": {"samtycke": True, "trygg_kvall": 7}}, "från 1 till 5"),
]


@pytest.mark.parametrize("overrides, message", [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_a_broken_response_is_refused_with_a_clear_message_and_nothing_stored(
        client, make, overrides, message):
    dialogue = make.dialogue()
    payload = _payload(**copy.deepcopy(overrides))
    if isinstance(overrides.get("pins"), list):
        payload["pins"] = [_pin()] + payload["pins"]  # a good pin first: it must not be kept either
    response = _post(client, dialogue, payload)
    assert response.status_code == 422
    assert message in json.dumps(response.get_json(), ensure_ascii=False)
    assert _nothing_stored()


def test_a_named_place_of_another_area_is_refused(client, make):
    dialogue = make.dialogue()
    payload = _payload(pins=[_pin(location={"kind": "named_place", "place": _area_place(make, dialogue)})])
    response = _post(client, dialogue, payload)
    assert response.status_code == 422 and "Välj en av platserna" in _text(response)
    assert _nothing_stored()


def test_errors_come_in_english_for_an_english_reader(client, make):
    dialogue = make.dialogue()
    outside = {"kind": "map", "lat": OUTSIDE[0], "lng": OUTSIDE[1]}
    payload = _payload(answers={}, pins=[_pin(location=outside)])
    body = _text(_post(client, dialogue, payload, lang="en"))
    assert "outside the area" in body and "consent" in body


def test_category_rules_of_a_safety_walk(client, make):
    dialogue = make.dialogue(version=make.survey_version(REPO / "surveys" / "trygghetsvandring.yaml"))
    walk = {"question": "iakttagelser", "sentiment": "negative", "comment": "Trasig lampa.",
            "location": {"kind": "map", "lat": INSIDE[0], "lng": INSIDE[1]}}
    consent = {"samtycke": True, "tidpunkt": "dagsljus"}
    missing = _post(client, dialogue, _payload(answers=consent, pins=[walk]))
    assert missing.status_code == 422 and "Välj en kategori" in _text(missing)
    ok = _post(client, dialogue, _payload(answers=consent, pins=[{**walk, "category": "belysning"}]))
    assert ok.status_code == 200, ok.get_json()
    assert db.session.execute(select(Pin.category)).scalar_one() == "belysning"


@pytest.mark.parametrize("payload, status", [
    ({"key": "short", "answers": {"samtycke": True}, "pins": []}, 400),
    ({"key": "x" * 65, "answers": {"samtycke": True}, "pins": []}, 400),
    ({"key": KEY + "\n", "answers": {"samtycke": True}, "pins": []}, 400),
    ({"key": "<script>alert(1)</script>", "answers": {"samtycke": True}, "pins": []}, 400),
    ("not an object", 400),
    ({**_payload(), "website": "http://spam.example"}, 400),
])
def test_unreadable_keys_and_bots_are_refused(client, make, payload, status):
    dialogue = make.dialogue()
    assert _post(client, dialogue, payload).status_code == status
    assert _nothing_stored()


def test_without_csrf_token_nothing_is_stored(client, make):
    dialogue = make.dialogue()
    response = client.post(f"/d/{dialogue.slug}/svar", json=_payload())
    assert response.status_code == 400
    assert _nothing_stored()


def test_a_closed_dialogue_accepts_nothing_and_says_so(client, make):
    dialogue = make.dialogue()
    token = csrf_from(client.get(f"/d/{dialogue.slug}/svara").get_data(as_text=True))
    dialogue.status = "closed"
    db.session.commit()
    response = _post(client, dialogue, _payload(), token=token)
    assert response.status_code == 409
    assert "inte öppen" in response.get_json()["errors"]["form"]
    assert _nothing_stored()
    landing = client.get(f"/d/{dialogue.slug}").get_data(as_text=True)
    assert "inte öppen" in landing and "/svara" not in landing


def test_a_draft_dialogue_shows_nothing_and_accepts_nothing(client, make):
    dialogue = make.dialogue(status="draft")
    assert client.get(f"/d/{dialogue.slug}").status_code == 404
    assert client.get(f"/d/{dialogue.slug}/svara").status_code == 404
    token = csrf_from(client.get(f"/d/{make.dialogue().slug}/svara").get_data(as_text=True))
    assert _post(client, dialogue, _payload(), token=token).status_code == 404
    assert _nothing_stored()


def test_pre_moderated_pins_wait_and_others_see_only_published_pins(client, make):
    dialogue = make.dialogue(moderation="pre")
    assert _post(client, dialogue, _payload()).status_code == 200
    assert db.session.execute(select(Pin.moderation_state)).scalar_one() == "pending"
    make.pin(dialogue, text="<script>alert(1)</script>", state="published")
    make.pin(dialogue, text="Dold", state="hidden")
    pins = client.get(f"/d/{dialogue.slug}/synpunkter.json").get_json()["pins"]
    assert [p["text"] for p in pins] == ["<script>alert(1)</script>"]  # the page sets it as text
    dialogue.show_others_pins = False
    db.session.commit()
    assert client.get(f"/d/{dialogue.slug}/synpunkter.json").get_json()["pins"] == []


def test_the_landing_page_tells_what_why_when_and_privacy_in_the_chosen_language(client, make):
    dialogue = make.dialogue()
    page = client.get(f"/d/{dialogue.slug}?lang=sv-lattlast").get_data(as_text=True)
    assert 'lang="sv-lattlast"' in page and "Vi frågar inte vem du är" in page
    assert "IP-adress" in page and dialogue.closes_on.isoformat() in page
    for name in ("Svenska", "English", "Lättläst svenska"):
        assert name in page


def test_the_landing_page_in_english(client, make):
    dialogue = make.dialogue()
    english = client.get(f"/d/{dialogue.slug}?lang=en").get_data(as_text=True)
    assert "What happens with your answers" in english


def test_a_right_to_left_survey_language_turns_the_page(client, make, tmp_path):
    import yaml

    data = yaml.safe_load((REPO / "surveys" / "trygghet-rattvisa-utveckling.yaml").read_text())
    data["languages"].append("ar")
    data["intro"]["ar"] = "أخبرنا برأيك في المنطقة."
    path = tmp_path / "med-arabiska.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    dialogue = make.dialogue(version=make.survey_version(path))
    page = client.get(f"/d/{dialogue.slug}?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "أخبرنا برأيك في المنطقة." in page and "العربية" in page
    questionnaire = client.get(f"/d/{dialogue.slug}/svara").get_data(as_text=True)
    assert 'dir="rtl"' in questionnaire and "Trygghet" in questionnaire  # Swedish where untranslated


def test_the_landing_page_lists_published_comments_escaped(client, make):
    dialogue = make.dialogue()
    make.pin(dialogue, text="<script>alert(1)</script> Mörkt")
    make.pin(dialogue, text="Väntar på granskning", state="pending")
    page = client.get(f"/d/{dialogue.slug}?lang=sv").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Mörkt" in page and "<script>alert(1)" not in page
    assert "Väntar på granskning" not in page


JUNK = [
    {"key": KEY, "answers": [], "pins": []},
    {"key": KEY, "answers": {"samtycke": {"x": [1]}}, "pins": None},
    {"key": KEY, "answers": {"samtycke": True}, "pins": [{"question": ["karta_trygghet"]}]},
    {"key": KEY, "answers": {"samtycke": True}, "pins": [_pin(value=["safety"], sentiment={"a": 1})]},
    {"key": KEY, "answers": {"samtycke": True}, "pins": [_pin(category=["x"], photo={"id": 1})]},
    {"key": KEY, "answers": {"samtycke": True}, "pins": [_pin(location={"kind": ["map"]})]},
    {"key": KEY, "answers": {"samtycke": True},
     "pins": [_pin(location={"kind": "named_place", "place": "1"})]},
    {"key": KEY, "answers": {"samtycke": True},
     "pins": [_pin(location={"kind": "described", "description": 42})]},
    {"key": 12345678901234567, "answers": {}, "pins": []},
    {"key": KEY, "answers": {"samtycke": True}, "pins": [_pin()] * 101},
]


@pytest.mark.parametrize("payload", JUNK)
def test_junk_is_refused_without_a_server_error(client, make, payload):
    dialogue = make.dialogue()
    assert _post(client, dialogue, payload).status_code in (400, 422)
    assert _nothing_stored()


def test_a_comment_with_personal_data_waits_for_a_moderator_even_under_post_moderation(client, make):
    dialogue = make.dialogue(moderation="post")
    payload = _payload(pins=[
        _pin(comment="Ring mig på 070-123 45 67 om lampan."),
        _pin(comment="Lampan vid tunneln är trasig."),
    ])
    assert _post(client, dialogue, payload).status_code == 200
    pins = db.session.execute(select(Pin).order_by(Pin.id)).scalars().all()
    assert [(p.moderation_state, p.flags) for p in pins] == [("pending", ["phone"]), ("published", [])]
