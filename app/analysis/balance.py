"""The balance of the three values: shares, the dominant value and a normalised entropy index.

The index is the Shannon entropy of the value shares divided by its maximum, log(3):
1 means the comments spread evenly over safety, justice and development, 0 that one value has all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..domain import VALUES


@dataclass(frozen=True)
class Balance:
    """Shares per value (0..1), the dominant value (None on a tie or no pins) and the index."""

    total: int
    shares: dict[str, float]
    dominant: str | None
    index: float | None


def balance_index(counts: dict[str, int]) -> float | None:
    """Normalised Shannon entropy over the three values; None when there are no pins."""
    total = sum(counts.get(v, 0) for v in VALUES)
    if total == 0:
        return None
    entropy = -sum(
        (n / total) * math.log(n / total) for n in (counts.get(v, 0) for v in VALUES) if n > 0
    )
    return round(entropy / math.log(len(VALUES)), 6)


def balance(counts: dict[str, int]) -> Balance:
    """The balance of the three values for a cell or a whole area."""
    total = sum(counts.get(v, 0) for v in VALUES)
    shares = {v: (counts.get(v, 0) / total if total else 0.0) for v in VALUES}
    dominant = None
    if total:
        top = max(counts.get(v, 0) for v in VALUES)
        leaders = [v for v in VALUES if counts.get(v, 0) == top]
        dominant = leaders[0] if len(leaders) == 1 else None
    return Balance(total, shares, dominant, balance_index(counts))


def balance_colour(index: float | None) -> str:
    """A sequential colour for the index: dark purple (one value only) to light yellow (even)."""
    if index is None:
        return "#cccccc"
    stops = ["#3b0f70", "#8c2981", "#de4968", "#fe9f6d", "#fcfdbf"]
    return stops[min(int(index * len(stops)), len(stops) - 1)]
