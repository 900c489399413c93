"""With JavaScript, as without it, a resident can answer a route question by choosing the named
places along the way in order; the server draws the line through them (the plain form's path)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from geoalchemy2.shape import from_shape, to_shape
from playwright.sync_api import expect
from shapely import LineString, Point

from app.extensions import db
from app.models import NamedPlace
from app.spatial import WGS84, from_sweref

from .test_drawing_answers import E0, N0, PHONE, SURVEY, fill_editor, next_page, send, stored_shapes, sweref

pytestmark = pytest.mark.browser
STOPS = {"Tunnelbanan": (0, 0), "Torget": (300, 0), "Skolan": (300, 400)}  # metres from INSIDE


@pytest.fixture
def dialogue(make):
    """The routes-and-areas survey in an area with three named places."""
    dialogue = make.dialogue(version=make.survey_version(SURVEY))
    for position, (name, (dx, dy)) in enumerate(STOPS.items()):
        lat, lng = from_sweref(E0 + dx, N0 + dy)
        db.session.add(NamedPlace(area_id=dialogue.area_id, name=name, position=position,
                                  geom=from_shape(Point(lng, lat), srid=WGS84)))
    db.session.commit()
    return {"slug": dialogue.slug}


def test_on_a_phone_a_route_is_chosen_through_named_places(browser, live_server, dialogue):
    page = browser.new_page(**PHONE)
    page.hosts = set()
    page.on("request", lambda request: page.hosts.add(urlsplit(request.url).hostname))
    page.goto(f"{live_server}/d/{dialogue['slug']}/svara?lang=sv")
    page.locator("#survey[data-map-ready]").wait_for(state="attached")
    page.get_by_role("button", name="Lägg till en synpunkt utan kartan").click()
    editor = page.locator("#pin-editor")
    # A route question offers the route through places (not the single place of a point question).
    expect(editor.get_by_label("En väg mellan platser i listan")).to_be_checked()
    expect(editor.get_by_label("En plats i en lista")).to_be_hidden()
    route = editor.get_by_role("group", name="Platserna längs vägen, i den ordning du går")
    expect(route).to_be_visible()
    assert [v["id"] for v in Axe().run(page).response["violations"]] == []
    # One place is not a route: said in Swedish, nothing saved.
    route.get_by_label("Plats 1 längs vägen").select_option(label="Tunnelbanan")
    fill_editor(page, "Ett problem", "Tunneln under vägen är mörk.")
    expect(editor.locator("#pe-err-location")).to_have_text("Välj minst två platser, i den ordning du går.")
    expect(page.locator('.pin-list[data-question="vag"] li.own-pin')).to_have_count(0)
    # Three places in order, the third in the last box (an empty box between is skipped).
    route.get_by_label("Plats 2 längs vägen").select_option(label="Torget")
    route.get_by_label("Plats 4 längs vägen (frivillig)").select_option(label="Skolan")
    editor.get_by_role("button", name="Spara synpunkten").click()
    saved = page.locator('.pin-list[data-question="vag"] li.own-pin')
    expect(saved).to_have_count(1)
    expect(saved).to_contain_text("en väg genom Tunnelbanan – Torget – Skolan")
    # Reopened, the editor shows the places chosen (kept on the device, as every draft is).
    page.reload()
    page.locator("#survey[data-map-ready]").wait_for(state="attached")
    expect(saved).to_contain_text("en väg genom Tunnelbanan – Torget – Skolan")
    saved.get_by_role("button").filter(has_text="Ändra").click()
    stops = route.locator("select").evaluate_all("all => all.map(s => s.selectedOptions[0].text)")
    assert stops == ["Tunnelbanan", "Torget", "Skolan", "Välj en plats"]  # in order, the gap closed
    expect(editor.get_by_label("En väg mellan platser i listan")).to_be_checked()
    editor.get_by_role("button", name="Avbryt").click()
    next_page(page)
    area = page.locator("#pin-editor")
    page.get_by_role("button", name="Lägg till en synpunkt utan kartan").click()
    expect(area.get_by_label("En väg mellan platser i listan")).to_be_hidden()
    expect(area.get_by_label("Jag beskriver platsen med ord")).to_be_checked()
    area.get_by_label("Beskriv platsen").fill("Gräsytan bakom skolan")
    fill_editor(page, "En idé", "Gör den till en park.")
    next_page(page)
    send(page)
    assert "en väg genom Tunnelbanan – Torget – Skolan" in page.locator("#review").inner_text()
    page.get_by_role("button", name="Skicka mina svar").click()
    page.wait_for_url("**/tack")

    line = stored_shapes()["vag"]
    expected = LineString([(E0 + dx, N0 + dy) for dx, dy in STOPS.values()])
    assert (line.location_kind, line.shape_kind) == ("map", "line")
    assert sweref(to_shape(line.shape)).hausdorff_distance(expected) < 1
    assert line.length_m == pytest.approx(700, abs=1)
    assert page.hosts == {"127.0.0.1"}
    page.close()
