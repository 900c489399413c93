"""The analysis page in Chromium: a hostile comment stays text, and axe finds nothing serious."""

import json
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from ..analysis_helpers import add_pins
from .accounts import log_in

pytestmark = pytest.mark.browser
HOSTILE = '<img src=x onerror="alert(document.domain)"> Mörkt vid tunneln'


def test_a_hostile_comment_stays_inert_text_in_the_pin_popup(page, live_server, make):
    dialogue = make.dialogue()
    add_pins(dialogue, [(59.4108, 17.9259, "safety", "negative", HOSTILE)])
    dialogs, hosts = [], set()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    log_in(page, live_server, make.user(dialogue.municipality))
    page.goto(f"{live_server}/planering/analys/dialoger/{dialogue.id}")
    page.locator(".pin-dot").first.click()
    popup = page.locator(".leaflet-popup-content .pin-comment")
    popup.wait_for()
    assert popup.inner_text() == HOSTILE
    assert page.locator(".leaflet-popup-content img").count() == 0
    assert dialogs == []
    assert hosts == {"127.0.0.1"}


@pytest.mark.parametrize("view", ["", "/rutnat", "/statistik", "/styrgrupp"])
def test_the_analysis_pages_have_no_serious_accessibility_violations(page, live_server, make, view):
    dialogue = make.dialogue()
    add_pins(dialogue, [(59.4108, 17.9259, "safety", "negative")] * 6,
             answers={"alder": "age_25_44", "trygg_kvall": 4})
    log_in(page, live_server, make.user(dialogue.municipality))
    page.goto(f"{live_server}/planering/analys/dialoger/{dialogue.id}{view}")
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


def _assessment_dialogue(make):
    """The two places of the assessment tests: safety clearly the weak leg at Husby centrum."""
    from ..integration.test_analysis_assessment import _two_places

    dialogue, _clear, _unclear = _two_places(make)
    return dialogue


def test_the_three_value_maps_stand_side_by_side_with_their_legends(page, live_server, make):
    dialogue = _assessment_dialogue(make)
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    log_in(page, live_server, make.user(dialogue.municipality))
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{live_server}/planering/analys/dialoger/{dialogue.id}/bedomning?size=250")
    figures = page.locator("#value-maps figure.value-map")
    assert figures.count() == 3
    # The long value label carries a soft hyphen at its joint (app/typography.py): invisible here.
    titles = [figures.nth(i).locator("h3").inner_text().replace("\u00ad", "") for i in range(3)]
    assert titles == ["Trygghet", "Rättvisa", "Utvecklingsmöjligheter"]
    boxes = [figures.nth(i).locator(".folium-map").bounding_box() for i in range(3)]
    # Side by side: one row, same size, left to right.
    assert len({round(b["y"]) for b in boxes}) == 1
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
    assert len({(round(b["width"]), round(b["height"])) for b in boxes}) == 1
    # Each map has drawn its cells (Leaflet paths) and carries the same legend.
    for i, value in enumerate(("safety", "justice", "development")):
        map_id = figures.nth(i).locator(".folium-map").get_attribute("id")
        cells = page.evaluate("""id => { let n = 0; window[id].eachLayer(layer => {
            if (layer.feature && (layer.feature.properties || {}).net) n++; }); return n; }""",
                              map_id)
        assert cells >= 2  # the two places' cells, drawn on this map's canvas
        legend = page.locator(f"#legend-net-{value}")
        assert legend.is_visible()
        assert legend.locator("li").count() == 8  # seven classes and "too few"
    legends = [page.locator(f"#legend-net-{v}").inner_text() for v in ("safety", "justice",
                                                                      "development")]
    assert legends[0] == legends[1] == legends[2] and "−1 … −0.6" in legends[0]
    # The weak-leg map has its legend by value.
    assert "Trygghet" in page.locator("#legend-weak").inner_text()
    assert page.locator("#weak-counts li[data-value=safety]").inner_text().startswith(
        "Trygghet är det svaga benet i 1 av")
    assert hosts == {"127.0.0.1"}
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


def test_on_a_phone_the_value_maps_stack(page, live_server, make):
    dialogue = _assessment_dialogue(make)
    log_in(page, live_server, make.user(dialogue.municipality))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/planering/analys/dialoger/{dialogue.id}/bedomning")
    boxes = [page.locator("#value-maps .folium-map").nth(i).bounding_box() for i in range(3)]
    assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]
    assert all(b["x"] + b["width"] <= 390 for b in boxes)


def test_the_hotspot_page_names_its_test_in_the_legend(page, live_server, make):
    dialogue = _assessment_dialogue(make)
    log_in(page, live_server, make.user(dialogue.municipality))
    page.goto(f"{live_server}/planering/analys/dialoger/{dialogue.id}/heta-punkter")
    legend = page.locator("#legend-hotspots")
    assert "Getis-Ord Gi*" in legend.inner_text() and "999 permutationer" in legend.inner_text()
    page.select_option("#layer-select", "justice-positive")
    page.get_by_role("button", name="Visa", exact=True).click()
    page.wait_for_url("**layer=justice-positive**")
    assert page.locator("h2", has_text="Rättvisa: Fungerar bra").count() == 1
    # The nine-layer download of this many cells is a job: the button first, then the link.
    download = page.locator("#hotspot-download")
    assert download.get_by_role("link").count() == 0
    serious = [v for v in Axe().run(page).response["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
    download.get_by_role("button", name="Beräkna nedladdningen").click()
    page.wait_for_url("**layer=justice-positive**")
    link = page.locator("#hotspot-download").get_by_role(
        "link", name="Ladda ner rutnätet med testresultaten (GeoJSON)")
    expect(link).to_be_visible()
    grid = json.loads(page.request.get(live_server + link.get_attribute("href")).body())
    assert "spot_justice_positive" in grid["features"][0]["properties"]
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
