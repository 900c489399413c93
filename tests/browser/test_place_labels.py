"""Named places are labels on every map of the area: readable, out of the way of taps and Tab keys,
thinned out where they crowd; and the maps' own controls speak the page's language."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import NamedPlace
from app.spatial import point

from ..analysis_helpers import add_pins
from ..basemap_helpers import add_demo_basemap
from .accounts import log_in
from .test_basemap_browser import _wait_for_tiles
from .test_resident_access import serious_violations
from .test_resident_journey import PHONE, open_page

pytestmark = pytest.mark.browser
CENTRUM, TORG = (59.4108, 17.9259), (59.41095, 17.92640)  # about 30 m apart
MAP = "window[document.querySelector('.folium-map').id]"


@pytest.fixture
def world(make):
    """A Husby dialogue on the demo base map with three named places (one name is markup)."""
    municipality = make.municipality()
    dialogue = make.dialogue(make.area(municipality))
    for position, (name, (lat, lng)) in enumerate([
            ("Husby centrum", CENTRUM), ("Husby torg", TORG), ("<b>Fältet</b>", (59.4090, 17.9200))]):
        db.session.add(NamedPlace(area_id=dialogue.area_id, name=name, position=position,
                                  geom=f"SRID=4326;{point(lat, lng).wkt}"))
    db.session.commit()
    add_pins(dialogue, [(*CENTRUM, "safety", "negative")] * 6)
    add_demo_basemap(name="Demokarta")
    planner = make.user(municipality, role="project_leader")
    return {"slug": dialogue.slug, "dialogue": dialogue.id, "area": dialogue.area_id,
            "planner": planner.email}


def _labels(page) -> dict[str, bool]:
    """Label text -> whether it is shown, on the page's first map."""
    return dict(page.locator(".folium-map").first.locator(".place-label").evaluate_all(
        "els => els.map(e => [e.textContent, getComputedStyle(e).visibility === 'visible'])"))


def _set_zoom(page, zoom: int, at=CENTRUM) -> None:
    page.evaluate(f"([lat, lng, z]) => {MAP}.setView([lat, lng], z, {{animate: false}})", [*at, zoom])
    page.wait_for_timeout(250)  # the labels are thinned out just after the view settles


@pytest.mark.parametrize("path", ["/d/{slug}", "/d/{slug}/svara", "/planering/omraden/{area}/platser",
                                  "/planering/analys/dialoger/{dialogue}",
                                  "/planering/analys/dialoger/{dialogue}/rutnat"])
def test_every_map_of_the_area_labels_its_named_places(page, live_server, world, path):
    if path.startswith("/planering"):
        log_in(page, live_server, world["planner"])
    page.goto(live_server + path.format(**world) + "?lang=sv")
    _wait_for_tiles(page)
    _set_zoom(page, 17)
    assert _labels(page) == {"Husby centrum": True, "Husby torg": True, "<b>Fältet</b>": True}
    label = page.locator(".place-label", has_text="Husby centrum").first
    # Readable on any base map: dark text in a white halo.
    style = label.locator(".place-label-text").evaluate(
        "e => [getComputedStyle(e).color, getComputedStyle(e).textShadow]")
    assert style[0] == "rgb(26, 26, 26)" and "rgb(255, 255, 255)" in style[1]
    # Never a tab stop, never in the way of a tap, not read out twice (the page lists places in words).
    pane = page.locator(".leaflet-placeLabels-pane").first
    assert pane.get_attribute("aria-hidden") == "true"
    assert pane.evaluate("p => getComputedStyle(p).pointerEvents") == "none"
    assert pane.locator("[tabindex], a, button").count() == 0
    # Where the two close places would overlap, the later one gives way; closer in, both show.
    _set_zoom(page, 13)
    assert _labels(page)["Husby centrum"] is True and _labels(page)["Husby torg"] is False
    _set_zoom(page, 17)
    assert _labels(page)["Husby torg"] is True


def test_a_tap_on_a_label_in_the_questionnaire_places_a_pin_there(browser, live_server, world):
    page = open_page(browser, live_server, **PHONE)
    page.goto(f"{live_server}/d/{world['slug']}/svara?lang=sv")
    page.locator("#survey[data-map-ready]").wait_for(state="attached")
    page.locator("#pin-map .leaflet-container").scroll_into_view_if_needed()
    _set_zoom(page, 17)
    text = page.locator("#pin-map .place-label", has_text="Husby centrum").locator(".place-label-text")
    box = text.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("#pin-editor")).to_be_visible()
    assert serious_violations(page) == []
    page.close()


def test_the_drawing_tools_and_zoom_buttons_speak_swedish(page, live_server, world):
    log_in(page, live_server, world["planner"])
    page.goto(f"{live_server}/planering/omraden/nytt?lang=sv")
    polygon = page.locator("#draw-map .button-container", has=page.locator(".leaflet-pm-icon-polygon"))
    rectangle = page.locator("#draw-map .button-container",
                             has=page.locator(".leaflet-pm-icon-rectangle"))
    polygon.wait_for()
    assert polygon.get_attribute("title") == "Rita Polygoner"
    assert rectangle.get_attribute("title") == "Rita Rektangel"
    assert page.locator(".leaflet-control-zoom-out").get_attribute("title") == "Zooma ut"
    polygon.locator(".leaflet-buttons-control-button").click()
    expect(polygon.locator(".leaflet-pm-action", has_text="Avbryt")).to_be_visible()
    scale = page.locator(".leaflet-control-scale").inner_text()
    assert "mi" not in scale and "ft" not in scale
    page.goto(f"{live_server}/planering/omraden/nytt?lang=en")
    assert polygon.get_attribute("title") == "Draw Polygons"


def test_on_a_phone_names_near_the_right_edge_turn_left_and_the_scale_bar_stays_visible(browser, live_server,
                                                                                      world):
    page = open_page(browser, live_server, **{**PHONE, "viewport": {"width": 390, "height": 844}})
    page.goto(f"{live_server}/d/{world['slug']}?lang=sv")
    _wait_for_tiles(page)
    # Put Husby centrum 20 px from the map's right edge, half-way down (again, until a first fitBounds
    # is over).
    label = page.locator(".folium-map").first.locator(".place-label", has_text="Husby centrum")
    for _attempt in range(20):
        page.evaluate(f"""([lat, lng]) => {{ const m = {MAP}; m.setZoom(17, {{animate: false}});
            const p = m.latLngToContainerPoint([lat, lng]), size = m.getSize();
            m.panBy([p.x - (size.x - 20), p.y - size.y / 2], {{animate: false}}); }}""", list(CENTRUM))
        page.wait_for_timeout(200)
        if "place-label-left" in (label.get_attribute("class") or ""):
            break
    expect(label).to_have_class(re.compile("place-label-left"))
    text = label.locator(".place-label-text").bounding_box()
    frame = page.locator(".folium-map").first.bounding_box()
    assert text["x"] >= frame["x"] and text["x"] + text["width"] <= frame["x"] + frame["width"]
    scale = page.locator(".leaflet-control-scale").first.bounding_box()
    credit = page.locator(".leaflet-control-attribution").first.bounding_box()
    assert scale["x"] + scale["width"] <= credit["x"] or credit["y"] + credit["height"] <= scale["y"]
    page.close()
