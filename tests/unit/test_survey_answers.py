"""Answer validation per question type, in and out of range, in Swedish and English."""

from __future__ import annotations

import pytest

from app.surveys import load_definition

from .survey_helpers import with_questions, write

QUESTIONS = [
    {"id": "karta", "type": "map_pin", "text": "K", "values": ["safety", "justice"],
     "sentiments": ["negative", "idea"], "max_pins": 2, "comment_max_length": 10,
     "categories": [{"id": "belysning", "label": "Belysning"}]},
    {"id": "ett", "type": "single_choice", "text": "E", "other": True,
     "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]},
    {"id": "flera", "type": "multi_choice", "text": "F", "other": True,
     "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]},
    {"id": "skala", "type": "likert", "text": "S", "labels": {"low": "L", "high": "H"}},
    {"id": "fri", "type": "text", "text": "T", "max_length": 5},
    {"id": "tal", "type": "number", "text": "N", "min": 0, "max": 10},
    {"id": "decimal", "type": "number", "text": "D", "min": 0.5, "max": 2.5, "integer": False},
    {"id": "ordning", "type": "ranking", "text": "R",
     "options": [{"id": "x", "label": "X"}, {"id": "y", "label": "Y"}, {"id": "z", "label": "Z"}]},
    {"id": "info", "type": "info", "text": "Läs"},
    {"id": "kravs", "type": "text", "text": "Måste", "required": True},
    {"id": "villkor", "type": "text", "text": "V", "show_if": {"question": "ett", "equals": "b"}},
]
PIN = {"value": "safety", "sentiment": "negative", "lat": 59.33, "lng": 18.06}
BASE = {"kravs": "svar", "samtycke": True}


@pytest.fixture(scope="module")
def definition(tmp_path_factory):
    return load_definition(write(tmp_path_factory.mktemp("s"), with_questions(*QUESTIONS)))


def errors(definition, lang="sv", **answers):
    return definition.validate_answers({**BASE, **answers}, lang)


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("ett", "a"), ("ett", {"selected": "other", "other": "Något"}),
        ("flera", ["a", "b"]), ("flera", {"selected": ["other"], "other": "x"}),
        ("skala", 1), ("skala", 5), ("skala", "3"),
        ("fri", "fem t"), ("tal", 0), ("tal", 10), ("tal", "7"),
        ("decimal", 0.5), ("decimal", "2,5"),
        ("ordning", ["z", "x", "y"]), ("karta", [PIN, {**PIN, "value": "justice"}]),
        ("karta", [{**PIN, "category": "belysning", "comment": "Mörkt"}]),
        ("karta", []), ("fri", ""), ("tal", None),
    ],
)
def test_answers_in_range_are_accepted(definition, question, answer):
    assert errors(definition, **{question: answer}) == {}


@pytest.mark.parametrize(
    ("question", "answer", "expected"),
    [
        ("ett", 3, "Svaret ska vara ett av alternativen."),
        ("ett", "c", "”c” är inte ett av alternativen."),
        ("ett", {"selected": "other"}, "Skriv vad du menar med ”annat”."),
        ("flera", ["a", "q"], "”q” är inte ett av alternativen."),
        ("flera", {"selected": ["a", "other"], "other": "  "}, "Skriv vad du menar med ”annat”."),
        ("flera", 7, "Svaret ska vara en lista med alternativ."),
        ("skala", 0, "Välj ett värde från 1 till 5."),
        ("skala", 6, "Välj ett värde från 1 till 5."),
        ("skala", True, "Svaret ska vara ett värde från 1 till 5."),
        ("fri", "sex tecken", "Svaret är för långt: 10 tecken, högst 5 får plats."),
        ("fri", 12, "Svaret ska vara en text."),
        ("tal", -1, "Värdet ska vara minst 0."),
        ("tal", 11, "Värdet ska vara högst 10."),
        ("tal", 2.5, "Ange ett heltal."),
        ("tal", "många", "Svaret ska vara ett tal."),
        ("tal", float("nan"), "Svaret ska vara ett tal."),
        ("decimal", 0.4, "Värdet ska vara minst 0,5."),
        ("ordning", ["x", "y"], "Rangordna alla alternativ, vart och ett en gång."),
        ("ordning", ["x", "x", "y"], "Rangordna alla alternativ, vart och ett en gång."),
        ("ordning", ["x", "y", "w"], "”w” är inte ett av alternativen."),
        ("info", "svar", "Det här är en informationstext som inte kan besvaras."),
        ("kravs", "   ", "Frågan behöver besvaras."),
        ("samtycke", False, "Du behöver ge ditt samtycke för att kunna skicka in dina svar."),
        ("okand", "x", "Frågan finns inte i enkäten."),
    ],
)
def test_answers_out_of_range_get_a_sentence(definition, question, answer, expected):
    assert errors(definition, **{question: answer}) == {question: expected}


@pytest.mark.parametrize(
    ("pins", "expected"),
    [
        ([PIN] * 3, "Du kan sätta ut högst 2 markeringar på kartan."),
        ("fel", "Svaret ska vara en lista med kartmarkeringar."),
        ([{**PIN, "value": "development"}], "Markering 1: välj trygghet, rättvisa eller "
         "utvecklingsmöjligheter bland de som frågan gäller."),
        ([PIN, {**PIN, "sentiment": "positive"}], "Markering 2: välj om det är något "
         "positivt, ett problem eller en idé."),
        ([{**PIN, "lat": 123}], "Markering 1: platsen på kartan saknas eller är ogiltig."),
        ([{**PIN, "lng": None}], "Markering 1: platsen på kartan saknas eller är ogiltig."),
        ([{**PIN, "category": "buskar"}], "Markering 1: välj en av kategorierna."),
        ([{**PIN, "photo": "bild.jpg"}], "Markering 1: den här frågan tar inte emot foton."),
        ([{**PIN, "comment": "elva tecken"}], "Markering 1: kommentaren är för lång (högst 10 "
         "tecken)."),
        ([{**PIN, "ip": "1.2.3.4"}], "Markering 1: okänd uppgift ”ip”."),
    ],
)
def test_map_pins_out_of_range(definition, pins, expected):
    assert errors(definition, karta=pins) == {"karta": expected}


def test_map_question_minimum_and_required(tmp_path):
    definition = load_definition(write(tmp_path, with_questions(
        {"id": "karta", "type": "map_pin", "text": "K", "values": "development",
         "min_pins": 2, "category_required": True,
         "categories": [{"id": "c", "label": "C"}]})))
    pin = {"sentiment": "idea", "lat": 59.0, "lng": 18.0, "category": "c"}
    base = {"samtycke": True}
    assert definition.validate_answers({**base, "karta": [pin]}) == {
        "karta": "Sätt ut minst 2 markeringar på kartan."}
    assert definition.validate_answers({**base, "karta": [pin, pin]}) == {}
    no_category = {k: v for k, v in pin.items() if k != "category"}
    assert definition.validate_answers({**base, "karta": [pin, no_category]}) == {
        "karta": "Markering 2: välj en av kategorierna."}


def test_errors_in_english(definition):
    assert errors(definition, "en", skala=9, okand=1, kravs=None) == {
        "skala": "Choose a value from 1 to 5.",
        "okand": "There is no such question in this survey.",
        "kravs": "This question needs an answer.",
    }


def test_other_languages_get_swedish_errors(definition):
    assert errors(definition, "ar", skala=9) == {"skala": "Välj ett värde från 1 till 5."}


def test_missing_consent_and_required_answers(definition):
    assert definition.validate_answers({}) == {
        "kravs": "Frågan behöver besvaras.",
        "samtycke": "Du behöver ge ditt samtycke för att kunna skicka in dina svar.",
    }


def test_answers_to_hidden_questions_are_ignored(definition):
    assert errors(definition, ett="a", villkor=12) == {}
    assert "villkor" not in definition.clean_answers({**BASE, "ett": "a", "villkor": "x"})
    assert errors(definition, ett="b", villkor=12) == {"villkor": "Svaret ska vara en text."}


def test_control_characters_are_stripped_from_text(definition):
    cleaned = definition.clean_answers({**BASE, "fri": "a\x00b\x1b\r\nc", "karta": [
        {**PIN, "comment": "\x07ok\u202e"}]})
    assert cleaned["fri"] == "ab\nc"
    assert cleaned["karta"][0]["comment"] == "ok\u202e"


def test_clean_answers_normalizes_form_values(definition):
    cleaned = definition.clean_answers(
        {**BASE, "samtycke": "on", "tal": "7", "decimal": "1,5", "skala": "4",
         "flera": ["b", "a", "b"], "ett": {"selected": "other", "other": " Annat\t"}})
    assert cleaned == {
        "kravs": "svar", "samtycke": True, "tal": 7, "decimal": 1.5, "skala": 4,
        "flera": ["a", "b"], "ett": {"selected": "other", "other": "Annat"},
    }


def test_answers_that_are_not_a_mapping(definition):
    assert definition.validate_answers(["x"]) == {
        "__all__": "Svaret ska vara en lista med alternativ."}
