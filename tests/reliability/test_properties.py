"""Property-based checks of the validators: whatever arrives, they answer and never crash."""

from __future__ import annotations

import math
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain import SENTIMENTS, VALUES
from app.extensions import db
from app.resident.service import clean_text
from app.resident.submission import SubmissionRefused, submit_response
from app.spatial import SWEDEN_BOUNDS, valid_lat_lng
from app.surveys import load_definition

from ..factories import MAIN_SURVEY

ANYTHING = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40), st.binary(max_size=10), st.lists(st.integers(), max_size=3),
    st.sampled_from(["nan", "inf", "-Infinity", "1e308", "59.4", " 17.9 ", "0x10", "1_000"]),
)
CONTROL = {chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]}


@given(ANYTHING, ANYTHING)
def test_valid_lat_lng_is_none_or_a_finite_point_in_sweden(lat, lng):
    result = valid_lat_lng(lat, lng)
    if result is not None:
        min_lng, min_lat, max_lng, max_lat = SWEDEN_BOUNDS
        assert all(isinstance(v, float) and math.isfinite(v) for v in result)
        assert min_lat <= result[0] <= max_lat and min_lng <= result[1] <= max_lng


@given(st.floats(55.0, 69.2), st.floats(10.0, 24.3))
def test_valid_lat_lng_accepts_every_point_in_the_bounds(lat, lng):
    assert valid_lat_lng(lat, lng) == (lat, lng)
    assert valid_lat_lng(repr(lat), repr(lng)) == (lat, lng)


@given(st.text().map(lambda t: unicodedata.normalize("NFD", t)))
def test_clean_text_is_stripped_free_of_control_characters_and_idempotent(text):
    cleaned = clean_text(text)
    assert not CONTROL & set(cleaned)
    assert cleaned == cleaned.strip()
    assert clean_text(cleaned) == cleaned


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.one_of(st.sampled_from(VALUES), st.text(max_size=12)),
       sentiment=st.one_of(st.sampled_from(SENTIMENTS), st.text(max_size=12)),
       text=st.one_of(st.text(max_size=30), st.just("x" * 1001)),
       lat=st.one_of(st.just(59.4108), ANYTHING), lng=st.one_of(st.just(17.9259), ANYTHING))
def test_the_pin_checks_name_exactly_the_broken_rules(dialogue_in_husby, value, sentiment, text, lat, lng):
    """Whatever a pin carries, submit_response (the one write path) names each broken rule."""
    pin = {"question": "karta_trygghet", "value": value, "sentiment": sentiment, "comment": text,
           "location": {"kind": "map", "lat": lat, "lng": lng}}
    payload = {"key": "property-key-0000000001", "answers": {"samtycke": True}, "pins": [pin]}
    try:
        submit_response(dialogue_in_husby, payload, language="sv")
        errors = {}
    except SubmissionRefused as refused:
        errors = refused.problems.pins.get(0, {})
    finally:
        db.session.rollback()  # nothing is committed: each example starts from an empty table
    assert ("value" in errors) == (value != "safety")
    assert ("sentiment" in errors) == (sentiment not in SENTIMENTS)
    assert ("comment" in errors) == (not clean_text(text) or len(clean_text(text)) > 1000)
    numbers = all(isinstance(c, int | float) and not isinstance(c, bool) and math.isfinite(c)
                  for c in (lat, lng))
    if (lat, lng) == (59.4108, 17.9259):
        assert "location" not in errors
    elif not numbers:
        assert "location" in errors
    assert all(isinstance(message, str) and message for message in errors.values())


JSONISH = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20)),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children,
                                                                     max_size=4),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.text(max_size=12), JSONISH, max_size=6))
def test_survey_answers_never_crash_and_unknown_questions_are_named(answers):
    definition = load_definition(MAIN_SURVEY)
    errors = definition.validate_answers(answers, "sv")
    known = {q.id for q in definition.questions}
    for key in answers:
        if key not in known:
            assert errors[key] == "Frågan finns inte i enkäten."


def test_an_answer_to_a_question_that_does_not_exist_is_refused():
    errors = load_definition(MAIN_SURVEY).validate_answers({"finns-inte": "ja"}, "en")
    assert errors["finns-inte"] == "There is no such question in this survey."
