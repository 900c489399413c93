"""A map question's shape (point, line, area) and its limits, as `survey check` reports them."""

from __future__ import annotations

from app.surveys import check_file, load_definition

from .survey_helpers import write

SURVEY = """\
format: 1
id: vagar
title: {sv: Vägar}
languages: [sv]
pages:
  - id: a
    questions:
%s
      - id: samtycke
        type: consent
        text: {sv: Ja}
"""


def _question(lines: str) -> str:
    return SURVEY % "\n".join("      " + line for line in lines.strip("\n").splitlines())


def test_a_route_and_an_area_question_are_read_with_their_limits(tmp_path):
    text = _question("""
- id: vag
  type: map_pin
  shape: line
  max_length_km: 2.5
  text: {sv: Din väg}
  values: safety
- id: park
  type: map_pin
  shape: area
  min_area_m2: 100
  max_area_m2: 20000
  text: {sv: En park}
  values: development
""")
    definition = load_definition(write(tmp_path, text))
    vag, park = definition.question("vag"), definition.question("park")
    assert (vag.shape, vag.max_length_km) == ("line", 2.5)
    assert (park.shape, park.min_area_m2, park.max_area_m2) == ("area", 100, 20000)
    assert definition.question("samtycke").shape == "point"


def test_a_point_question_keeps_its_frozen_form(tmp_path):
    text = _question("""
- id: plats
  type: map_pin
  text: {sv: En plats}
  values: safety
""")
    frozen = load_definition(write(tmp_path, text)).frozen()
    question = frozen["pages"][0]["questions"][0]
    assert "shape" not in question and "max_length_km" not in question


def test_wrong_shapes_and_limits_are_told_with_their_lines(tmp_path):
    text = _question("""
- id: vag
  type: map_pin
  shape: polygon
  text: {sv: Din väg}
  values: safety
- id: plats
  type: map_pin
  max_length_km: 0
  min_area_m2: 900
  text: {sv: En plats}
  values: safety
- id: park
  type: map_pin
  shape: area
  min_area_m2: 900
  max_area_m2: 100
  text: {sv: En park}
  values: safety
""")
    found = [(p.line, p.message) for p in check_file(write(tmp_path, text))]
    assert (10, "shape: 'polygon' är inte tillåtet; välj bland point, line, area.") in found
    assert (15, "max_length_km: Värdet 0 ska vara större än 0.") in found
    assert (15, "Kartfrågan 'plats' har max_length_km, men det gäller bara linjer (shape: line); "
                "frågan har shape: point.") in found
    assert (16, "Kartfrågan 'plats' har min_area_m2, men det gäller bara områden (shape: area); "
                "frågan har shape: point.") in found
    assert (22, "Kartfrågan 'park' har min_area_m2 (900) större än max_area_m2 (100).") in found
