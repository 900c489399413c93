"""A dialogue with everything an export must carry: three values, hostile text, hidden and
named-place pins, themes, feedback and answers."""

from __future__ import annotations

from geoalchemy2.shape import from_shape

from app.extensions import db
from app.models import Answer, Feedback, NamedPlace, Pin, Response, Theme
from app.resident.service import new_receipt_code
from app.spatial import WGS84, point

HOSTILE = ["=HYPERLINK(\"http://evil\")", "+1+1", "-2+3", "@SUM(A1)", "\tTab först", "\rCR först"]


def rich_dialogue(make):
    """A dialogue with 9 map pins (one hidden), 1 named-place pin, themes, feedback and answers."""
    dialogue = make.dialogue()
    pins = []
    for i, (value, sentiment) in enumerate([
        ("safety", "negative"), ("safety", "positive"), ("safety", "idea"), ("justice", "negative"),
        ("justice", "positive"), ("development", "idea"), ("development", "idea"),
        ("development", "positive"),
    ]):
        text = HOSTILE[i] if i < len(HOSTILE) else f"Kommentar {i} om åäö"
        pins.append(make.pin(dialogue, lat=59.4100 + i * 0.0011, lng=17.9240 + i * 0.0007,
                             value=value, sentiment=sentiment, text=text))
    hidden = make.pin(dialogue, lat=59.4110, lng=17.9270, text="Namn och telefonnummer", state="hidden")
    place = NamedPlace(area_id=dialogue.area_id, name="Husby centrum", position=1,
                       geom=from_shape(point(59.4105, 17.9265), srid=WGS84))
    db.session.add(place)
    db.session.flush()
    response = Response(dialogue_id=dialogue.id, survey_version_id=dialogue.survey_version_id,
                        idempotency_key="named-place-key-0001", receipt_code=new_receipt_code())
    named = Pin(dialogue_id=dialogue.id, location_kind="named_place", named_place_id=place.id,
                value="justice", sentiment="idea", text="Fler bänkar vid torget",
                moderation_state="published")
    response.pins.append(named)
    response.answers += [
        Answer(question_id="alder", value="age_25_44"),
        Answer(question_id="relation", value=["bor", "arbetar"]),
        Answer(question_id="trygg_kvall", value=2),
        Answer(question_id="ar_i_omradet", value=-1),
    ]
    db.session.add(response)
    pins[0].response.answers.append(Answer(question_id="alder", value="age_65_79"))
    pins[1].response.answers.append(Answer(question_id="undviker_platser", value="=cmd|' /C calc'!A0"))
    lighting = Theme(dialogue_id=dialogue.id, name="Belysning")
    meeting = Theme(dialogue_id=dialogue.id, name="Mötesplatser")
    lighting.pins += [pins[0], pins[1], hidden]
    meeting.pins += [pins[5], named]
    db.session.add_all([lighting, meeting,
        Feedback(dialogue_id=dialogue.id, theme=lighting, text="Vi byter belysning i tunneln.",
                 published=True),
        Feedback(dialogue_id=dialogue.id, text="Utkast som inte är publicerat.", published=False)])
    db.session.commit()
    return dialogue, [*pins, named], hidden
