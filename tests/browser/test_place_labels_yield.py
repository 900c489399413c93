"""Place names yield to the residents' comments: on a phone and on a desktop, once the map has
settled, no name covers a cluster's count or a pin, on the demo's Husby map and where a named place
lies under a cluster; a name under a cluster is written beside it, and where no comment is in the
way a name is shown at its place. The names still take no tap."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from app.demo import seed_demo
from app.extensions import db
from app.models import Dialogue

from ..integration.planner_helpers import PASSWORD
from .accounts import log_in
from .test_basemap_browser import _wait_for_tiles
from .test_map_credits import _violations
from .test_place_labels import CENTRUM, MAP
from .test_place_labels import world as world  # Husby centrum under six pins, Fältet with none
from .test_resident_journey import DESKTOP, PHONE, open_page

pytestmark = pytest.mark.browser
SIZES = {"phone": {**PHONE, "viewport": {"width": 390, "height": 844}}, "desktop": DESKTOP}
FALTET = (59.4090, 17.9200)

# What a person sees on each map of the page: every pin and cluster (with its count or symbol),
# every place name and dot that is shown, and the map's controls, as screen boxes
# [left, top, right, bottom].
SEEN = """() => [...document.querySelectorAll('.folium-map')].map(frame => {
    const shown = e => { const s = getComputedStyle(e);
        return s.visibility === 'visible' && s.display !== 'none' && Number(s.opacity) > 0; };
    const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    const markers = [...frame.querySelectorAll('.leaflet-marker-icon:not(.place-label)')].filter(shown)
        .map(e => ({count: e.textContent.trim() || e.title, box: box(e),
                    inner: box(e.querySelector('span') || e)}));
    const names = [...frame.querySelectorAll('.place-label')].filter(shown).map(e => {
        const dot = e.querySelector('.place-label-dot'), text = e.querySelector('.place-label-text');
        return {name: text.textContent, text: box(text), dot: shown(dot) ? box(dot) : null,
                side: [...e.classList].filter(c => c.startsWith('place-label-')).join(' ')}; });
    const controls = [...frame.querySelectorAll('.leaflet-control')].filter(shown).map(box);
    return {frame: box(frame), markers, names, controls}; })"""


def _overlap(a: list[float], b: list[float]) -> bool:
    """Whether two screen boxes [left, top, right, bottom] share any area."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _settled(page, timeout: float = 15.0) -> list[dict]:
    """What the maps show once pins, clusters and names have stopped moving (two equal looks)."""
    last, deadline = None, time.monotonic() + timeout
    while time.monotonic() < deadline:
        page.wait_for_timeout(250)  # the clusters' own animation takes 300 ms
        now = page.evaluate(SEEN)
        if now == last and any(m["markers"] for m in now):
            return now
        last = now
    raise AssertionError(f"the map did not settle: {last}")


def _names_clear_of_the_comments(maps: list[dict]) -> list[str]:
    """Every place name (or dot) shown over a pin or a cluster's count, as readable findings."""
    found = []
    for seen in maps:
        for marker in seen["markers"]:
            for name in seen["names"]:
                for part in ("text", "dot"):
                    # The whole round icon, and its count (or symbol) in case that reaches outside it.
                    if name[part] and any(_overlap(name[part], marker[b]) for b in ("box", "inner")):
                        found.append(f"{name['name']} ({part}) over the marker '{marker['count']}'")
    return found


def _names_under_the_controls(maps: list[dict]) -> list[str]:
    """Every place name shown under one of the map's buttons, layer list, scale or credits."""
    return [name["name"] for seen in maps for name in seen["names"]
            if any(_overlap(name["text"], control) for control in seen["controls"])]


def _shown(maps: list[dict]) -> set[str]:
    """The names shown on the page's maps."""
    return {name["name"] for seen in maps for name in seen["names"]}


@pytest.fixture
def demo(app_context):
    """The demo's Husby dialogue (360 pins, its six named places, the demo base map)."""
    seed_demo(password=PASSWORD)
    dialogue = db.session.query(Dialogue).one()
    return {"slug": dialogue.slug, "dialogue": dialogue.id, "planner": "projektledare@demo.platsdialog.se"}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("path", ["/d/{slug}", "/planering/analys/dialoger/{dialogue}"])
def test_on_the_demo_map_no_place_name_covers_a_cluster_count(browser, live_server, demo, size, path):
    page = open_page(browser, live_server, **SIZES[size])
    if path.startswith("/planering"):
        log_in(page, live_server, demo["planner"])
    page.goto(live_server + path.format(**demo) + "?lang=sv")
    _wait_for_tiles(page)
    page.locator(".folium-map").first.scroll_into_view_if_needed()
    maps = _settled(page)
    assert sum(len(m["markers"]) for m in maps) >= 10  # the demo's clusters are there to be covered
    assert _names_clear_of_the_comments(maps) == []
    assert _names_under_the_controls(maps) == []
    assert _shown(maps)  # names that have room are still written
    # Closer in the clusters split and spread: the names are placed again, still clear of them.
    for _step in range(2):
        page.evaluate(f"() => {MAP}.zoomIn(1, {{animate: false}})")
        assert _names_clear_of_the_comments(_settled(page)) == []
    assert _violations(page) == []
    assert page.hosts == {"127.0.0.1"}
    page.close()


def _husby_at(page, zoom: int, the_map: str = MAP) -> list[dict]:
    """The map centred on Husby centrum at a zoom, as it shows once settled."""
    page.evaluate(f"([lat, lng, z]) => {the_map}.setView([lat, lng], z, {{animate: false}})",
                  [*CENTRUM, zoom])
    return _settled(page)


@pytest.mark.parametrize("size", SIZES)
def test_a_place_under_a_cluster_is_named_beside_it_and_a_free_place_at_its_dot(browser, live_server, world,
                                                                                 size):
    page = open_page(browser, live_server, **SIZES[size])
    page.goto(f"{live_server}/d/{world['slug']}?lang=sv")
    _wait_for_tiles(page)
    page.locator(".folium-map").first.scroll_into_view_if_needed()
    maps = _husby_at(page, 15)
    assert _names_clear_of_the_comments(maps) == []
    seen = maps[0]
    (cluster,) = [m for m in seen["markers"] if m["count"] == "6"]
    names = {name["name"]: name for name in seen["names"]}
    # Husby centrum lies under the cluster of its six comments: its dot gives way and its name is
    # written just beside the cluster, on the same line as the count.
    centrum = names["Husby centrum"]
    assert centrum["dot"] is None and "place-label-bare" in centrum["side"]
    assert 0 <= centrum["text"][0] - cluster["box"][2] <= 6
    assert centrum["text"][1] < (cluster["box"][1] + cluster["box"][3]) / 2 < centrum["text"][3]
    # Fältet has no comment near it: its dot is at its place and its name beside it, as before.
    faltet = names["<b>Fältet</b>"]
    at = page.evaluate(f"([lat, lng]) => {MAP}.latLngToContainerPoint([lat, lng])", list(FALTET))
    dot_x, dot_y = (faltet["dot"][0] + faltet["dot"][2]) / 2, (faltet["dot"][1] + faltet["dot"][3]) / 2
    assert abs(dot_x - seen["frame"][0] - at["x"]) <= 1.5 and abs(dot_y - seen["frame"][1] - at["y"]) <= 1.5
    assert faltet["side"] == "place-label-right"  # on the side where a name is read first
    # A tap (or click) on the cluster reaches it, and the name beside it takes none: six pins open.
    pins = page.locator(".folium-map .pin-marker.others")
    expect(pins).to_have_count(0)
    x, y = (cluster["box"][0] + cluster["box"][2]) / 2, (cluster["box"][1] + cluster["box"][3]) / 2
    if SIZES[size].get("has_touch"):
        page.touchscreen.tap(x, y)
    else:
        page.mouse.click(x, y)
    expect(pins).to_have_count(6)
    assert _names_clear_of_the_comments(_settled(page)) == []
    assert _violations(page) == []
    page.close()


def _questionnaire_on_a_phone(browser, live_server, world):
    """The test dialogue's questionnaire on a phone, once its map is ready."""
    page = open_page(browser, live_server, **SIZES["phone"])
    page.goto(f"{live_server}/d/{world['slug']}/svara?lang=sv")
    page.locator("#survey[data-map-ready]").wait_for(state="attached")
    return page


def test_in_the_questionnaire_a_name_beside_a_cluster_lets_a_tap_place_a_pin(browser, live_server, world):
    page = _questionnaire_on_a_phone(browser, live_server, world)
    page.get_by_label("Visa andra invånares synpunkter på den här frågan").check()
    page.locator("#pin-map .leaflet-container").scroll_into_view_if_needed()
    maps = _husby_at(page, 15, "window[document.getElementById('pin-map').dataset.mapName]")
    assert _names_clear_of_the_comments(maps) == []
    name = page.locator("#pin-map .place-label", has_text="Husby centrum").locator(".place-label-text")
    expect(name).to_be_visible()
    box = name.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("#pin-editor")).to_be_visible()
    assert _violations(page) == []
    assert page.hosts == {"127.0.0.1"}
    page.close()


def test_the_residents_own_pin_tapped_onto_a_name_pushes_the_name_aside(browser, live_server, world):
    page = _questionnaire_on_a_phone(browser, live_server, world)
    page.locator("#pin-map .leaflet-container").scroll_into_view_if_needed()
    the_map = "window[document.getElementById('pin-map').dataset.mapName]"
    page.evaluate(f"([lat, lng]) => {the_map}.setView([lat, lng], 17, {{animate: false}})", list(CENTRUM))
    name = page.locator("#pin-map .place-label", has_text="Husby centrum").locator(".place-label-text")
    # A first tap below the name opens the editor with the resident's pin there...
    dot = page.locator("#pin-map .place-label", has_text="Husby centrum").locator(".place-label-dot")
    below = dot.bounding_box()
    page.touchscreen.tap(below["x"] + 5, below["y"] + 90)
    expect(page.locator("#pin-editor")).to_be_visible()
    # ...a second tap on the name moves the pin onto it, and the name gives way to the pin.
    page.evaluate(f"([lat, lng]) => {the_map}.setView([lat, lng], 17, {{animate: false}})", list(CENTRUM))
    page.wait_for_timeout(300)
    box = name.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    maps = _settled(page)
    (draft,) = [m for seen in maps for m in seen["markers"]]
    assert abs((draft["box"][0] + draft["box"][2]) / 2 - (box["x"] + box["width"] / 2)) <= 2
    assert _names_clear_of_the_comments(maps) == []
    expect(name).to_be_visible()
    page.close()
