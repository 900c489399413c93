"""Our own templates in surveys/ pass every check and cover what the method needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.surveys import check_file, load_definition

SURVEYS = Path(__file__).resolve().parents[2] / "surveys"
TEMPLATES = sorted(SURVEYS.glob("*.yaml"))


def test_the_three_templates_exist():
    assert {p.name for p in TEMPLATES} >= {
        "trygghet-rattvisa-utveckling.yaml", "trygghetsvandring.yaml",
        "utvardering-arbetsgrupp.yaml"}


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_template_passes_check(path):
    assert [str(p) for p in check_file(path)] == []


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_template_has_english_for_every_text(path):
    definition = load_definition(path)
    texts = [definition.title] + [q.text for q in definition.questions]
    texts += [o.label for q in definition.questions for o in (*q.options, *q.categories)]
    assert all("en" in text for text in texts)


def test_main_template_asks_about_all_three_values_and_demographics():
    definition = load_definition(SURVEYS / "trygghet-rattvisa-utveckling.yaml")
    values = {v for q in definition.map_questions() for v in q.values}
    assert values == {"safety", "justice", "development"}
    demographics = [q for q in definition.questions if q.demographic]
    assert {q.id for q in demographics} >= {"alder", "kon", "relation", "ar_i_omradet"}
    assert not any(q.required for q in demographics)
    assert "vill_inte_svara" in definition.question("kon").option_ids
    assert {"bor", "arbetar", "studerar", "besoker"} <= set(
        definition.question("relation").option_ids)


def test_main_template_can_be_answered_without_the_map():
    definition = load_definition(SURVEYS / "trygghet-rattvisa-utveckling.yaml")
    assert definition.validate_answers({"samtycke": True}) == {}


def test_safety_walk_pins_carry_fixed_categories():
    definition = load_definition(SURVEYS / "trygghetsvandring.yaml")
    route, walk = definition.map_questions()
    assert (route.id, route.shape, route.max_length_km) == ("vag_hem", "line", 5)  # the way people walk
    assert walk.category_required
    assert {"belysning", "gangvagar", "vegetation", "motesplatser"} <= {
        c.id for c in walk.categories}


def test_readme_example_passes_check(tmp_path):
    readme = (SURVEYS / "README.md").read_text(encoding="utf-8")
    example = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "exempel.yaml"
    path.write_text(example, encoding="utf-8")
    assert [str(p) for p in check_file(path)] == []
