"""Every validation rule of the survey format, each shown with a broken file."""

from __future__ import annotations

import textwrap

import pytest

from app.surveys import Problem, SurveyError, check_file, load_definition

from .survey_helpers import MINIMAL, survey, with_questions, write


def messages(tmp_path, data) -> list[str]:
    return [p.message for p in check_file(write(tmp_path, data))]


def test_minimal_survey_has_no_problems(tmp_path):
    assert check_file(write(tmp_path, MINIMAL)) == []


def test_problem_prints_as_file_line_message():
    assert str(Problem("a.yaml", 3, "Fel.")) == "a.yaml:3: Fel."
    assert str(Problem("a.yaml", None, "Fel.")) == "a.yaml: Fel."


def test_invalid_yaml_reports_the_line_of_the_syntax_error(tmp_path):
    path = write(tmp_path, "id: x\ntitle: Hej\npages:\n  - id: [oavslutad\n")
    [problem] = check_file(path)
    assert problem.line in (4, 5)
    assert problem.message.startswith("Ogiltig YAML")


def test_missing_file_is_a_problem_not_a_crash(tmp_path):
    [problem] = check_file(tmp_path / "finns-inte.yaml")
    assert "kan inte läsas" in problem.message


def test_unknown_question_type_names_the_type_and_its_line(tmp_path):
    text = textwrap.dedent("""\
        id: x
        title: X
        languages: [sv]
        pages:
          - id: p
            questions:
              - id: fraga
                type: slider
                text: Dra
              - id: samtycke
                type: consent
                text: Ja
        """)
    [problem] = check_file(write(tmp_path, text))
    assert problem.line == 8
    assert "Okänd frågetyp 'slider'" in problem.message
    assert str(problem).endswith(f":8: {problem.message}")


def test_missing_required_keys_are_named(tmp_path):
    data = survey()
    del data["title"]
    del data["pages"][0]["questions"][1]["text"]
    found = messages(tmp_path, data)
    assert any("'title' saknas" in m for m in found)
    assert any("'text' saknas" in m for m in found)


def test_wrong_types_are_reported(tmp_path):
    found = messages(tmp_path, with_questions(
        {"id": "tal", "type": "number", "text": "Tal", "min": "noll"},
        {"id": "karta", "type": "map_pin", "text": "K", "values": "safety", "photo": "ja"},
    ))
    assert any("'noll' ska vara ett tal" in m for m in found)
    assert any("'ja' ska vara true eller false" in m for m in found)


def test_key_that_does_not_belong_to_the_type_is_reported(tmp_path):
    found = messages(tmp_path, with_questions(
        {"id": "fri", "type": "text", "text": "Skriv", "options": []}))
    assert found == ["Nyckeln 'options' hör inte till frågetypen 'text'."]


def test_all_problems_are_reported_at_once(tmp_path):
    found = messages(tmp_path, with_questions(
        {"id": "a", "type": "slider", "text": "X"},
        {"id": "a", "type": "number", "text": "X", "min": 5, "max": 1},
        consent=False,
    ))
    assert len(found) == 4


def test_duplicate_question_id(tmp_path):
    found = messages(tmp_path, with_questions(
        {"id": "fri", "type": "text", "text": "A"}, {"id": "fri", "type": "text", "text": "B"}))
    assert found == ["Frågan 'fri' finns redan; varje fråga behöver ett eget id."]


def test_duplicate_yaml_key_is_reported(tmp_path):
    text = "id: x\nid: y\ntitle: X\nlanguages: [sv]\npages: []\n"
    found = [str(p) for p in check_file(write(tmp_path, text))]
    assert any(":2: Nyckeln 'id' förekommer två gånger" in f for f in found)


@pytest.mark.parametrize(
    ("show_if", "expected"),
    [
        ({"question": "saknas", "equals": "a"}, "som inte finns"),
        ({"question": "senare", "equals": "a"}, "som kommer senare"),
        ({"question": "val", "equals": "c"}, "har inget sådant alternativ"),
        ({"question": "val", "in": ["a", "zz"]}, "svaret 'zz'"),
        ({"question": "fri", "equals": "a"}, "envals- eller flervalsfrågor"),
        ({"question": "villkor", "equals": "a"}, "pekar på frågan själv"),
    ],
)
def test_show_if_must_point_at_an_earlier_choice_and_its_options(tmp_path, show_if, expected):
    choice = {"id": "val", "type": "single_choice", "text": "V",
              "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]}
    found = messages(tmp_path, with_questions(
        choice,
        {"id": "fri", "type": "text", "text": "F"},
        {"id": "villkor", "type": "text", "text": "Visas ibland", "show_if": show_if},
        {**choice, "id": "senare"},
    ))
    assert len(found) == 1 and expected in found[0], found


@pytest.mark.parametrize("qtype", ["single_choice", "multi_choice", "ranking"])
def test_choice_without_options(tmp_path, qtype):
    found = messages(tmp_path, with_questions({"id": "val", "type": qtype, "text": "V"}))
    assert found == [found[0]] and "har inga svarsalternativ" in found[0]


def test_choice_with_empty_option_list(tmp_path):
    found = messages(tmp_path, with_questions(
        {"id": "val", "type": "single_choice", "text": "V", "options": []}))
    assert found == ["Envalsfrågan 'val' behöver minst 1 svarsalternativ."]


def test_duplicate_option_ids_including_the_other_choice(tmp_path):
    found = messages(tmp_path, with_questions(
        {"id": "val", "type": "multi_choice", "text": "V", "other": True,
         "options": [{"id": "a", "label": "A"}, {"id": "a", "label": "A2"},
                     {"id": "other", "label": "Annat"}]}))
    assert len(found) == 2
    assert all("finns två gånger i 'val'" in m for m in found)


def test_missing_swedish_text(tmp_path):
    found = messages(tmp_path, with_questions(
        {"id": "fri", "type": "text", "text": {"en": "Only English"}}))
    assert found == ["Svensk text (sv) saknas; all text som invånare läser måste finnas på "
                     "svenska."]


def test_empty_text_is_not_a_text(tmp_path):
    found = messages(tmp_path, with_questions({"id": "fri", "type": "text", "text": "  "}))
    assert found == ["text: Texten är tom."]


def test_language_used_but_not_declared(tmp_path):
    found = messages(tmp_path, with_questions(
        {"id": "fri", "type": "text", "text": {"sv": "Hej", "so": "Soo dhawoow"}}))
    assert found == ["Språket 'so' används i en text men finns inte i languages (sv, en, ar)."]


def test_swedish_must_be_declared(tmp_path):
    found = messages(tmp_path, survey(languages=["en"], title="Titel"))
    assert "Svenska (sv) måste finnas bland languages." in found


def test_unquoted_comma_in_flow_mapping_is_explained(tmp_path):
    text = textwrap.dedent("""\
        id: x
        title: {sv: Ja, gärna, en: Yes please}
        languages: [sv, en]
        pages:
          - id: p
            questions:
              - {id: samtycke, type: consent, text: Ja}
        """)
    [problem] = check_file(write(tmp_path, text))
    assert problem.line == 2 and "måste stå inom citattecken" in problem.message


@pytest.mark.parametrize("values", ["fairness", ["safety", "beauty"]])
def test_map_value_must_be_one_of_the_three(tmp_path, values):
    found = messages(tmp_path, with_questions(
        {"id": "karta", "type": "map_pin", "text": "K", "values": values}))
    assert len(found) == 1 and "inte ett av plattformens tre värden" in found[0]


def test_map_sentiments_must_be_known(tmp_path):
    found = messages(tmp_path, with_questions(
        {"id": "karta", "type": "map_pin", "text": "K", "values": "justice",
         "sentiments": ["positive", "angry"]}))
    assert found == ["sentiments: 'angry' är inte tillåtet; välj bland positive, negative, idea."]


def test_map_prompt_for_a_value_the_question_does_not_collect(tmp_path):
    found = messages(tmp_path, with_questions(
        {"id": "karta", "type": "map_pin", "text": "K", "values": "justice",
         "prompts": {"safety": "Tryggt?"}}))
    assert found == ["Kartfrågan 'karta' har en uppmaning för 'safety', men samlar inte in det "
                     "värdet."]


def test_min_pins_greater_than_max_pins(tmp_path):
    found = messages(tmp_path, with_questions(
        {"id": "karta", "type": "map_pin", "text": "K", "values": "safety",
         "min_pins": 5, "max_pins": 2}))
    assert found == ["Kartfrågan 'karta' har min_pins (5) större än max_pins (2)."]


def test_number_min_greater_than_max(tmp_path):
    found = messages(tmp_path, with_questions(
        {"id": "tal", "type": "number", "text": "T", "min": 10, "max": 1}))
    assert found == ["Frågan 'tal' har min (10) större än max (1)."]


@pytest.mark.parametrize("labels", [None, {"low": "Dåligt"}])
def test_likert_needs_labelled_ends(tmp_path, labels):
    question = {"id": "skala", "type": "likert", "text": "S"}
    if labels:
        question["labels"] = labels
    found = messages(tmp_path, with_questions(question))
    assert len(found) == 1 and "båda ändarna av skalan" in found[0]


def test_demographic_question_cannot_be_required(tmp_path):
    found = messages(tmp_path, with_questions(
        {"id": "alder", "type": "number", "text": "Ålder", "demographic": True,
         "required": True}))
    assert found == ["Bakgrundsfrågan 'alder' får inte vara obligatorisk; bakgrundsfrågor är "
                     "alltid frivilliga."]


def test_survey_without_consent_question(tmp_path):
    found = messages(tmp_path, with_questions({"id": "fri", "type": "text", "text": "F"},
                                              consent=False))
    assert len(found) == 1 and "saknar en samtyckesfråga" in found[0]


def test_consent_cannot_be_optional(tmp_path):
    found = messages(tmp_path, with_questions(
        {"id": "ok", "type": "consent", "text": "Ja", "required": False}, consent=False))
    assert len(found) == 1 and "måste vara obligatorisk" in found[0]


def test_info_block_cannot_be_required(tmp_path):
    found = messages(tmp_path, with_questions(
        {"id": "om", "type": "info", "text": "Läs", "required": True}))
    assert len(found) == 1 and "kan inte besvaras" in found[0]


def test_bad_ids_are_explained(tmp_path):
    found = messages(tmp_path, with_questions({"id": "Fråga 1", "type": "text", "text": "F"}))
    assert len(found) == 1 and "små bokstäver" in found[0]


def test_file_that_is_not_a_mapping(tmp_path):
    found = messages(tmp_path, "- en\n- lista\n")
    assert any("Filen ska innehålla en enkät" in m for m in found)


def test_load_definition_raises_with_every_problem(tmp_path):
    path = write(tmp_path, with_questions(
        {"id": "a", "type": "number", "text": "X", "min": 5, "max": 1}, consent=False))
    with pytest.raises(SurveyError) as caught:
        load_definition(path)
    assert len(caught.value.problems) == 2
    assert str(path) in str(caught.value)
