"""A municipality's WMTS or WMS in SWEREF 99 18 00, shown through Proj4Leaflet from our origin only.

The WMTS and WMS are a throwaway local server (tests/wmts_server.py) whose tiles carry a red dot at
a known place; the test taps the dot as a resident would and checks where the pin is stored.
"""

from __future__ import annotations

import math
from urllib.parse import urlsplit

import numpy as np
import pytest
from PIL import Image
from pyproj import Transformer
from sqlalchemy import select

from app.extensions import db
from app.models import Pin

from ..analysis_helpers import add_pins
from ..integration.planner_helpers import PASSWORD
from ..wmts_server import GROUND, MARK_LAT_LNG
from .test_resident_journey import MAP_AT_REST, add_comment, answer_first_page_and_go_to_review

pytestmark = pytest.mark.browser


def _sweref_dialogue(make, upstream, *, pins: bool = False, kind: str = "wmts") -> dict:
    """A dialogue of a municipality whose base map is the upstream's SWEREF WMTS (or its WMS)."""
    from app.basemap.upstream import add_wmts_basemap
    from app.basemap.wms import add_wms_basemap

    municipality = make.municipality("Stockholm", "0180")
    dialogue = make.dialogue(make.area(municipality))
    if pins:
        add_pins(dialogue, [(59.4108, 17.9259, "safety", "negative")] * 6)
    if kind == "wms":
        basemap = add_wms_basemap(upstream.wms_capabilities_url, "topo", municipality_id=municipality.id,
                                  name="Kommunkartan", attribution="Stockholms stad (test)")
    else:
        basemap = add_wmts_basemap(upstream.capabilities_url, "topo", municipality_id=municipality.id,
                                   name="Stadskartan", attribution="Stockholms stad (test)")
    db.session.commit()
    user = make.user(municipality, role="project_leader")
    return {"slug": dialogue.slug, "dialogue": dialogue.id, "basemap": basemap.id, "email": user.email}


def _watch(page, live_server):
    origins, errors = set(), []
    page.on("request", lambda r: origins.add(urlsplit(r.url).netloc))
    page.on("pageerror", lambda e: errors.append(str(e)))
    return origins, errors


def _wait_for_tiles(page) -> None:
    page.wait_for_function(
        "() => { const t = [...document.querySelectorAll('.base-tiles img.leaflet-tile')];"
        " return t.length > 0 && t.every(i => i.classList.contains('leaflet-tile-loaded')"
        " && getComputedStyle(i).opacity === '1'); }",
        timeout=20_000)


def _ground_share(pixels: np.ndarray) -> float:
    """The share of pixels with the WMTS's pale green ground (also under the area's light fill)."""
    red, green, blue = pixels[:, :, 0], pixels[:, :, 1], pixels[:, :, 2]
    return float(((green - red > 15) & (green - blue > 15) & (green > 200)).mean())


def _screenshot(page, tmp_path) -> np.ndarray:
    path = tmp_path / "map.png"
    page.locator(".leaflet-container").first.screenshot(path=str(path))
    return np.asarray(Image.open(path).convert("RGB"), dtype=int)


@pytest.mark.parametrize(("kind", "tile_request"), [("wmts", "GetTile"), ("wms", "GetMap")])
def test_a_pin_tapped_on_a_sweref_map_is_stored_within_a_metre_of_the_place(page, live_server, make,
                                                                          upstream, tmp_path, kind,
                                                                          tile_request):
    world = _sweref_dialogue(make, upstream, kind=kind)
    origins, errors = _watch(page, live_server)
    page.goto(f"{live_server}/d/{world['slug']}/svara?lang=sv")
    page.locator("#survey[data-map-ready]").wait_for(state="attached")
    _wait_for_tiles(page)
    # Zoom in on Husby centrum as far as the WMTS goes (0.25 m per pixel), as a resident would.
    name = page.locator("#pin-map").get_attribute("data-map-name")
    page.locator("#pin-map .leaflet-container").scroll_into_view_if_needed()
    page.evaluate(
        "([name, lat, lng]) => { const m = window[name];"
        " m.setView([lat, lng], m.getMaxZoom(), {animate: false}); }",
        [name, MARK_LAT_LNG[0] + 0.0002, MARK_LAT_LNG[1] - 0.0003])
    page.evaluate(MAP_AT_REST)
    _wait_for_tiles(page)
    container = page.locator("#pin-map .leaflet-container")
    path = tmp_path / "map.png"
    container.screenshot(path=str(path))
    pixels = np.asarray(Image.open(path).convert("RGB"), dtype=int)
    assert _ground_share(pixels) > 0.3  # the upstream's map, drawn tile by tile
    red = np.argwhere((pixels[:, :, 0] > 200) & (pixels[:, :, 1] < 60) & (pixels[:, :, 2] < 60))
    assert len(red) > 10, "the known place's red dot is not on the map"
    y, x = red.mean(axis=0)
    container.click(position={"x": x + 0.5, "y": y + 0.5})
    add_comment(page, "Ett problem", "Här vid torget.")
    answer_first_page_and_go_to_review(page)
    page.get_by_role("button", name="Skicka mina svar").click()
    page.wait_for_url("**/tack")

    pin = db.session.execute(select(Pin)).scalar_one()
    to_tm = Transformer.from_crs(4326, 3006, always_xy=True)
    place = to_tm.transform(MARK_LAT_LNG[1], MARK_LAT_LNG[0])
    assert math.dist((pin.sweref_e, pin.sweref_n), place) < 1.0
    assert origins == {urlsplit(live_server).netloc}  # never the upstream server's port
    assert any(tile_request in r for r in upstream.requests)  # our server asked it in its own kind
    assert errors == []


def test_the_sweref_map_is_cached_and_a_second_visit_asks_the_upstream_nothing(browser, live_server, make,
                                                                            upstream):
    world = _sweref_dialogue(make, upstream)
    first = browser.new_context()
    page = first.new_page()
    page.goto(f"{live_server}/d/{world['slug']}")
    _wait_for_tiles(page)
    first.close()
    asked = len(upstream.tile_requests())
    assert asked > 0
    second = browser.new_context()  # a new visitor: nothing in the browser's own cache
    page = second.new_page()
    origins, _errors = _watch(page, live_server)
    page.goto(f"{live_server}/d/{world['slug']}")
    _wait_for_tiles(page)
    second.close()
    assert len(upstream.tile_requests()) == asked
    assert origins == {urlsplit(live_server).netloc}


@pytest.mark.parametrize("view", ["", "/rutnat"])
def test_heat_and_grid_draw_on_the_sweref_map(page, live_server, make, upstream, tmp_path, view):
    world = _sweref_dialogue(make, upstream, pins=True)
    origins, errors = _watch(page, live_server)
    page.goto(f"{live_server}/konto/logga-in?lang=sv")
    page.get_by_label("E-postadress").fill(world["email"])
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/planering/")
    page.goto(f"{live_server}/planering/analys/dialoger/{world['dialogue']}{view}")
    _wait_for_tiles(page)
    pixels = _screenshot(page, tmp_path)
    assert _ground_share(pixels) > 0.1
    # Something other than ground, lines and outline is drawn over the tiles: the heat or the cells.
    overlay = (np.abs(pixels - np.array(GROUND)).max(axis=2) > 40) & (pixels.sum(axis=2) > 200)
    assert overlay.mean() > 0.001
    assert errors == []
    assert origins == {urlsplit(live_server).netloc}


def test_an_upstream_that_is_down_gives_the_outline_view_and_a_notice_in_the_browser(page, live_server, make,
                                                                                  upstream):
    world = _sweref_dialogue(make, upstream)
    upstream.stop()
    origins, errors = _watch(page, live_server)
    page.goto(f"{live_server}/d/{world['slug']}?lang=sv")
    notice = page.locator(".basemap-notice")
    notice.wait_for(state="visible", timeout=20_000)
    assert "Bakgrundskartan kan inte visas just nu" in notice.inner_text()
    assert page.locator(".base-tiles").count() == 0  # the tile layer is gone: the outline view
    assert page.locator(".leaflet-container path, .leaflet-container canvas").count() > 0
    assert errors == []
    answer = page.goto(f"{live_server}/d/{world['slug']}/svara")  # the questionnaire works too
    assert answer.status == 200
    page.locator(".basemap-notice").wait_for(state="visible")
