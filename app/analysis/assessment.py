"""How each value fares: the residents' net assessment per cell, place and area, and the weak leg.

The net assessment of a value is (positive - negative) / (positive + negative), from -1 (every
judgement negative) to +1 (every judgement positive); ideas are counted beside it, not in it. Its
95 % interval is the Wilson score interval for the share positive p = positive / (positive +
negative), mapped to the net scale by net = 2p - 1. Wilson keeps inside [-1, 1] and stays honest
for small counts and shares near 0 or 1, where the textbook normal interval does not.

A value is a place's weak leg only when its interval lies wholly below every other assessed
value's interval: non-overlapping 95 % intervals, a conservative test, so a weak leg is not
called on noise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..domain import VALUES

Z95 = 1.959963984540054  # the standard normal quantile for a two-sided 95 % interval


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a proportion successes / n (n > 0)."""
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Assessment:
    """Positive, negative and idea counts of one value somewhere, and the net assessment."""

    positive: int
    negative: int
    idea: int
    net: float | None = None  # None where too few judgements to show one
    low: float | None = None
    high: float | None = None

    @property
    def judged(self) -> int:
        """Comments that judge the place: positive plus negative."""
        return self.positive + self.negative

    @property
    def total(self) -> int:
        """All comments on the value, ideas included."""
        return self.positive + self.negative + self.idea


def assess(positive: int, negative: int, idea: int = 0, *, min_judged: int = 1) -> Assessment:
    """The net assessment with its Wilson interval, or counts only below min_judged judgements."""
    n = positive + negative
    if n < max(min_judged, 1):
        return Assessment(positive, negative, idea)
    low, high = wilson(positive, n)
    return Assessment(positive, negative, idea, round((positive - negative) / n, 4),
                      round(2 * low - 1, 4), round(2 * high - 1, 4))


@dataclass
class ValueBalance:
    """The three values' assessments in one place, the weak leg (if clear) and the spread."""

    assessments: dict[str, Assessment]
    weakest: str | None = None
    spread: float | None = None
    label: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def assessed(self) -> dict[str, Assessment]:
        """The values that have a net assessment here."""
        return {v: a for v, a in self.assessments.items() if a.net is not None}


def weakest(assessments: dict[str, Assessment]) -> str | None:
    """The value whose interval lies wholly below every other assessed value's, if any."""
    assessed = {v: a for v, a in assessments.items() if a.net is not None}
    if len(assessed) < 2:
        return None
    lowest = min(assessed, key=lambda v: (assessed[v].net, VALUES.index(v)))
    others = [a for v, a in assessed.items() if v != lowest]
    return lowest if all(assessed[lowest].high < a.low for a in others) else None


def spread(assessments: dict[str, Assessment]) -> float | None:
    """Strongest minus weakest net assessment, where at least two values are assessed."""
    nets = [a.net for a in assessments.values() if a.net is not None]
    return round(max(nets) - min(nets), 4) if len(nets) >= 2 else None


def balance_of(assessments: dict[str, Assessment], label: str = "") -> ValueBalance:
    """The balance of the three values somewhere, from their assessments."""
    return ValueBalance(assessments, weakest(assessments), spread(assessments), label)


def cell_balance(cell, min_judged: int) -> ValueBalance:
    """A grid cell's balance: a value is assessed where min_judged positive and negative comments
    reach the rule and neither count is hidden from the viewer (the net would give it back)."""
    assessments = {}
    for v in VALUES:
        positive, negative, idea = (cell.count(v, s) for s in ("positive", "negative", "idea"))
        hidden = cell.hidden and ((v, None) in cell.hidden or (v, "positive") in cell.hidden
                                  or (v, "negative") in cell.hidden)
        assessments[v] = (Assessment(positive, negative, idea) if hidden
                          else assess(positive, negative, idea, min_judged=min_judged))
    return balance_of(assessments)
