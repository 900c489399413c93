"""Hypothesis against the questionnaire's JSON endpoint (/d/<slug>/svar), not only the plain form.

Payloads are built from the survey itself: for every question a value that is often right and
often wrong in some way (wrong type, unknown option, out of range, lone surrogates, deep nesting),
pins on every map question with good and bad places. Whatever arrives, the answer is 200 with a
receipt and exactly one response stored, or a 4xx with a reason and nothing stored; never a 5xx.
"""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.extensions import db
from app.models import Pin, Response
from app.surveys import load_definition

from ..conftest import csrf_from
from ..factories import INSIDE, MAIN_SURVEY, OUTSIDE

DEFINITION = load_definition(MAIN_SURVEY)


def mostly(usual: st.SearchStrategy, rare: st.SearchStrategy, one_in: int) -> st.SearchStrategy:
    """`usual`, and `rare` about once in `one_in` draws (one_of would pick both equally often)."""
    return st.integers(1, one_in).flatmap(lambda i: rare if i == 1 else usual)


SURROGATES = st.text(st.characters(codec=None, categories=["Cs"]), min_size=1, max_size=3)
PLAIN = st.text(max_size=30)
# Mostly plain text; now and then lone surrogates or far too much.
TEXTS = mostly(PLAIN, SURROGATES.map(lambda s: f"Mörkt{s}här") | st.just("x" * 5000), 40)
SHALLOW = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(), TEXTS),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children,
                                                                     max_size=3),
    max_leaves=8,
)
DEEP = st.integers(30, 60).map(lambda depth: json.loads("[" * depth + "]" * depth))
JUNK = mostly(SHALLOW, DEEP, 30)


def value_for(question) -> st.SearchStrategy:
    """Values a browser (or an attacker) might send for one question."""
    options = sorted(getattr(question, "option_ids", ()) or ())
    right: list[st.SearchStrategy] = []
    if question.type == "single_choice" and options:
        right.append(st.sampled_from(options))
    elif question.type == "multi_choice" and options:
        right.append(st.lists(st.sampled_from(options), max_size=len(options), unique=True))
    elif question.type == "likert":
        right.append(st.integers(0, 6) | st.sampled_from(["3", "²", "١", " 4 "]))
    elif question.type == "ranking" and options:
        right.append(st.permutations(options).map(list))
    elif question.type == "consent":
        right.append(st.just(True))
    elif question.type in ("text", "number"):
        right.append(TEXTS if question.type == "text" else st.integers(-10, 10**12))
    # Mostly well-formed, so that the rules behind the type checks are reached too.
    return mostly(st.one_of(*right), JUNK, 12) if right else JUNK


def pin_for(question) -> st.SearchStrategy:
    """A pin on a map question: inside, outside, at a named place, or malformed."""
    location = mostly(st.just({"kind": "map", "lat": INSIDE[0], "lng": INSIDE[1]}), st.one_of(
        st.just({"kind": "map", "lat": OUTSIDE[0], "lng": OUTSIDE[1]}),
        st.builds(lambda p: {"kind": "named_place", "place": p}, st.integers(-5, 10**30) | TEXTS),
        st.builds(lambda d: {"kind": "described", "description": d}, TEXTS),
        JUNK,
    ), 3)
    return st.fixed_dictionaries({
        "question": mostly(st.just(question.id), st.just("finns-inte"), 6),
        "sentiment": mostly(st.sampled_from(question.sentiments), st.just("arg"), 6),
        "comment": TEXTS,
        "location": location,
    })


MAP_QUESTIONS = list(DEFINITION.map_questions())
ANSWERS = st.fixed_dictionaries(
    {"samtycke": st.just(True)},
    optional={q.id: value_for(q) for q in DEFINITION.questions if q.type != "map" and q.id != "samtycke"},
)
PINS = mostly(st.lists(st.one_of(*[pin_for(q) for q in MAP_QUESTIONS]), max_size=4), JUNK, 8)


SENT = itertools.count()


def stored() -> tuple[int, int]:
    db.session.remove()
    return (db.session.execute(select(func.count()).select_from(Response)).scalar_one(),
            db.session.execute(select(func.count()).select_from(Pin)).scalar_one())


@pytest.fixture
def questionnaire(app, make):
    """An open dialogue and a resident's browser holding its CSRF token."""
    dialogue = make.dialogue()
    client = app.test_client()
    token = csrf_from(client.get(f"/d/{dialogue.slug}/svara").get_data(as_text=True))
    return client, dialogue.slug, token


@settings(max_examples=120, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(answers=ANSWERS, pins=PINS)
def test_any_submission_is_stored_once_or_refused_with_a_reason(questionnaire, answers, pins):
    client, slug, token = questionnaire
    key = f"fuzz-key-{next(SENT):012d}"  # new each time: hypothesis replays examples
    before = stored()
    body = json.dumps({"key": key, "answers": answers, "pins": pins, "website": ""})
    answer = client.post(f"/d/{slug}/svar", data=body, content_type="application/json",
                         headers={"X-CSRFToken": token, "Accept-Language": "sv"})
    assert answer.status_code in (200, 400, 409, 422), answer.get_data(as_text=True)[:500]
    event(f"status {answer.status_code}")
    reply = answer.get_json()
    if answer.status_code == 200:
        assert reply["ok"] and reply["receipt"]
        assert stored()[0] == before[0] + 1
    else:
        assert json.dumps(reply, ensure_ascii=False).count(" ") >= 2, "a reason in words"
        assert stored() == before
