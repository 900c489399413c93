"""Routes and areas on the planner's pages in Chromium: drawn on the raw map and the queue's mini
map, at phone width too, and axe finds no violations on the pages that show them."""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from ..integration.shape_helpers import park_area, route_along_a_row
from .accounts import log_in

pytestmark = pytest.mark.browser
SAFETY, DEVELOPMENT = "#0072B2", "#009E73"  # domain.VALUE_COLOURS


@pytest.fixture
def drawn(make):
    dialogue = make.dialogue()
    make.pin(dialogue, text="Mörk tunnel")
    make.drawn(dialogue, route_along_a_row(), text="Min väg hem")
    make.drawn(dialogue, park_area(), value="development", sentiment="idea", text="En park här",
               state="pending")
    return dialogue.id, make.user(dialogue.municipality)


def _violations(page) -> list:
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in Axe().run(page).response["violations"]]


def test_the_raw_map_draws_the_route_and_the_area_in_their_value_colours(page, live_server, drawn):
    dialogue_id, user = drawn
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    log_in(page, live_server, user)
    page.goto(f"{live_server}/planering/analys/dialoger/{dialogue_id}")
    route = page.locator(f'.leaflet-overlay-pane path[stroke="{SAFETY}"]')
    area = page.locator(f'.leaflet-overlay-pane path[stroke="{DEVELOPMENT}"]')
    route.first.wait_for()
    assert route.count() == 1 and area.count() == 1
    assert route.get_attribute("fill") == "none" and area.get_attribute("fill") == DEVELOPMENT
    # The route's popup opens from the line itself, the comment escaped as text.
    route.click(force=True)
    assert page.locator(".leaflet-popup-content .pin-comment").inner_text() == "Min väg hem"
    assert hosts == {"127.0.0.1"}


@pytest.mark.parametrize("path", ["", "/rutnat?size=100", "/bedomning"])
def test_the_analysis_pages_with_routes_and_areas_have_no_violations(page, live_server, drawn,
                                                                      path):
    dialogue_id, user = drawn
    log_in(page, live_server, user)
    page.goto(f"{live_server}/planering/analys/dialoger/{dialogue_id}{path}")
    assert _violations(page) == []


@pytest.mark.parametrize("path", ["/moderering", "/teman"])
@pytest.mark.parametrize("viewport", [None, {"width": 390, "height": 844}])
def test_queue_and_coding_show_routes_and_areas_without_violations(browser, live_server, drawn,
                                                                    path, viewport):
    dialogue_id, user = drawn
    context = browser.new_context(viewport=viewport) if viewport else browser.new_context()
    page = context.new_page()
    log_in(page, live_server, user)
    page.goto(f"{live_server}/planering/dialoger/{dialogue_id}{path}?lang=sv")
    assert page.get_by_text("Sträcka 250 m").count() == 1
    assert page.get_by_text("Område 2 ha").count() == 1
    if path == "/moderering":
        line = page.locator("svg.minimap path.drawn-line")
        assert line.count() == 1
        assert line.evaluate("el => getComputedStyle(el).stroke") == "rgb(0, 114, 178)"
        assert page.locator("svg.minimap path.drawn-area").count() == 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= (viewport or {"width": 10_000})["width"]
    assert _violations(page) == []
    context.close()
