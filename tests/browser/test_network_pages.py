"""The network's pages in a real browser: axe-core finds no serious problem, nothing leaves 127.0.0.1."""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from app.extensions import db
from app.network import evaluation
from app.network.sharing import publish_file

pytestmark = pytest.mark.browser


def serious(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")]


def test_the_network_pages_are_accessible_and_local(page, live_server, make, app):
    kommun = make.municipality("Husby kommun", "0180", population=10_000)
    dialogue = make.dialogue(make.area(kommun), title="Husby torg")
    for i in range(6):
        make.pin(dialogue, value="justice", text=f"Synpunkt {i}")
    closed = make.dialogue(make.area(kommun), title="Parken", status="closed")
    with app.test_request_context():
        evaluation_round = evaluation.start_round("Fas 4", 4)
        template = publish_file("trygghetsvandring.yaml", "1.0", "Första versionen")
    db.session.commit()
    leader = make.user(kommun, "project_leader", is_network_coordinator=True)
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))

    page.goto(f"{live_server}/natverket?lang=sv")
    assert page.locator(".leaflet-marker-icon").count() == 1
    assert serious(page) == []
    page.goto(f"{live_server}/konto/logga-in")
    page.get_by_label("E-post").fill(leader.email)
    page.get_by_label("Lösenord").fill("rätt-lösenord-123")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/planering/")
    for path in ("/natverket/oversikt", f"/natverket/kommuner/{kommun.id}",
                 f"/natverket/kommuner/{kommun.id}/kommentarer", "/natverket/mallar",
                 f"/natverket/mallar/{template.id}/anvand", "/natverket/utvardering",
                 f"/natverket/utvardering/{evaluation_round.id}/svara",
                 f"/natverket/utvardering/{evaluation_round.id}/rapport", "/natverket/lardomar",
                 f"/natverket/dialoger/{closed.id}/lardomar"):
        for lang in ("sv", "en"):
            page.goto(f"{live_server}{path}?lang={lang}")
            assert page.locator("h1").count() == 1, path
            assert serious(page) == [], (path, lang)
    page.goto(f"{live_server}/natverket/oversikt")
    assert page.locator(".leaflet-interactive").count() >= 2  # the two areas' outlines
    assert hosts == {"127.0.0.1"}


def test_the_public_network_map_runs_without_errors_fits_sweden_and_links_the_dialogue(
        page, live_server, make):
    kommun = make.municipality("Husby kommun", "0180")
    dialogue = make.dialogue(make.area(kommun), title="Husby torg")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server}/natverket?lang=sv")
    page.locator(".leaflet-marker-icon").wait_for()
    assert errors == []  # was "$ is not defined" (folium's popup needs jQuery)
    zoom = page.evaluate("window[document.querySelector('.folium-map').id].getZoom()")
    assert zoom >= 4  # Sweden, not the world
    page.locator(".leaflet-marker-icon").click()
    page.locator(".leaflet-popup-content a", has_text="Husby torg").click()
    page.wait_for_url(f"**/d/{dialogue.slug}")
