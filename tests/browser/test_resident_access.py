"""The resident's pages by keyboard only, without the map, offline hiccups, hostile text, axe-core."""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.extensions import db
from app.models import NamedPlace, Pin, Response

from .test_resident_journey import (
    DESKTOP,
    add_comment,
    answer_first_page_and_go_to_review,
    count,
    open_page,
    tap_map,
)

pytestmark = pytest.mark.browser


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")]


def go_to_review(page):
    """Through the remaining pages to the review step, with only the consent given."""
    while not page.locator("#page-skicka").is_visible():
        page.locator(".survey-page:not([hidden]) button.next").click()
    page.get_by_label("Jag förstår hur mina svar används").check()
    page.locator("#page-skicka button.next").click()
    page.get_by_role("heading", name="Kontrollera dina svar").wait_for()


def test_a_keyboard_only_journey(page, live_server, make):
    dialogue = make.dialogue()
    page.goto(f"{live_server}/d/{dialogue.slug}/svara?lang=sv")
    page.locator("#survey[data-map-ready]").wait_for(state="attached")
    for _ in range(40):  # the map is reachable with Tab
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('leaflet-container')"):
            break
    else:
        pytest.fail("the map never got keyboard focus")
    centre = "(() => { var c = window[document.getElementById('pin-map').dataset.mapName].getCenter();" \
             " return [c.lat, c.lng]; })()"
    before = page.evaluate(centre)
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"{centre}[1] > {before[1]}")  # the arrow key moved the map east
    page.keyboard.press("Enter")
    expect(page.locator("#map-announce")).to_contain_text("Markeringen är utsatt")
    assert page.evaluate("document.activeElement.id") == "pin-editor-title"
    page.keyboard.press("Tab")   # where: the map, already chosen
    page.keyboard.press("Tab")   # value: safety, the only one
    page.keyboard.press("Tab")   # sentiment: the first option
    page.keyboard.press("ArrowRight")  # "A problem"
    page.keyboard.press("Tab")
    page.keyboard.type("Tangentbordets synpunkt.")
    page.locator("#pe-save").focus()
    page.keyboard.press("Enter")
    assert "Tangentbordets synpunkt." in page.locator(".pin-list").first.inner_text()
    for _ in range(4):
        page.locator(".survey-page:not([hidden]) button.next").focus()
        page.keyboard.press("Enter")
    page.get_by_label("Jag förstår hur mina svar används").focus()
    page.keyboard.press("Space")
    page.locator("#page-skicka button.next").focus()
    page.keyboard.press("Enter")
    page.locator("#send").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/tack")
    pin = db.session.execute(select(Pin)).scalar_one()
    assert (pin.sentiment, pin.text, pin.location_kind) == ("negative", "Tangentbordets synpunkt.", "map")
    lng = db.session.execute(select(func.ST_X(Pin.geom))).scalar_one()
    assert lng > before[1]  # placed at the moved centre, east of where the map started


def test_a_named_place_and_a_place_in_words_without_the_map(page, live_server, make):
    dialogue = make.dialogue()
    db.session.add(NamedPlace(area_id=dialogue.area_id, name="Husby centrum", position=1))
    db.session.commit()
    page.goto(f"{live_server}/d/{dialogue.slug}/svara?lang=sv")
    page.get_by_role("button", name="Lägg till en synpunkt utan kartan").click()
    page.get_by_label("Plats", exact=True).select_option(label="Husby centrum")
    add_comment(page, "Ett problem", "Trångt vid torget.")
    page.get_by_role("button", name="Lägg till en synpunkt utan kartan").click()
    page.get_by_label("Jag beskriver platsen med ord").check()
    page.get_by_label("Beskriv platsen").fill("Gångbron över motorvägen")
    add_comment(page, "En idé", "Bättre belysning.")
    listing = page.locator(".pin-list").first.inner_text()
    assert "vid Husby centrum" in listing and "Gångbron över motorvägen" in listing
    go_to_review(page)
    page.get_by_role("button", name="Skicka mina svar").click()
    page.wait_for_url("**/tack")
    rows = db.session.execute(
        select(Pin.location_kind, Pin.place_description, func.coalesce(Pin.sweref_e, -1)).order_by(Pin.id)
    ).all()
    assert [tuple(r) for r in rows] == [
        ("named_place", None, -1), ("described", "Gångbron över motorvägen", -1)]
    assert db.session.execute(select(Pin.geom).where(Pin.geom.is_not(None))).first() is None


def test_a_network_failure_while_sending_then_a_retry_loses_nothing_and_stores_once(page, live_server, make):
    dialogue = make.dialogue()
    posts = []

    def flaky(route):
        posts.append(json.loads(route.request.post_data))
        if len(posts) == 1:
            route.fetch()   # the server stores it...
            route.abort()   # ...but the answer never reaches the phone
        else:
            route.continue_()

    page.route("**/svar", flaky)
    page.goto(f"{live_server}/d/{dialogue.slug}/svara?lang=sv")
    tap_map(page)
    add_comment(page, "Ett problem", "Skickas två gånger.")
    answer_first_page_and_go_to_review(page)
    page.get_by_role("button", name="Skicka mina svar").click()
    page.wait_for_url("**/tack")
    assert len(posts) == 2 and posts[0] == posts[1]  # the same key and the same answers
    assert count(Response) == 1 and count(Pin) == 1
    receipt = db.session.execute(select(Response.receipt_code)).scalar_one()
    assert page.locator("#receipt").inner_text() == receipt


def test_a_lost_connection_keeps_the_answers_until_they_can_be_sent(page, live_server, make):
    dialogue = make.dialogue()
    page.route("**/svar", lambda route: route.abort())
    page.goto(f"{live_server}/d/{dialogue.slug}/svara?lang=sv")
    tap_map(page)
    add_comment(page, "Ett problem", "Ingen täckning här.")
    answer_first_page_and_go_to_review(page)
    page.get_by_role("button", name="Skicka mina svar").click()
    page.get_by_text("Försöker igen").wait_for()
    assert count(Response) == 0
    # Reload while the connection is still lost: a timed resend cannot get through first.
    page.reload()  # even a reload keeps the unsent work
    assert "Ingen täckning här." in page.locator("#review").inner_text()
    page.unroute("**/svar")
    page.get_by_role("button", name="Skicka mina svar").click()
    page.wait_for_url("**/tack")
    assert count(Response) == 1 and count(Pin) == 1


def test_a_place_outside_the_area_is_refused_on_the_page(page, live_server, make):
    dialogue = make.dialogue()
    page.goto(f"{live_server}/d/{dialogue.slug}/svara?lang=sv")
    page.locator("#survey[data-map-ready]").wait_for(state="attached")
    page.locator("#pin-map .leaflet-container").click(position={"x": 60, "y": 10})
    expect(page.locator("#map-announce")).to_contain_text("utanför området")
    assert page.locator("#pin-editor").is_hidden()


def test_script_in_a_comment_is_shown_as_text(page, live_server, make):
    dialogue = make.dialogue()
    make.pin(dialogue, text="<script>window.hacked = 1</script><b>fet</b>")
    page.goto(f"{live_server}/d/{dialogue.slug}?lang=sv")
    page.locator(".pin-marker.others").first.click()
    popup = page.locator(".leaflet-popup-content")
    assert "<script>window.hacked = 1</script><b>fet</b>" in popup.inner_text()
    assert popup.locator("b").count() == 0
    page.goto(f"{live_server}/d/{dialogue.slug}/svara?lang=sv")
    tap_map(page)
    add_comment(page, "Ett problem", "<img src=x onerror=window.hacked=2>")
    assert "<img src=x onerror=window.hacked=2>" in page.locator(".pin-list").first.inner_text()
    answer_first_page_and_go_to_review(page)
    assert "<img src=x" in page.locator("#review").inner_text()
    assert page.evaluate("window.hacked") is None


def test_no_serious_accessibility_violation_on_any_resident_page(browser, live_server, make):
    dialogue = make.dialogue()
    make.pin(dialogue)
    page = open_page(browser, live_server, **DESKTOP)
    found = {}
    page.goto(f"{live_server}/?lang=sv")
    found["index"] = serious_violations(page)
    page.goto(f"{live_server}/d/{dialogue.slug}")
    found["landing"] = serious_violations(page)
    page.goto(f"{live_server}/d/{dialogue.slug}/enkel")
    found["simple form"] = serious_violations(page)
    page.goto(f"{live_server}/d/{dialogue.slug}/svara")
    tap_map(page)
    found["questionnaire with the editor open"] = serious_violations(page)
    add_comment(page, "Ett problem", "Mörkt.")
    for name in ("rattvisa", "utveckling", "om_dig", "skicka"):
        page.locator(".survey-page:not([hidden]) button.next").click()
        found[f"page {name}"] = serious_violations(page)
    page.get_by_label("Jag förstår hur mina svar används").check()
    page.locator("#page-skicka button.next").click()
    found["review"] = serious_violations(page)
    page.get_by_role("button", name="Skicka mina svar").click()
    page.wait_for_url("**/tack")
    found["thanks"] = serious_violations(page)
    assert {k: v for k, v in found.items() if v} == {}
    assert page.hosts == {"127.0.0.1"}
    page.close()


def test_the_servers_refusals_are_shown_per_field_and_nothing_is_lost(page, live_server, make):
    dialogue = make.dialogue()
    place = NamedPlace(area_id=dialogue.area_id, name="Gamla torget", position=1)
    db.session.add(place)
    db.session.commit()
    page.goto(f"{live_server}/d/{dialogue.slug}/svara?lang=sv")
    page.get_by_role("button", name="Lägg till en synpunkt utan kartan").click()
    page.get_by_label("Plats", exact=True).select_option(label="Gamla torget")
    add_comment(page, "Ett problem", "Torget är mörkt.")
    go_to_review(page)
    db.session.delete(place)  # the working group removed the place meanwhile
    db.session.commit()
    page.get_by_role("button", name="Skicka mina svar").click()
    summary = page.locator("#review-errors")
    summary.wait_for()
    assert "Välj en av platserna i listan." in summary.inner_text()
    assert count(Response) == 0
    summary.get_by_role("button").first.click()  # the error leads to the comment's page
    assert page.locator("#page-trygghet").is_visible()
    assert "Torget är mörkt." in page.locator(".pin-list").first.inner_text()


def test_a_dialogue_that_closes_while_answering_says_so(page, live_server, make):
    dialogue = make.dialogue()
    page.goto(f"{live_server}/d/{dialogue.slug}/svara?lang=sv")
    go_to_review(page)
    dialogue.status = "closed"
    db.session.commit()
    page.get_by_role("button", name="Skicka mina svar").click()
    expect(page.locator("#review-errors")).to_contain_text("inte öppen för svar")
    assert count(Response) == 0
