"""A municipality's WMS in SWEREF 99 18 00 under the questionnaire: tiles of our own grid, from our
origin only, and a pin tapped on the WMS's mark of a known place is stored within a metre of it."""

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

from ..wmts_server import MARK_LAT_LNG
from .test_basemap_sweref import _ground_share, _wait_for_tiles, _watch
from .test_resident_journey import MAP_AT_REST, add_comment, answer_first_page_and_go_to_review

pytestmark = pytest.mark.browser


def test_a_pin_tapped_on_a_sweref_wms_map_is_stored_within_a_metre_of_the_place(page, live_server, make,
                                                                              upstream, tmp_path):
    from app.basemap.wms import add_wms_basemap

    municipality = make.municipality("Stockholm", "0180")
    dialogue = make.dialogue(make.area(municipality))
    add_wms_basemap(upstream.wms_capabilities_url, "topo", municipality_id=municipality.id,
                    name="Kommunkartan", attribution="Stockholms stad (test)")
    db.session.commit()
    origins, errors = _watch(page, live_server)
    page.goto(f"{live_server}/d/{dialogue.slug}/svara?lang=sv")
    page.locator("#survey[data-map-ready]").wait_for(state="attached")
    _wait_for_tiles(page)
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
    assert _ground_share(pixels) > 0.3  # the WMS's map, drawn tile by tile
    red = np.argwhere((pixels[:, :, 0] > 200) & (pixels[:, :, 1] < 60) & (pixels[:, :, 2] < 60))
    assert len(red) > 10, "the known place's red dot is not on the map"
    y, x = red.mean(axis=0)
    container.click(position={"x": x + 0.5, "y": y + 0.5})
    add_comment(page, "Ett problem", "Här vid torget.")
    answer_first_page_and_go_to_review(page)
    page.get_by_role("button", name="Skicka mina svar").click()
    page.wait_for_url("**/tack")

    pin = db.session.execute(select(Pin)).scalar_one()
    place = Transformer.from_crs(4326, 3006, always_xy=True).transform(MARK_LAT_LNG[1], MARK_LAT_LNG[0])
    assert math.dist((pin.sweref_e, pin.sweref_n), place) < 1.0
    assert origins == {urlsplit(live_server).netloc}  # never the WMS server's port
    assert any("GetMap" in r for r in upstream.requests)
    assert errors == []
