"""Routes and areas in the moderation queue and the coding list: drawn on the small map, their
length or area said in Swedish."""

from __future__ import annotations

import re

from shapely import LineString

from .planner_helpers import login, post
from .shape_helpers import cell_origin, park_area, route_along_a_row, wgs84

SV = {"Accept-Language": "sv"}


def _world(make):
    dialogue = make.dialogue()
    make.pin(dialogue, text="En punkt")
    route = make.drawn(dialogue, route_along_a_row(), text="Min väg hem", state="pending")
    e0, n0 = cell_origin()
    long_route = make.drawn(dialogue, wgs84(LineString([(e0, n0), (e0, n0 + 1340)])),
                            value="justice", text="Längs gångvägen")
    area = make.drawn(dialogue, park_area(), value="development", sentiment="idea",
                      text="En park här")
    return dialogue.id, dialogue.municipality, route.id, long_route.id, area.id


def _card(page: str, pin_id: int) -> str:
    return re.search(rf'<li class="card [^"]*" id="pin-{pin_id}".*?</li>', page, re.S).group(0)


def test_the_queue_draws_routes_and_areas_and_says_their_size(client, make):
    dialogue_id, municipality, route_id, long_id, area_id = _world(make)
    login(client, make.user(municipality))
    page = client.get(f"/planering/dialoger/{dialogue_id}/moderering", headers=SV).get_data(
        as_text=True)
    route = _card(page, route_id)
    assert "Sträcka 250 m" in route
    path = re.search(r'<path d="([^"]+)" class="minimap-drawn drawn-line value-safety"/>',
                     route).group(1)
    # The route's two ends in the mini map's SWEREF 99 TM frame (north up), to the metre.
    (x0, y0), (x1, y1) = [tuple(map(float, p.strip("ML ").split())) for p in path.split(" L")]
    assert x1 - x0 == 250 and y0 == y1
    assert "<circle " not in route
    assert "Sträcka 1,3 km" in _card(page, long_id)
    area = _card(page, area_id)
    assert "Område 2 ha" in area
    ring = re.search(r'<path d="(M[^"]+Z)" class="minimap-drawn drawn-area value-development"/>',
                     area).group(1)
    assert len(ring.split(" L")) == 5  # four corners and back
    assert page.count("<circle ") == 1  # the one point


def test_the_coding_list_says_route_and_area_sizes(client, make):
    dialogue_id, municipality, route_id, _long, area_id = _world(make)
    login(client, make.user(municipality))
    page = client.get(f"/planering/dialoger/{dialogue_id}/teman", headers=SV).get_data(as_text=True)
    row = re.search(rf'<tr data-pin-id="{route_id}".*?</tr>', page, re.S).group(0)
    assert '<span class="shape-size">Sträcka 250 m</span>' in row
    row = re.search(rf'<tr data-pin-id="{area_id}".*?</tr>', page, re.S).group(0)
    assert '<span class="shape-size">Område 2 ha</span>' in row


def test_sizes_follow_the_page_language(client, make):
    dialogue_id, municipality, _route, long_id, _area = _world(make)
    login(client, make.user(municipality))
    page = client.get(f"/planering/dialoger/{dialogue_id}/moderering?lang=en").get_data(
        as_text=True)
    assert "Route 1.3 km" in _card(page, long_id)


def test_feedback_on_a_route_names_it_with_its_length(client, make):
    dialogue_id, municipality, _route, long_id, _area = _world(make)
    login(client, make.user(municipality))
    base = f"/planering/dialoger/{dialogue_id}"
    answer = post(client, f"{base}/aterkoppling", {"fb-target": f"pin:{long_id}",
                                                   "fb-text": "Vi lyser upp gångvägen."})
    assert answer.status_code in (302, 303)
    page = client.get(f"{base}/aterkoppling", headers=SV).get_data(as_text=True)
    assert f"Kommentar {long_id} (Sträcka 1,3 km)" in page
