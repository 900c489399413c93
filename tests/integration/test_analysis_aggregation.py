"""Grid aggregation in the database equals a reference computed with Shapely and pyproj."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pyproj
import pytest
from shapely import STRtree, box
from shapely.geometry import Point

from app.analysis.filters import PinFilter
from app.analysis.grid import grid_summary, value_cells
from app.extensions import db
from app.models import Theme

from ..analysis_helpers import add_pins, random_specs


def reference_counts(specs, size: int) -> Counter:
    """(value, sentiment, south-west easting, northing) -> count, from Shapely cell boxes."""
    to_3006 = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
    points = [Point(*to_3006.transform(lng, lat)) for lat, lng, *_ in specs]
    xs, ys = [p.x for p in points], [p.y for p in points]
    x0, y0 = int(min(xs) // size - 1) * size, int(min(ys) // size - 1) * size
    cells = [box(x, y, x + size, y + size)
             for x in range(x0, int(max(xs)) + size, size) for y in range(y0, int(max(ys)) + size, size)]
    tree = STRtree(cells)
    counts: Counter = Counter()
    for p, (_lat, _lng, value, sentiment, *_rest) in zip(points, specs, strict=True):
        (index,) = [i for i in tree.query(p) if cells[i].contains(p)]
        minx, miny, _, _ = cells[index].bounds
        counts[(value, sentiment, int(minx), int(miny))] += 1
    return counts


@pytest.mark.parametrize("size", [100, 250])
def test_grid_summary_equals_the_shapely_reference_per_cell_value_and_sentiment(make, size):
    dialogue = make.dialogue()
    specs = random_specs(400, seed=size)
    add_pins(dialogue, specs)
    expected = reference_counts(specs, size)
    got = Counter({(v, s, c.easting, c.northing): n
                   for c in grid_summary(dialogue.id, size) for (v, s), n in c.by_value_sentiment.items()})
    assert got == expected
    per_value = Counter()
    for (v, _s, e, n), count in expected.items():
        per_value[(v, e, n)] += count
    assert Counter({(c.value, c.easting, c.northing): c.count
                    for c in value_cells(dialogue.id, size)}) == per_value


def test_the_filters_combine_sentiment_dates_groups_and_themes(make):
    dialogue = make.dialogue()
    now = datetime.now(UTC)
    old = now - timedelta(days=20)
    young = {"alder": "age_16_24", "relation": ["bor", "studerar"]}
    older = {"alder": "age_45_64", "relation": {"selected": ["arbetar", "other"], "other": '"bor"'}}
    lat, lng = 59.4108, 17.9259
    a = add_pins(dialogue, [(lat, lng, "safety", "negative", "a", now)] * 3, answers=young)
    add_pins(dialogue, [(lat, lng, "safety", "positive", "b", now)] * 2, answers=young)
    c = add_pins(dialogue, [(lat, lng, "justice", "negative", "c", old)] * 4, answers=older)
    theme = Theme(dialogue_id=dialogue.id, name="Belysning")
    theme.pins.extend(a[:1] + c[:2])
    db.session.add(theme)
    db.session.commit()

    def total(**fields) -> int:
        return sum(cell.total for cell in grid_summary(dialogue.id, 250, PinFilter(**fields)))

    assert total() == 9
    assert total(sentiments=("negative",)) == 7
    assert total(sentiments=("negative", "positive")) == 9
    assert total(date_from=(now - timedelta(days=5)).date()) == 5
    assert total(date_to=(now - timedelta(days=10)).date()) == 4
    assert total(groups={"alder": "age_16_24"}) == 5
    # A quoted id inside free "other" text does not make an answer include that option.
    assert total(groups={"relation": "bor"}) == 5
    assert total(groups={"relation": "arbetar"}) == 4
    assert total(groups={"alder": "age_16_24", "relation": "arbetar"}) == 0
    assert total(theme_ids=(theme.id,)) == 3
    assert total(theme_ids=(theme.id,), sentiments=("negative",), groups={"alder": "age_45_64"}) == 2
    assert total(sentiments=("negative",), date_from=(now - timedelta(days=5)).date()) == 3
