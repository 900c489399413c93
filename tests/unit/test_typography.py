"""Soft hyphens at the joints of long Swedish compounds in headings, and nowhere else."""

from markupsafe import Markup, escape

from app.typography import SOFT_HYPHEN, soft_hyphens


def test_a_known_compound_gets_a_soft_hyphen_at_its_joint_whatever_its_case_or_ending():
    assert soft_hyphens("Utvecklingsmöjligheter") == f"Utvecklings{SOFT_HYPHEN}möjligheter"
    assert soft_hyphens("trygghet, rättvisa och utvecklingsmöjligheter") == (
        f"trygghet, rättvisa och utvecklings{SOFT_HYPHEN}möjligheter")
    assert soft_hyphens("Utvecklingsområdena") == f"Utvecklings{SOFT_HYPHEN}områdena"
    assert soft_hyphens("Rutnätssammanställning") == f"Rutnäts{SOFT_HYPHEN}sammanställning"


def test_other_words_and_text_already_broken_are_left_as_they_are():
    assert soft_hyphens("Husby torg: trygghet") == "Husby torg: trygghet"
    assert soft_hyphens("Utvecklingen") == "Utvecklingen"  # no known second part after the joint
    once = soft_hyphens("Utvecklingsmöjligheter")
    assert soft_hyphens(once) == once
    assert soft_hyphens(None) == ""


def test_a_translated_heading_comes_back_as_text_the_template_escapes_once():
    heading = Markup("Trygghet &amp; utvecklingsmöjligheter")
    result = soft_hyphens(heading)
    assert not isinstance(result, Markup)
    assert str(escape(result)) == f"Trygghet &amp; utvecklings{SOFT_HYPHEN}möjligheter"
