"""Walking a checked definition: pages, texts per language, show_if, frozen versions."""

from __future__ import annotations

import textwrap

import pytest

from app.surveys import SurveyError, definition_from_frozen, load_definition

from .survey_helpers import MINIMAL, survey, with_questions, write

CHOICE = {"id": "val", "type": "single_choice", "text": "Välj", "other": True,
          "options": [{"id": "ja", "label": "Ja"}, {"id": "nej", "label": "Nej"}]}


def test_walks_pages_and_questions_in_order(tmp_path):
    definition = load_definition(write(tmp_path, MINIMAL))
    assert definition.id == "liten"
    assert [p.id for p in definition.pages] == ["forsta"]
    assert [q.id for q in definition.questions] == ["karta", "val", "samtycke"]
    assert [q.id for q in definition.map_questions()] == ["karta"]
    assert definition.question("val").option_ids == ("a", "b")
    with pytest.raises(KeyError):
        definition.question("saknas")


def test_defaults_are_filled_in(tmp_path):
    definition = load_definition(write(tmp_path, MINIMAL))
    karta = definition.question("karta")
    assert karta.values == ("safety",)
    assert karta.sentiments == ("positive", "negative", "idea")
    assert (karta.min_pins, karta.max_pins, karta.photo) == (0, 20, False)
    assert definition.question("samtycke").required is True


def test_text_falls_back_to_swedish(tmp_path):
    definition = load_definition(write(tmp_path, survey(languages=["sv", "en", "sv-lattlast"],
                                                        title={"sv": "Titel", "en": "Title",
                                                               "sv-lattlast": "Lätt"})))
    assert definition.text(definition.title, "en") == "Title"
    assert definition.text(definition.title, "sv-lattlast") == "Lätt"
    assert definition.text(definition.title, "fi") == "Titel"
    assert definition.text(definition.question("val").text, "en") == "Välj"
    assert definition.text(None, "en") == ""


def test_plain_string_is_swedish(tmp_path):
    definition = load_definition(write(tmp_path, survey(title="Bara svenska")))
    assert definition.title == {"sv": "Bara svenska"}


def test_right_to_left_languages_are_marked(tmp_path):
    definition = load_definition(write(tmp_path, MINIMAL))
    assert definition.rtl_languages == ["ar"]
    assert definition.is_rtl("ar") and definition.is_rtl("fa")
    assert not definition.is_rtl("sv") and definition.direction("sv") == "ltr"
    assert definition.direction("ar") == "rtl"


def test_visible_questions_apply_show_if(tmp_path):
    definition = load_definition(write(tmp_path, with_questions(
        CHOICE,
        {"id": "varfor", "type": "text", "text": "Varför?", "show_if":
         {"question": "val", "equals": "ja"}},
        {"id": "annat", "type": "text", "text": "Mer?", "show_if":
         {"question": "val", "in": ["nej", "other"]}},
    )))

    def visible(answers):
        return [q.id for q in definition.visible_questions(answers)]

    assert visible({}) == ["val", "samtycke"]
    assert visible({"val": "ja"}) == ["val", "varfor", "samtycke"]
    assert visible({"val": "nej"}) == ["val", "annat", "samtycke"]
    assert visible({"val": {"selected": "other", "other": "x"}}) == ["val", "annat", "samtycke"]


def test_show_if_chains_hide_questions_behind_hidden_ones(tmp_path):
    definition = load_definition(write(tmp_path, with_questions(
        CHOICE,
        {**CHOICE, "id": "andra", "show_if": {"question": "val", "equals": "ja"}},
        {"id": "tredje", "type": "text", "text": "T", "show_if":
         {"question": "andra", "equals": "ja"}},
    )))
    ids = [q.id for q in definition.visible_questions({"val": "nej", "andra": "ja"})]
    assert ids == ["val", "samtycke"]


def test_multi_choice_show_if_matches_any_selected(tmp_path):
    multi = {**CHOICE, "type": "multi_choice"}
    definition = load_definition(write(tmp_path, with_questions(
        multi, {"id": "mer", "type": "text", "text": "M", "show_if":
                {"question": "val", "equals": "nej"}})))
    assert "mer" in [q.id for q in definition.visible_questions({"val": ["ja", "nej"]})]


YAML_A = textwrap.dedent("""\
    id: x
    title: {sv: Titel, en: Title}
    languages: [sv, en]
    pages:
      - id: p
        questions:
          - {id: samtycke, type: consent, text: Ja}
    """)
YAML_B = textwrap.dedent("""\
    # same survey, other order, spacing and spelling of defaults
    languages:   [sv, en]
    pages:
      - questions:
          - text:
              sv: Ja
            type: consent
            required: true
            id: samtycke
        id: p
    title:
      en: Title
      sv: "Titel"
    id: x
    format: 1
    """)


def test_hash_ignores_key_order_whitespace_and_spelled_out_defaults(tmp_path):
    a = load_definition(write(tmp_path, YAML_A, "a.yaml"))
    b = load_definition(write(tmp_path, YAML_B, "b.yaml"))
    assert a.frozen() == b.frozen()
    assert a.content_hash() == b.content_hash()
    assert len(a.content_hash()) == 64


def test_frozen_round_trips_to_the_same_hash(tmp_path):
    definition = load_definition(write(tmp_path, MINIMAL))
    rebuilt = definition_from_frozen(definition.frozen())
    assert rebuilt.content_hash() == definition.content_hash()
    assert rebuilt.frozen() == definition.frozen()


def test_frozen_is_a_copy_that_callers_cannot_change(tmp_path):
    definition = load_definition(write(tmp_path, MINIMAL))
    before = definition.content_hash()
    definition.frozen()["pages"][0]["questions"].clear()
    assert definition.content_hash() == before


def test_changing_the_file_changes_the_hash_but_not_the_frozen_version(tmp_path):
    path = write(tmp_path, MINIMAL)
    published = load_definition(path)
    stored = published.frozen()  # what the dialogue keeps in the database

    changed = survey()
    changed["pages"][0]["questions"].insert(
        0, {"id": "ny", "type": "text", "text": "En ny fråga"})
    write(tmp_path, changed)
    current = load_definition(path)

    assert current.content_hash() != published.content_hash()
    old = definition_from_frozen(stored)
    assert [q.id for q in old.questions] == ["karta", "val", "samtycke"]
    assert old.content_hash() == published.content_hash()
    assert old.validate_answers({"ny": "svar", "samtycke": True}) == {
        "ny": "Frågan finns inte i enkäten."}


def test_broken_frozen_data_is_refused():
    with pytest.raises(SurveyError) as caught:
        definition_from_frozen({"id": "x"})
    assert all(p.file == "<frozen>" for p in caught.value.problems)
