"""The net assessment, its interval, the weak leg and the small-number rule, against references
computed here: scipy's Wilson interval, Shapely's cells, and a brute-force check of derivability."""

import random
import re
from collections import Counter

import pytest
from scipy.stats import binomtest

from app.analysis.assessment import cell_balance
from app.analysis.grid import grid_summary, suppress_small
from app.domain import SENTIMENTS, VALUES
from app.extensions import db
from app.models import NamedPlace

from ..analysis_helpers import add_pins, login, random_specs
from .test_analysis_aggregation import reference_counts

K = 5  # MIN_CELL_COUNT in the test configuration


def wilson_net(positive: int, negative: int) -> tuple[float, float, float]:
    """(net, low, high) on the -1..+1 scale from scipy's Wilson interval of the share positive."""
    n = positive + negative
    ci = binomtest(positive, n).proportion_ci(confidence_level=0.95, method="wilson")
    return (positive - negative) / n, 2 * ci.low - 1, 2 * ci.high - 1


@pytest.mark.parametrize("size", [100, 250])
def test_each_cells_net_assessment_and_interval_equal_scipys_wilson_interval(make, size):
    dialogue = make.dialogue()
    rng = random.Random(size)
    # Dense around the centre (most cells assessed), sparse over the area (many too few to assess).
    specs = [(rng.uniform(59.409, 59.413), rng.uniform(17.922, 17.930), rng.choice(VALUES),
              rng.choice(SENTIMENTS)) for _ in range(900)] + random_specs(300, seed=size)
    add_pins(dialogue, specs)
    reference = reference_counts(specs, size)
    cells = grid_summary(dialogue.id, size)
    assert cells
    checked = 0
    for cell in cells:
        b = cell_balance(cell, K)
        for v in VALUES:
            pos, neg, idea = (reference[(v, s, cell.easting, cell.northing)] for s in SENTIMENTS)
            a = b.assessments[v]
            assert (a.positive, a.negative, a.idea) == (pos, neg, idea)
            if pos + neg < K:
                assert a.net is None
                continue
            net, low, high = wilson_net(pos, neg)
            assert a.net == pytest.approx(net, abs=1e-4)
            assert a.low == pytest.approx(low, abs=1e-4) and a.high == pytest.approx(high, abs=1e-4)
            checked += 1
    assert checked >= 10
    assert any(cell_balance(c, K).assessments[v].net is None for c in cells for v in VALUES)


def _weak_reference(counts: dict[str, tuple[int, int]]) -> str | None:
    """The value whose Wilson interval lies wholly below every other assessed value's, if any."""
    intervals = {v: wilson_net(p, n) for v, (p, n) in counts.items() if p + n >= K}
    if len(intervals) < 2:
        return None
    lowest = min(intervals, key=lambda v: intervals[v][0])
    if all(intervals[lowest][2] < iv[1] for v, iv in intervals.items() if v != lowest):
        return lowest
    return None


CLEAR = (59.4108, 17.9259)    # at Husby centrum: safety judged badly, the others well
UNCLEAR = (59.4160, 17.9350)  # at Husby gård: a small difference that the intervals allow


def _two_places(make):
    dialogue = make.dialogue()
    for position, (name, (lat, lng)) in enumerate([("Husby centrum", CLEAR), ("Husby gård", UNCLEAR)]):
        db.session.add(NamedPlace(area_id=dialogue.area_id, name=name, position=position,
                                  geom=f"SRID=4326;POINT({lng} {lat})"))
    clear = {"safety": (1, 11), "justice": (9, 2), "development": (8, 1)}
    unclear = {"safety": (3, 4), "justice": (4, 3), "development": (4, 4)}
    specs = []
    for at, counts in ((CLEAR, clear), (UNCLEAR, unclear)):
        for v, (pos, neg) in counts.items():
            specs += [(*at, v, "positive")] * pos + [(*at, v, "negative")] * neg
            specs += [(*at, v, "idea")] * 2
    add_pins(dialogue, specs)
    return dialogue, clear, unclear


def test_the_weak_leg_is_named_only_where_the_intervals_do_not_overlap(client, make):
    dialogue, clear, unclear = _two_places(make)
    assert _weak_reference(clear) == "safety" and _weak_reference(unclear) is None
    cells = {c.key: c for c in grid_summary(dialogue.id, 250)}
    balances = {key: cell_balance(c, K) for key, c in cells.items()}
    assert sorted(b.weakest for b in balances.values() if b.weakest) == ["safety"]
    strong = next(b for b in balances.values() if b.weakest)
    nets = [wilson_net(*clear[v])[0] for v in VALUES]
    assert strong.spread == pytest.approx(max(nets) - min(nets), abs=1e-4)

    login(client, make.user(dialogue.municipality, role="working_group"))
    html = client.get(f"/planering/analys/dialoger/{dialogue.id}/bedomning?size=250").get_data(
        as_text=True)
    # The weak leg is counted per value, and the places are named, not coded.
    assert re.search(r'data-value="safety">Trygghet är det svaga benet i 1 av 2', html)
    assert "vid Husby centrum" in html and "250m_" not in html.split('id="value-maps"')[1]
    # The list of places assessed most negatively on safety has Husby centrum first, with counts.
    table = html.split('data-list="safety-negative"')[1].split("</table>")[0]
    first = re.search(r'<tr data-place="([^"]+)">(.*?)</tr>', table, re.S)
    assert first.group(1) == "Husby centrum"
    assert re.findall(r'<td data-col="(?:positive|negative|idea)">(\d+)</td>', first.group(2)) == [
        "1", "11", "2"]
    # The working group may read the comments, so quotes come with the list.
    assert "<blockquote>" in table


def test_the_steering_group_gets_no_quotes_and_no_derivable_small_count(client, make):
    dialogue, _clear, _unclear = _two_places(make)
    login(client, make.user(dialogue.municipality, role="steering_group"))
    html = client.get(f"/planering/analys/dialoger/{dialogue.id}/bedomning?size=250").get_data(
        as_text=True)
    assert "<blockquote>" not in html and "Citat visas bara" in html
    # The places' counts (the whole area's are shown in full, as on the statistics page).
    places = html.split('id="places-heading"')[1]
    shown = [int(n) for n in re.findall(r'<td data-col="(?:positive|negative|idea)">(\d+)</td>',
                                        places)]
    assert all(n == 0 or n >= K for n in shown)
    assert "–" in places or "Ingen plats har" in places


def _published_groups(cells):
    """Every total the pages publish beside its parts: (its key or None for an area total, parts)."""
    ats = [(c.easting, c.northing) for c in cells]
    groups = [(None, list(ats))]
    groups += [(None, [(*at, v) for at in ats]) for v in VALUES]
    groups += [(None, [(*at, v, s) for at in ats]) for v in VALUES for s in SENTIMENTS]
    groups += [(at, [(*at, v) for v in VALUES]) for at in ats]
    groups += [((*at, v), [(*at, v, s) for s in SENTIMENTS]) for at in ats for v in VALUES]
    return groups


def test_complementary_suppression_leaves_no_small_count_that_totals_give_back(make):
    """Brute force: in every published group, the hidden parts together are 0 or at least k."""
    dialogue = make.dialogue()
    add_pins(dialogue, random_specs(260, seed=3))
    cells = grid_summary(dialogue.id, 100)
    counts = Counter()
    for c in cells:
        at = (c.easting, c.northing)
        counts[at] = c.total
        for v in VALUES:
            counts[(*at, v)] = c.count(v)
            for s in SENTIMENTS:
                counts[(*at, v, s)] = c.count(v, s)
    assert any(0 < n < K for n in counts.values())  # the data has small numbers to hide
    kept, hidden_cells = suppress_small(grid_summary(dialogue.id, 100), K)
    assert hidden_cells > 0
    visible = {}
    for c in kept:
        at = (c.easting, c.northing)
        visible[at] = c.total
        for v in VALUES:
            visible[(*at, v)] = c.shown(v)
            for s in SENTIMENTS:
                visible[(*at, v, s)] = c.shown(v, s)
    shown_values = [n for n in visible.values() if n is not None]
    assert all(n == 0 or n >= K for n in shown_values)
    for total, parts in _published_groups(cells):
        if total is not None and visible.get(total) is None:
            continue  # the total itself is hidden, so the parts cannot be derived from it
        hidden_sum = sum(counts[p] for p in parts if visible.get(p) is None)
        assert hidden_sum == 0 or hidden_sum >= K, parts[:3]


def test_the_steering_group_dashboard_says_how_each_value_fares(client, make):
    dialogue, clear, unclear = _two_places(make)
    login(client, make.user(dialogue.municipality, role="steering_group"))
    html = client.get(f"/planering/analys/dialoger/{dialogue.id}/styrgrupp").get_data(as_text=True)
    table = html.split('id="area-assessment"')[1].split("</table>")[0]
    safety = table.split('data-value="safety"')[1].split("</tr>")[0]
    positive = clear["safety"][0] + unclear["safety"][0]
    negative = clear["safety"][1] + unclear["safety"][1]
    net, low, high = wilson_net(positive, negative)
    assert f'<td data-col="positive">{positive}</td>' in safety

    def swedish(x: float) -> str:  # a signed decimal as a Swedish page writes it: −0,25
        return f"{x:+.2f}".replace("-", "−").replace(".", ",")

    assert swedish(net) in safety
    assert f"{swedish(low)} … {swedish(high)}" in safety
    assert "I området som helhet är Trygghet det svaga benet" in html
    # The cells' weak legs: for the steering group the centre's one positive safety comment is
    # hidden, so the cell's safety is not assessed and no weak leg is named there.
    assert 'id="weak-counts"' in html and "Trygghet är det svaga benet i 0 av" in html


def test_too_many_small_cells_for_four_maps_are_drawn_as_250_m_cells(client, make, monkeypatch):
    from app.analysis import balance_routes

    monkeypatch.setattr(balance_routes, "MAX_MAP_CELLS", 3)
    dialogue = make.dialogue()
    add_pins(dialogue, random_specs(120, seed=9))
    login(client, make.user(dialogue.municipality))
    html = client.get(f"/planering/analys/dialoger/{dialogue.id}/bedomning?size=100").get_data(
        as_text=True)
    assert 'id="coarsened"' in html and "Kvadratiska rutor på 250 m" in html
