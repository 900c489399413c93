"""Every page that draws a map shows real base map tiles, and every request goes to our own origin."""

from __future__ import annotations

from urllib.parse import urlsplit

import numpy as np
import pytest
from PIL import Image

from ..analysis_helpers import add_pins
from ..basemap_helpers import add_demo_basemap
from .accounts import log_in

pytestmark = pytest.mark.browser
LAND = (244, 241, 234)  # the demo base map's land colour (scripts/build_demo_basemap.py)
HUSBY = (59.4108, 17.9259)


def _wait_for_tiles(page, zoom: int | None = None) -> None:
    """Until the base map layer has tiles (of this zoom) and every one of them has loaded."""
    page.wait_for_function(
        "(z) => { const t = [...document.querySelectorAll('.base-tiles img.leaflet-tile')]"
        "  .filter(i => z === null || i.src.includes('/' + z + '/'));"
        " return t.length > 0 && t.every(i => i.classList.contains('leaflet-tile-loaded')"
        " && getComputedStyle(i).opacity === '1'); }",
        arg=zoom, timeout=20_000)


def _zoom_to_husby(page, map_name: str, zoom: int) -> None:
    """Zoom a map to Husby, again until it holds (a first fitBounds may still be under way)."""
    page.wait_for_function(
        "([name, lat, lng, z]) => { const m = window[name];"
        " if (m.getZoom() !== z) { m.setView([lat, lng], z, {animate: false}); }"
        " return m.getZoom() === z; }", arg=[map_name, *HUSBY, zoom], polling=200)


def _land_share(page, tmp_path) -> float:
    """The share of the map's pixels that have the base map's land colour."""
    path = tmp_path / "map.png"
    page.locator(".folium-map").first.screenshot(path=str(path))
    pixels = np.asarray(Image.open(path).convert("RGB"), dtype=int)
    return float((np.abs(pixels - np.array(LAND)).max(axis=2) <= 3).mean())


@pytest.fixture
def world(make):
    """A dialogue in Husby with pins, its people, and the demo base map as site-wide default."""
    municipality = make.municipality()
    dialogue = make.dialogue(make.area(municipality))
    add_pins(dialogue, [(*HUSBY, "safety", "negative")] * 8 + [(59.4120, 17.9300, "justice", "idea")] * 6)
    planner = make.user(municipality, role="project_leader")
    coordinator = make.user(None, role=None, is_network_coordinator=True)
    add_demo_basemap(name="Demokarta")
    return {"slug": dialogue.slug, "dialogue": dialogue.id, "area": dialogue.area_id,
            "planner": planner.email, "coordinator": coordinator.email}


# The plain form has no script map: its map is an image drawn on the server (tested below).
RESIDENT_PAGES = ["/d/{slug}", "/d/{slug}/svara"]
PLANNER_PAGES = ["/planering/omraden/{area}/redigera", "/planering/omraden/{area}/platser",
                 "/planering/omraden/nytt", "/planering/analys/dialoger/{dialogue}",
                 "/planering/analys/dialoger/{dialogue}/rutnat",
                 "/planering/analys/dialoger/{dialogue}/styrgrupp"]
NETWORK_PAGES = ["/natverket", "/natverket/oversikt"]


@pytest.mark.parametrize("path", RESIDENT_PAGES + PLANNER_PAGES + NETWORK_PAGES)
def test_the_map_shows_base_map_tiles_from_our_origin_only(page, live_server, world, tmp_path, path):
    hosts, tiles = set(), []
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    page.on("response", lambda r: tiles.append(r.status) if "/kartor/" in r.url else None)
    if path.startswith("/planering"):
        log_in(page, live_server, world["planner"])
    elif path == "/natverket/oversikt":
        log_in(page, live_server, world["coordinator"])
    page.goto(live_server + path.format(**world) + "?lang=sv")
    map_name = page.locator(".folium-map").first.get_attribute("id")
    zoom = None
    if path in ("/planering/omraden/nytt", "/natverket", "/natverket/oversikt"):
        # These maps open on all of Sweden, where the demo base map has no tiles: zoom in.
        zoom = 15
        _zoom_to_husby(page, map_name, zoom)
    _wait_for_tiles(page, zoom)
    assert hosts == {"127.0.0.1"}
    assert tiles and set(tiles) <= {200, 304}
    assert _land_share(page, tmp_path) > 0.15, "the map area shows no base map"
    # Shown, or on a narrow map (the area editor's column) one tap on "Om kartan" away.
    credits = page.locator(".leaflet-control-attribution").first
    if credits.locator(".map-credits-toggle").is_visible():
        credits.locator(".map-credits-toggle").click()
    assert "Stockholms stad (CC0)" in credits.inner_text()
    assert page.locator(".leaflet-control-zoom-in").first.get_attribute("title") == "Zooma in"
    scale = page.locator(".leaflet-control-scale").first.inner_text()
    assert ("m" in scale or "km" in scale) and "ft" not in scale and "mi" not in scale


def test_the_plain_forms_map_image_is_drawn_on_the_base_map(page, live_server, world, tmp_path):
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    page.goto(f"{live_server}/d/{world['slug']}/enkel?lang=sv")
    image = page.locator("input.plain-map:visible").first
    image.wait_for()
    # The picture the page shows, fetched as the page fetched it (from our origin).
    png = page.request.get(live_server + image.get_attribute("src"))
    assert png.status == 200 and png.headers["content-type"] == "image/png"
    path = tmp_path / "plain-map.png"
    path.write_bytes(png.body())
    pixels = np.asarray(Image.open(path).convert("RGB"), dtype=int)
    assert float((np.abs(pixels - np.array(LAND)).max(axis=2) <= 3).mean()) > 0.15
    assert hosts == {"127.0.0.1"}


def test_without_a_base_map_the_map_is_the_outline_on_a_plain_background(page, live_server, make, tmp_path):
    slug = make.dialogue().slug
    tiles = []
    page.on("request", lambda r: tiles.append(r.url) if "/kartor/" in r.url else None)
    page.goto(f"{live_server}/d/{slug}")
    page.locator(".folium-map path.leaflet-interactive, .folium-map canvas").first.wait_for(state="attached")
    assert tiles == []
    assert _land_share(page, tmp_path) < 0.01


@pytest.mark.parametrize("path", ["/d/{slug}", "/d/{slug}/svara"])
def test_a_map_on_its_base_map_has_no_accessibility_violations(page, live_server, world, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(live_server + path.format(**world) + "?lang=sv")
    _wait_for_tiles(page)
    violations = Axe().run(page).response["violations"]
    assert [(v["id"], v["impact"]) for v in violations] == []
