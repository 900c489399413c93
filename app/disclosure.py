"""The one small-number rule: which counts may be shown to whom, with complementary suppression.

A count from 1 to k-1 could point at a person, so it is hidden (primary suppression). Where a total
is published beside its parts, hiding one part is not enough: total minus the shown parts gives it
back. So within every group whose total is shown, more parts are hidden (smallest first) until the
hidden parts together are 0 or at least k (complementary suppression). Groups that share parts
(a cell's values and a value's cells) are checked again until nothing changes.

Every page, export and API that shows counts outside the working group uses this module: the
analysis pages, the report, the network's pages and the network CSV.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from flask import current_app


def min_count() -> int:
    """The smallest count shown as a number outside the working group (config MIN_CELL_COUNT)."""
    return int(current_app.config["MIN_CELL_COUNT"])


def is_small(count: int, k: int) -> bool:
    """Whether a count is small enough to point at a person: 1 to k-1 (0 is no one)."""
    return 0 < count < k


def shown(count: int, k: int) -> int | None:
    """The count, or None when the rule hides it (primary suppression only)."""
    return None if is_small(count, k) else count


@dataclass(frozen=True)
class Group:
    """Parts whose total is published: hiding one part alone would give it away."""

    parts: tuple[Hashable, ...]
    total_shown: bool = True


def suppressed(counts: Mapping[Hashable, int], groups: Iterable[Group], k: int,
               children: Mapping[Hashable, Iterable[Hashable]] | None = None,
               unseen: Iterable[Hashable] = ()) -> set[Hashable]:
    """The keys to hide: small counts, their children (the parts of a hidden total), and in each
    group whose total is shown, enough other parts that the hidden ones together are 0 or >= k.
    Unseen keys are parts the reader never sees (e.g. another municipality's draft): hidden."""
    hidden = {key for key, n in counts.items() if is_small(n, k)} | set(unseen)
    if k <= 1:
        return hidden
    children = children or {}
    groups = [g for g in groups if g.total_shown and len(g.parts) > 1]

    def hide(key: Hashable) -> None:
        stack = [key]
        while stack:
            current = stack.pop()
            hidden.add(current)
            stack.extend(c for c in children.get(current, ()) if c not in hidden)

    for key in list(hidden):
        hide(key)
    changed = True
    while changed:
        changed = False
        for group in groups:
            hidden_sum = sum(counts.get(p, 0) for p in group.parts if p in hidden)
            if hidden_sum == 0 or hidden_sum >= k:
                continue
            # Hide the smallest shown non-zero parts until the hidden ones reach k together. If
            # none is left, the group's total is itself small and hidden by the primary rule.
            candidates = sorted((counts.get(p, 0), str(p), p) for p in group.parts
                                if p not in hidden and counts.get(p, 0) > 0)
            for n, _name, part in candidates:
                hide(part)
                hidden_sum += n
                changed = True
                if hidden_sum >= k:
                    break
    return hidden


def shown_table(counts: Mapping[Hashable, int], groups: Iterable[Group], k: int,
                children: Mapping[Hashable, Iterable[Hashable]] | None = None
                ) -> dict[Hashable, int | None]:
    """The counts with every hidden one (primary and complementary) replaced by None."""
    hidden = suppressed(counts, groups, k, children)
    return {key: (None if key in hidden else n) for key, n in counts.items()}
