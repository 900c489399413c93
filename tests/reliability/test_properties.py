"""Property-based checks of the validators: whatever arrives, they answer and never crash."""

from __future__ import annotations

import math
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain import SENTIMENTS, VALUES
from app.resident.service import PinInput, check_pin, clean_text
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
       text=st.one_of(st.text(max_size=30), st.just("x" * 2001)),
       lat=st.one_of(st.just(59.4108), ANYTHING), lng=st.one_of(st.just(17.9259), ANYTHING))
def test_check_pin_names_exactly_the_broken_rules(dialogue_in_husby, value, sentiment, text, lat, lng):
    errors = check_pin(dialogue_in_husby, PinInput(lat=lat, lng=lng, value=value, sentiment=sentiment,
                                                   text=text))
    assert ("value" in errors) == (value not in VALUES)
    assert ("sentiment" in errors) == (sentiment not in SENTIMENTS)
    assert ("text" in errors) == (not clean_text(text) or len(clean_text(text)) > 2000)
    if valid_lat_lng(lat, lng) is None:
        assert "location" in errors
    elif valid_lat_lng(lat, lng) == (59.4108, 17.9259):
        assert "location" not in errors
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
