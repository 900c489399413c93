"""What a resident sees on a phone map: the credits folded behind an "i" button that opens them by
tap or keyboard (the licence always one step away), and a plain "Leaflet" credit. (How place names
give way to the pin clusters: test_place_labels_yield.py.)"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .accounts import log_in
from .test_basemap_browser import _wait_for_tiles
from .test_place_labels import world as world  # the Husby dialogue on the demo base map
from .test_resident_journey import PHONE, open_page

pytestmark = pytest.mark.browser
PHONE_390 = {**PHONE, "viewport": {"width": 390, "height": 844}}
PATHS = ["/d/{slug}", "/d/{slug}/svara", "/planering/analys/dialoger/{dialogue}"]


def _violations(page) -> list[str]:
    """Every axe-core finding on the page as it is now (any impact)."""
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in Axe().run(page).response["violations"]]


def _inside(box: dict, outer: dict) -> bool:
    """Whether a bounding box lies within another."""
    return (outer["x"] <= box["x"] and box["x"] + box["width"] <= outer["x"] + outer["width"]
            and outer["y"] <= box["y"] and box["y"] + box["height"] <= outer["y"] + outer["height"])


def _open(browser, live_server, world, path, **options):
    page = open_page(browser, live_server, **options)
    if path.startswith("/planering"):
        log_in(page, live_server, world["planner"])
    page.goto(live_server + path.format(**world) + "?lang=sv")
    _wait_for_tiles(page)
    page.locator(".map-credits-toggle").first.wait_for(state="attached")
    return page


def _tab_to(page, target) -> None:
    """Press Tab from the map until the target has the focus (as a keyboard user gets there)."""
    page.locator(".leaflet-container").first.focus()
    for _press in range(12):
        if target.evaluate("e => e === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError("the credits button is not reached by Tab from the map")


@pytest.mark.parametrize("path", PATHS)
def test_on_a_phone_the_credits_fold_behind_a_button_that_opens_them_by_keyboard(browser, live_server, world,
                                                                                 path):
    page = _open(browser, live_server, world, path, **PHONE_390)
    frame = page.locator(".folium-map").first
    credits = frame.locator(".leaflet-control-attribution")
    button = credits.get_by_role("button", name="Om kartan")
    text = credits.locator(".map-credits-text")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(text).to_be_hidden()
    button.scroll_into_view_if_needed()
    # Folded, the credits take one text line of the map's height, and a small corner of its width.
    box, whole = credits.bounding_box(), frame.bounding_box()
    line = float(credits.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
    assert box["height"] <= line + 0.5 and box["width"] <= 0.1 * whole["width"]
    assert _inside(box, whole)
    # The tap target is 44 x 44 px inside the map: each of its corners is the button (measured in the
    # page's own coordinates, which a wider-than-the-phone page can scale against the screen's).
    corners = button.evaluate("""b => {
        const r = b.getBoundingClientRect(), map = b.closest('.leaflet-container').getBoundingClientRect();
        const right = r.right + 8, bottom = r.bottom + 8;
        const hit = (x, y) => document.elementFromPoint(x, y)?.closest('button') === b;
        return [right <= map.right && bottom <= map.bottom, hit(right - 43.5, bottom - 43.5),
                hit(right - 0.5, bottom - 43.5), hit(right - 43.5, bottom - 0.5),
                hit(right - 3, bottom - 3),  // not right - 0.5: .map-frame rounds its corner
                hit(right - 45.5, bottom - 22), hit(right - 22, bottom - 45.5)]; }""")
    assert corners == [True] * 5 + [False] * 2
    assert _violations(page) == []

    # By keyboard: Tab to it (the focus shows), Enter opens, the licence link is the next Tab stop.
    _tab_to(page, button)
    assert button.evaluate("b => b.matches(':focus-visible') && getComputedStyle(b).outlineStyle !== 'none'")
    before = button.bounding_box()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(text).to_be_visible()
    assert "Stadsdelar: Stockholms stad (CC0)" in text.inner_text()
    assert text.locator("a", has_text="Leaflet").get_attribute("href") == "https://leafletjs.com"
    licence = text.locator("a[rel=license]")
    assert licence.get_attribute("href") == "https://creativecommons.org/publicdomain/zero/1.0/"
    # Opened, the button has not moved (the same tap closes it) and the credits stay inside the map.
    assert button.bounding_box() == before
    assert _inside(credits.bounding_box(), frame.bounding_box())
    assert _violations(page) == []
    page.keyboard.press("Tab")
    expect(text.locator("a").first).to_be_focused()
    page.keyboard.press("Escape")  # from inside the credits: folded, focus back on the button
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    page.keyboard.press(" ")
    expect(text).to_be_visible()
    page.keyboard.press(" ")
    expect(text).to_be_hidden()
    # By touch: a tap opens and a tap closes; neither reaches the map (no pin placed).
    button.tap()
    expect(text).to_be_visible()
    button.tap()
    expect(text).to_be_hidden()
    if path.endswith("/svara"):
        expect(page.locator("#pin-editor")).to_be_hidden()
    assert page.hosts == {"127.0.0.1"}
    page.close()


@pytest.mark.parametrize("path", PATHS)
def test_on_a_wide_screen_the_credits_show_as_before_with_a_plain_leaflet_credit(browser, live_server, world,
                                                                                 path):
    page = _open(browser, live_server, world, path, viewport={"width": 1280, "height": 900})
    credits = page.locator(".folium-map").first.locator(".leaflet-control-attribution")
    expect(credits.locator(".map-credits-toggle")).to_be_hidden()
    expect(credits).to_contain_text("Stadsdelar: Stockholms stad (CC0)")
    leaflet = credits.locator("a", has_text="Leaflet")
    assert leaflet.inner_text() == "Leaflet" and leaflet.locator("svg, img").count() == 0
    # One line, as Leaflet draws it.
    line = float(credits.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
    assert credits.bounding_box()["height"] <= line + 1
    assert page.hosts == {"127.0.0.1"}
    page.close()
