"""A planner draws a development area with Leaflet-Geoman in a real browser and saves it."""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from geoalchemy2.shape import to_shape
from playwright.sync_api import expect
from shapely import Polygon
from sqlalchemy import select

from app.extensions import db
from app.models import DevelopmentArea

from ..integration.planner_helpers import PASSWORD

pytestmark = pytest.mark.browser


def test_draw_a_polygon_save_it_and_find_it_stored(page, live_server, make):
    municipality = make.municipality()
    user = make.user(municipality)
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    page.goto(f"{live_server}/konto/logga-in?lang=sv")
    page.get_by_label("E-postadress").fill(user.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/planering/")  # logged in; a goto before this would cancel the login
    page.goto(f"{live_server}/planering/omraden/nytt")

    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []

    map_name = page.locator("#draw-map").get_attribute("data-map-name")
    # The empty map shows all of Sweden; zoom to a neighbourhood, as a planner would.
    page.evaluate(f"window['{map_name}'].setView([59.4108, 17.9259], 15, {{animate: false}})")
    page.locator("#draw-map .leaflet-pm-icon-polygon").click()
    page.locator("#draw-map .leaflet-container").scroll_into_view_if_needed()
    box = page.locator("#draw-map .leaflet-container").bounding_box()
    corners = [(0.45, 0.45), (0.8, 0.45), (0.8, 0.8), (0.45, 0.8)]  # clear of the tool buttons
    points = [(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy) for fx, fy in corners]
    expected = [page.evaluate(
        f"([x, y]) => {{ const ll = window['{map_name}'].mouseEventToLatLng("
        "{clientX: x, clientY: y}); return [ll.lng, ll.lat]; }", list(p)) for p in points]
    corners = page.locator("#draw-map .marker-icon:not(.cursor-marker)")
    for n, (x, y) in enumerate(points + [points[0]], start=1):
        page.mouse.click(x, y)
        if n <= len(points):
            expect(corners).to_have_count(n)  # the click was taken as a corner
    expect(page.locator("#draw-status")).to_contain_text("1")
    page.locator("#name").fill("Ritat torg")
    page.locator("#area-form button[type=submit]").click()
    page.wait_for_url("**/platser")

    area = db.session.execute(select(DevelopmentArea)).scalar_one()
    stored = to_shape(area.geom)
    assert (area.name, area.source) == ("Ritat torg", "drawn")
    assert stored.geom_type == "MultiPolygon" and len(stored.geoms) == 1
    # The corners clicked, as the map converts them, are the stored corners (within a pixel or
    # two at zoom 15: about 5 m).
    assert stored.geoms[0].hausdorff_distance(Polygon(expected)) < 1e-4
    assert area.area_km2 > 0
    assert hosts == {"127.0.0.1"}
