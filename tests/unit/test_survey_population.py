"""The survey format's population mapping: checked with line numbers, kept in the frozen form."""

from __future__ import annotations

import textwrap

from app.surveys import check_file, load_definition
from app.surveys.rules import group_key

from .survey_helpers import write

SURVEY = """\
id: befolkning
title: Befolkning
languages: [sv]
pages:
  - id: sida
    questions:
      - id: alder
        type: single_choice
        demographic: true
        text: Ålder?
        options:
          - {id: ung, label: Ung}
          - {id: gammal, label: Gammal}
          - {id: vill_inte, label: Vill inte svara}
      - id: fri
        type: text
        text: Fritt
      - id: samtycke
        type: consent
        text: Ok
population:
"""


def _problems(tmp_path, mapping: str) -> list[tuple[int, str]]:
    path = write(tmp_path, SURVEY + textwrap.indent(textwrap.dedent(mapping), "  "))
    return [(p.line, p.message) for p in check_file(path)]


def test_a_good_mapping_is_kept_in_the_definition(tmp_path):
    path = write(tmp_path, SURVEY + '  - question: alder\n    dimension: age\n    groups:\n'
                 '      ung: ["16-19 år", "20-24 år"]\n      gammal: ["80+ år"]\n')
    assert check_file(path) == []
    [mapping] = load_definition(path).population
    assert (mapping.question, mapping.dimension) == ("alder", "age")
    assert mapping.groups == {"ung": ("16-19 år", "20-24 år"), "gammal": ("80+ år",)}
    assert load_definition(path).frozen()["population"][0]["groups"]["gammal"] == ["80+ år"]


def test_a_survey_without_a_mapping_keeps_its_frozen_form_and_hash(tmp_path):
    plain = write(tmp_path, SURVEY.replace("population:\n", ""))
    assert "population" not in load_definition(plain).frozen()
    assert load_definition(plain).population == ()


def test_every_mistake_in_the_mapping_is_named_with_its_line(tmp_path):
    problems = _problems(tmp_path, """\
        - question: alder
          dimension: age
          groups:
            ung: ["0-19"]
            mellan: ["20-44"]
            gammal: ["0-19 år"]
        - question: fri
          dimension: age
          groups: {a: [b]}
        - question: saknas
          dimension: height
          groups:
            a: [b]
        """)
    assert problems == [
        (26, "Frågan 'alder' har inget svarsalternativ 'mellan'."),
        (27, "Befolkningsgruppen '0-19 år' hör redan till 'ung'; en grupp kan bara räknas till ett "
             "svarsalternativ."),
        (28, "Frågan 'fri' ska vara en envalsfråga (single_choice) med demographic: true för att "
             "jämföras med befolkningen."),
        (29, "Dimensionen 'age' (ålder) kopplas två gånger; varje dimension får kopplas till en fråga."),
        (31, "Frågan 'saknas' finns inte i enkäten."),
        (32, "dimension: 'height' är inte tillåtet; välj bland age, sex, birth_country, tenure."),
    ]


def test_an_empty_group_list_is_refused_in_swedish(tmp_path):
    problems = _problems(tmp_path, """\
        - question: alder
          dimension: age
          groups: {}
        """)
    assert problems == [(24, "groups: Ange minst ett svarsalternativ och de befolkningsgrupper det "
                             "motsvarar.")]


def test_group_labels_compare_as_scb_writes_them():
    assert group_key("80+ år") == group_key("80- år") == group_key("80-")
    assert group_key("16–19 år") == group_key("16-19")
    assert group_key("Kvinnor") == "kvinnor"
