"""The method note in plain words, shared by the assessment page, the hotspot page and the report."""

from __future__ import annotations

from flask_babel import gettext as _

from .hotspots import FDR_ALPHA, PERMUTATIONS


def grid_note() -> str:
    """How a drawn route or area counts in the grid cells, beside the points."""
    return _("A comment drawn as a point counts 1 in its cell. A route counts in every cell it "
             "crosses with the share of its length that lies in the cell, so its shares add up "
             "to 1 (a 400 m route with 100 m in a cell counts 0.25 there). An area counts in every "
             "cell it covers with the share of the cell it covers (1 for a whole cell, 0.5 for half "
             "of it), so a large area weighs in every cell it covers. Lengths and areas are "
             "measured in SWEREF 99 TM. No comment adds more than 1 to a cell, so the small-number "
             "rule applies to these counts as to whole ones. In the totals for the whole area "
             "every comment counts once.")


def assessment_notes(k: int) -> list[str]:
    """What the net assessment, its interval and the weak leg mean, and what they do not."""
    return [
        _("The net assessment of a value is (positive − negative) / (positive + negative): −1 means "
          "every comment that judged the place called it a problem, +1 that every one said it works "
          "well, 0 that they balance. Ideas are counted beside it but do not judge the place."),
        _("The interval is a Wilson score interval (95 %) for the share of positive judgements, "
          "converted to the same −1 to +1 scale. A wide interval means few comments: the true "
          "assessment could lie anywhere in it."),
        _("A value is assessed only where at least %(k)s comments judge it (positive or negative), "
          "and for readers outside the working group only where neither count is small enough to "
          "point at a person.", k=k),
        _("A place's weak leg is the value with the lowest net assessment, named only where its "
          "interval lies wholly below the other values' intervals. The spread is the strongest "
          "value's net assessment minus the weakest's."),
        _("The attention share (how the comments split over the three values) says what people "
          "chose to write about, not how the place fares."),
        _("Comments are not a sample of the population: they come from those who chose to take "
          "part. The figures describe what the participants said, not what everyone thinks."),
        grid_note(),
    ]


def hotspot_notes() -> list[str]:
    """What the hot and cold spots are and how they were tested."""
    return [
        _("A hot spot is a cell where, together with its eight neighbours, there are more comments "
          "of one value and sentiment than chance would give; a cold spot, fewer. The test is the "
          "local Getis-Ord Gi* statistic on every cell of the area, empty ones included."),
        _("Significance comes from %(n)s random permutations of the counts over the cells, and the "
          "p-values of each map are corrected for testing many cells at once (Benjamini-Hochberg, "
          "false discovery rate %(fdr)s %%).", n=PERMUTATIONS, fdr=int(FDR_ALPHA * 100)),
        _("A hot spot shows where comments concentrate, not why, and not what residents who did "
          "not take part think."),
    ]
