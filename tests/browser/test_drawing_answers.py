"""A resident draws a route and an area on a phone by touch, and with the keyboard alone, and
finds them stored as drawn (compared in SWEREF 99 TM, within a metre)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from geoalchemy2.shape import to_shape
from playwright.sync_api import expect
from shapely import LineString, Polygon
from sqlalchemy import select

from app.extensions import db
from app.models import Pin
from app.spatial import SWEREF99_TM, WGS84, from_sweref, reproject, to_sweref

from ..factories import INSIDE, REPO
from .test_resident_journey import MAP_AT_REST

pytestmark = pytest.mark.browser

SURVEY = REPO / "tests" / "data" / "rutter_och_omraden.yaml"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
E0, N0 = to_sweref(*INSIDE)
ZOOM = 17  # about 0.6 m a pixel here: a tap's rounding stays well inside the metre compared
MAP = "window[document.getElementById('pin-map').dataset.mapName]"


def open_survey(browser, live_server, make, **device):
    dialogue = make.dialogue(version=make.survey_version(SURVEY))
    page = browser.new_page(**device)
    page.hosts = set()
    page.on("request", lambda request: page.hosts.add(urlsplit(request.url).hostname))
    page.goto(f"{live_server}/d/{dialogue.slug}/svara?lang=sv")
    page.locator("#survey[data-map-ready]").wait_for(state="attached")
    return page


def centre_map(page, dx: float, dy: float) -> None:
    """Show the map at ZOOM around a point given in metres east and north of INSIDE."""
    lat, lng = from_sweref(E0 + dx, N0 + dy)
    page.locator("#pin-map .leaflet-container").scroll_into_view_if_needed()
    page.evaluate(f"() => {MAP}.setView([{lat}, {lng}], {ZOOM}, {{animate: false}})")
    page.evaluate(MAP_AT_REST)


def tap_at(page, dx: float, dy: float) -> tuple[float, float]:
    """Tap the map where a point (metres from INSIDE) is shown; the (lng, lat) the map reads there."""
    lat, lng = from_sweref(E0 + dx, N0 + dy)
    container = page.locator("#pin-map .leaflet-container")
    container.evaluate("e => e.scrollIntoView({block: 'center'})")  # the whole map in sight
    page.evaluate(MAP_AT_REST)
    point = page.evaluate(f"""() => {{ var p = {MAP}.latLngToContainerPoint([{lat}, {lng}]);
        return {{x: Math.round(p.x), y: Math.round(p.y)}}; }}""")
    container.tap(position=point)
    return tuple(page.evaluate(f"""() => {{
        var ll = {MAP}.containerPointToLatLng([{point['x']}, {point['y']}]);
        return [ll.lng, ll.lat]; }}"""))


def sweref(geometry):
    return reproject(geometry, WGS84, SWEREF99_TM)


def stored_shapes() -> dict[str, Pin]:
    db.session.expire_all()
    return {p.question_id: p for p in db.session.execute(select(Pin)).scalars()}


def fill_editor(page, sentiment: str, comment: str) -> None:
    editor = page.locator("#pin-editor")
    editor.get_by_label(sentiment).check()
    editor.get_by_label("Din synpunkt").fill(comment)
    editor.get_by_role("button", name="Spara synpunkten").click()


def next_page(page):
    page.locator(".survey-page:not([hidden]) button.next").click()


def send(page) -> None:
    page.get_by_label("Jag förstår hur mina svar används").check()
    next_page(page)
    page.get_by_role("heading", name="Kontrollera dina svar").wait_for()


def test_a_route_and_an_area_drawn_by_touch_on_a_phone(browser, live_server, make):
    page = open_survey(browser, live_server, make, **PHONE)
    centre_map(page, 60, 60)
    route = [tap_at(page, 0, 0)]
    editor = page.locator("#pin-editor")
    expect(editor).to_be_visible()
    expect(page.locator("#draw-tools")).to_be_visible()
    route += [tap_at(page, 120, 0), tap_at(page, 120, 150)]
    expect(page.locator("#draw-status")).to_contain_text("Punkt 3 är utsatt. Vägen är 270 m lång.")
    route.append(tap_at(page, 0, 150))
    page.get_by_role("button", name="Ångra senaste punkten").click()  # the last tap was a slip
    expect(page.locator("#draw-status")).to_contain_text("3 kvar")
    route.pop()
    page.get_by_role("button", name="Klar med ritningen").click()
    expect(page.locator("#pe-map-status")).to_have_text("en väg på 270 m")
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations] == []
    fill_editor(page, "Ett problem", "Mörkt längs gångvägen.")
    expect(page.locator('.pin-list[data-question="vag"] li.own-pin')).to_have_count(1)
    next_page(page)

    page.locator("#pin-map .leaflet-container").wait_for()
    centre_map(page, 50, 50)
    corners = [tap_at(page, 0, 0), tap_at(page, 100, 0), tap_at(page, 100, 100), tap_at(page, 0, 100)]
    about_a_hectare = r"(9[89]\d\d m²|1,0 ha)"  # the page's quick measure; the server's is exact
    expect(page.locator("#draw-status")).to_have_text(
        re.compile(rf"Hörn 4 är utsatt\. Området är {about_a_hectare}\."))
    page.get_by_role("button", name="Klar med ritningen").click()
    fill_editor(page, "En idé", "Här borde en park ligga.")
    next_page(page)
    send(page)
    review = page.locator("#review").inner_text()
    assert "en väg på 270 m" in review and re.search(f"ett område på {about_a_hectare}", review)
    page.get_by_role("button", name="Skicka mina svar").click()
    page.wait_for_url("**/tack")

    pins = stored_shapes()
    line, area = pins["vag"], pins["park"]
    assert (line.shape_kind, area.shape_kind) == ("line", "area")
    assert sweref(to_shape(line.shape)).hausdorff_distance(sweref(LineString(route))) < 1
    assert sweref(to_shape(area.shape)).hausdorff_distance(sweref(Polygon(corners))) < 1
    assert line.length_m == pytest.approx(270, abs=3) and area.area_m2 == pytest.approx(10_000, rel=0.03)
    assert page.hosts == {"127.0.0.1"}


def press_at_centre(page, key: str = "Enter") -> tuple[float, float]:
    """Press a key on the focused map; the (lng, lat) of the cross in the middle when it was pressed."""
    page.evaluate(MAP_AT_REST)
    lng, lat = page.evaluate(f"() => {{ var c = {MAP}.getCenter(); return [c.lng, c.lat]; }}")
    page.keyboard.press(key)
    return lng, lat


def test_a_route_and_an_area_drawn_with_the_keyboard_alone(browser, live_server, make):
    page = open_survey(browser, live_server, make, viewport={"width": 1280, "height": 900})
    centre_map(page, 0, 0)
    page.locator("#pin-map .leaflet-container").focus()
    route = [press_at_centre(page)]
    expect(page.locator("#map-announce")).to_have_text("Punkt 1 är utsatt. Sätt ut nästa punkt på vägen.")
    for key in ("ArrowRight", "ArrowRight", "ArrowDown"):
        page.keyboard.press(key)  # Leaflet pans 80 px a press
        page.evaluate(MAP_AT_REST)
        route.append(press_at_centre(page))
    page.keyboard.press("ArrowDown")
    press_at_centre(page)
    expect(page.locator("#map-announce")).to_contain_text("Punkt 5 är utsatt")
    page.keyboard.press("Backspace")
    expect(page.locator("#map-announce")).to_have_text("Den senaste punkten är borttagen. 4 kvar.")
    page.get_by_role("button", name="Klar med ritningen").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#map-announce")).to_contain_text("Vägen är ritad:")
    expect(page.locator("#pin-editor-title")).to_be_focused()
    fill_editor(page, "Ett problem", "Här går jag helst inte.")
    next_page(page)

    centre_map(page, 0, 0)
    page.locator("#pin-map .leaflet-container").focus()
    corners = [press_at_centre(page)]
    for key in ("ArrowRight", "ArrowDown", "ArrowLeft"):
        page.keyboard.press(key)
        page.evaluate(MAP_AT_REST)
        corners.append(press_at_centre(page))
    expect(page.locator("#map-announce")).to_contain_text("Hörn 4 är utsatt. Området är")
    page.get_by_role("button", name="Klar med ritningen").focus()
    page.keyboard.press("Enter")
    fill_editor(page, "En idé", "En park.")
    next_page(page)
    send(page)
    page.get_by_role("button", name="Skicka mina svar").click()
    page.wait_for_url("**/tack")

    pins = stored_shapes()
    assert sweref(to_shape(pins["vag"].shape)).hausdorff_distance(sweref(LineString(route))) < 1
    assert sweref(to_shape(pins["park"].shape)).hausdorff_distance(sweref(Polygon(corners))) < 1


def test_without_javascript_a_route_is_chosen_through_named_places(browser, live_server, make):
    from geoalchemy2.shape import from_shape
    from shapely import Point

    from app.models import NamedPlace

    dialogue = make.dialogue(version=make.survey_version(SURVEY))
    stops = {}
    for name, (dx, dy) in (("Tunnelbanan", (0, 0)), ("Torget", (300, 0)), ("Skolan", (300, 400))):
        lat, lng = from_sweref(E0 + dx, N0 + dy)
        place = NamedPlace(area_id=dialogue.area_id, name=name, geom=from_shape(Point(lng, lat), srid=WGS84))
        db.session.add(place)
        db.session.commit()
        stops[name] = (E0 + dx, N0 + dy)
    page = browser.new_page(java_script_enabled=False, **PHONE)
    page.goto(f"{live_server}/d/{dialogue.slug}/enkel?lang=sv")
    route = page.locator("#pin-vag-0-box")
    expect(route.locator('input[type="image"]')).to_have_count(0)  # nothing to draw on here
    route.get_by_label("En väg mellan platser i listan").check()
    for n, name in enumerate(("Tunnelbanan", "Torget", "Skolan"), start=1):
        route.get_by_label(f"Plats {n} längs vägen").select_option(label=name)
    route.get_by_label("Ett problem").check()
    route.get_by_label("Din synpunkt").fill("Tunneln under vägen är mörk.")
    area = page.locator("#pin-park-0-box")
    area.get_by_label("Jag beskriver området med ord").check()
    area.get_by_label("Beskriv området").fill("Gräsytan bakom skolan")
    area.get_by_label("En idé").check()
    area.get_by_label("Din synpunkt").fill("Gör den till en park.")
    page.get_by_label("Jag förstår hur mina svar används").check()
    page.get_by_role("button", name="Skicka mina svar").click()
    page.wait_for_url("**/tack")
    # axe needs JavaScript to run: the same page, checked in a browser that has it.
    checker = browser.new_page(**PHONE)
    checker.goto(f"{live_server}/d/{dialogue.slug}/enkel?lang=sv")
    assert [v["id"] for v in Axe().run(checker).response["violations"]] == []

    pins = stored_shapes()
    line, park = pins["vag"], pins["park"]
    expected = LineString([stops["Tunnelbanan"], stops["Torget"], stops["Skolan"]])
    assert (line.location_kind, line.shape_kind) == ("map", "line")
    assert sweref(to_shape(line.shape)).hausdorff_distance(expected) < 1
    assert line.length_m == pytest.approx(700, abs=1)
    assert (park.location_kind, park.shape_kind, park.shape, park.place_description) == (
        "described", "area", None, "Gräsytan bakom skolan")


def test_without_javascript_a_route_through_one_place_is_refused_in_swedish(browser, live_server, make):
    from geoalchemy2.shape import from_shape
    from shapely import Point

    from app.models import NamedPlace

    dialogue = make.dialogue(version=make.survey_version(SURVEY))
    db.session.add(NamedPlace(area_id=dialogue.area_id, name="Torget",
                              geom=from_shape(Point(INSIDE[1], INSIDE[0]), srid=WGS84)))
    db.session.commit()
    page = browser.new_page(java_script_enabled=False, **PHONE)
    page.goto(f"{live_server}/d/{dialogue.slug}/enkel?lang=sv")
    route = page.locator("#pin-vag-0-box")
    route.get_by_label("Plats 1 längs vägen").select_option(label="Torget")
    route.get_by_label("Ett problem").check()
    route.get_by_label("Din synpunkt").fill("Mörkt.")
    page.get_by_label("Jag förstår hur mina svar används").check()
    page.get_by_role("button", name="Skicka mina svar").click()
    expect(route).to_contain_text("Välj minst två platser, i den ordning du går.")
    assert stored_shapes() == {}


def test_others_published_routes_and_areas_are_drawn_on_the_landing_page(browser, live_server, make):
    dialogue = make.dialogue()
    route = LineString([(lng, lat) for lat, lng in (from_sweref(E0, N0), from_sweref(E0 + 300, N0))])
    make.drawn(dialogue, route, text="Vägen till skolan.")
    square = Polygon([(lng, lat) for lat, lng in (from_sweref(E0, N0), from_sweref(E0 + 100, N0),
                                                   from_sweref(E0 + 100, N0 + 100))])
    make.drawn(dialogue, square, value="development", sentiment="idea", text="En park här.")
    make.drawn(dialogue, square, text="Inte publicerad.", state="pending")
    page = browser.new_page(**PHONE)
    page.goto(f"{live_server}/d/{dialogue.slug}?lang=sv")
    page.locator("#area-map .leaflet-marker-icon").first.wait_for()
    # The map draws on a canvas: ask Leaflet which lines and polygons it shows, and in what colour.
    drawn = page.locator("#area-map").evaluate("""frame => {
        var map = window[frame.dataset.mapName], found = [];
        map.eachLayer(function (l) {
            if (l instanceof L.Path && /others-shape/.test(l.options.className || "")) {
                found.push([l instanceof L.Polygon ? "area" : "line", l.options.color]);
            }
        });
        return found.sort(); }""")
    assert drawn == [["area", "#009E73"], ["line", "#0072B2"]]  # the waiting one is not shown
    assert [v["id"] for v in Axe().run(page).response["violations"]] == []
