"""Routes and areas in the grid: a route counts by its share of length per cell, an area by the
share of each cell it covers; checked against shares worked out by hand on known cells."""

import re

import pytest
from shapely import Point
from sqlalchemy import update

from app.analysis.grid import grid_summary, pin_groups, suppress_small
from app.extensions import db
from app.models import Pin

from ..analysis_helpers import hotspot_grid, login
from .shape_helpers import cell_origin, park_area, route_along_a_row, wgs84


def _cells(dialogue_id, size):
    """{(value, sentiment, e, n of the south-west corner relative to the origin): count}."""
    e0, n0 = cell_origin()
    return {(v, s, c.easting - e0, c.northing - n0): n
            for c in grid_summary(dialogue_id, size) for (v, s), n in c.by_value_sentiment.items()}


def _point(make, dialogue, e, n, **fields):
    lng, lat = wgs84(Point(cell_origin()[0] + e, cell_origin()[1] + n)).coords[0]
    return make.pin(dialogue, lat, lng, **fields)


def described(make, dialogue):
    """A route described in words: its kind, no shape and no point."""
    pin = make.pin(dialogue, value="justice", sentiment="negative")
    db.session.execute(update(Pin).where(Pin.id == pin.id).values(
        location_kind="described", place_description="Gångvägen från tunnelbanan till skolan",
        geom=None, sweref_e=None, sweref_n=None, shape_kind="line"))
    db.session.commit()
    return pin


def test_a_route_counts_by_the_share_of_its_length_in_each_cell_beside_a_point(make):
    dialogue = make.dialogue()
    make.drawn(dialogue, route_along_a_row(), value="safety", sentiment="negative")
    _point(make, dialogue, 30, 160, value="safety", sentiment="negative")
    # By hand: the 250 m route runs 80 m, 100 m and 70 m through the cells of the row n0+100.
    assert _cells(dialogue.id, 100) == pytest.approx({
        ("safety", "negative", 0, 100): 1.32,  # the point and 80 / 250 of the route
        ("safety", "negative", 100, 100): 0.4, ("safety", "negative", 200, 100): 0.28})
    # 250 m cells: 230 m in the first, 20 m in the next.
    assert _cells(dialogue.id, 250) == pytest.approx({
        ("safety", "negative", 0, 0): 1.92, ("safety", "negative", 250, 0): 0.08})


def test_an_area_counts_by_the_share_of_each_cell_it_covers(make):
    dialogue = make.dialogue()
    make.drawn(dialogue, park_area(), value="development", sentiment="idea")
    # By hand: 100 × 200 m from (50, 50): quarter, half and quarter cells in two columns.
    assert _cells(dialogue.id, 100) == pytest.approx({
        ("development", "idea", e, n): share
        for e in (0, 100) for n, share in ((0, 0.25), (100, 0.5), (200, 0.25))})
    # 2 ha inside one 250 m cell of 6.25 ha.
    assert _cells(dialogue.id, 250) == pytest.approx({("development", "idea", 0, 0): 0.32})
    # In the area's totals the drawn answer counts once, like a pin.
    assert pin_groups(dialogue.id, 100).area == {("development", "idea"): 1}


def test_hidden_routes_and_areas_are_not_counted_and_words_only_count_in_the_area(make):
    dialogue = make.dialogue()
    make.drawn(dialogue, route_along_a_row(), state="hidden")
    described(make, dialogue)
    assert grid_summary(dialogue.id, 100) == []
    assert pin_groups(dialogue.id, 100).area == {("justice", "negative"): 1}


def test_the_small_number_rule_applies_to_the_combined_counts(make):
    dialogue = make.dialogue()
    for _ in range(13):
        make.drawn(dialogue, route_along_a_row(), value="safety", sentiment="negative")
    # 13 routes: 4.16, 5.2 and 3.64 in the three cells; with k = 5 only the middle cell is shown.
    cells, hidden = suppress_small(grid_summary(dialogue.id, 100), 5)
    e0, _n0 = cell_origin()
    assert [(c.easting - e0, c.shown("safety")) for c in cells] == [(100, pytest.approx(5.2))]
    assert hidden == 2


def test_the_grid_page_shows_shares_in_swedish_and_says_how_they_count(client, make):
    dialogue = make.dialogue()
    make.drawn(dialogue, route_along_a_row(), value="safety", sentiment="negative")
    make.drawn(dialogue, park_area(), value="development", sentiment="idea")
    login(client, make.user(dialogue.municipality))
    html = client.get(f"/planering/analys/dialoger/{dialogue.id}/rutnat?size=100&lang=sv"
                      ).get_data(as_text=True)
    rows = dict(re.findall(r'data-cell="([^"]+)">.*?<td data-col="total">([^<]+)</td>', html, re.S))
    e0, n0 = cell_origin()
    assert rows[f"100m_{n0 + 100}_{e0}"] == "0,82"  # 0.32 of the route and half the cell's area
    assert rows[f"100m_{n0 + 100}_{e0 + 200}"] == "0,28"
    assert "andel av sin längd" in html
    # The analysis page counts each answer once per value, not its shares.
    html = client.get(f"/planering/analys/dialoger/{dialogue.id}?lang=en").get_data(as_text=True)
    assert dict(re.findall(r'data-value="(\w+)">(\d+)<', html)) == {
        "safety": "1", "justice": "0", "development": "1"}


def test_every_analysis_view_renders_with_routes_and_areas(app, make):
    dialogue = make.dialogue()
    for _ in range(6):
        make.drawn(dialogue, route_along_a_row(), value="safety", sentiment="negative")
        make.drawn(dialogue, park_area(), value="safety", sentiment="positive")
    base = f"/planering/analys/dialoger/{dialogue.id}"
    for role in ("working_group", "steering_group"):
        client = app.test_client()
        login(client, make.user(dialogue.municipality, role=role))
        for url in (base, f"{base}/rutnat?size=100", f"{base}/statistik", f"{base}/styrgrupp",
                    f"{base}/bedomning", f"{base}/heta-punkter"):
            response = client.get(url)
            assert response.status_code == 200, (role, url)
        # The nine-layer download of the Husby area's cells is a job: pressed, then fetched.
        assert hotspot_grid(client, dialogue.id, "").status_code == 200, role


def test_cell_shares_of_a_diagonal_route_and_a_degenerate_one():
    from shapely import LineString

    from app.analysis.grid import cell_shares

    # Corner to corner through three 100 m cells on the diagonal, a third in each.
    shares = cell_shares(LineString([(0, 0), (300, 300)]), 100)
    assert shares == pytest.approx({(0, 0): 1 / 3, (1, 1): 1 / 3, (2, 2): 1 / 3})
    assert cell_shares(LineString([(150, 250), (150, 250)]), 100) == {(1, 2): 1}
