"""The questionnaire's map on a phone: others' comments on request, taps that always place, gestures."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..factories import INSIDE
from .test_resident_access import serious_violations
from .test_resident_journey import DESKTOP, MAP_AT_REST, PHONE, add_comment, open_page, tap_map

pytestmark = pytest.mark.browser
PHONE_390 = {**PHONE, "viewport": {"width": 390, "height": 844}}
MAP = "window[document.getElementById('pin-map').dataset.mapName]"


def crowded(make):
    """A dialogue with others' published comments around INSIDE: safety ones and one on justice."""
    dialogue = make.dialogue()
    for i in range(12):
        make.pin(dialogue, INSIDE[0] + 0.001 + i * 0.00002, INSIDE[1] - 0.002, text=f"Mörkt {i}")
    make.pin(dialogue, INSIDE[0] + 0.001, INSIDE[1] - 0.002, value="justice", sentiment="idea",
             text="En mötesplats för alla")
    return dialogue


def test_others_are_off_until_asked_then_only_this_value_and_a_tap_on_them_places_a_marker(
        browser, live_server, make):
    dialogue = crowded(make)
    page = open_page(browser, live_server, **PHONE_390)
    page.goto(f"{live_server}/d/{dialogue.slug}/svara?lang=sv")
    page.locator("#survey[data-map-ready]").wait_for(state="attached")
    assert page.locator("#pin-map .pin-marker.others, #pin-map .others-cluster").count() == 0
    page.get_by_label("Visa andra invånares synpunkter på den här frågan").check()
    cluster = page.locator("#pin-map .others-cluster")
    cluster.first.wait_for()
    assert "pin-safety" in cluster.first.get_attribute("class")  # the value's colour, not yellow
    assert page.locator("#pin-map .pin-justice.others, #pin-map .others-cluster.pin-justice").count() == 0
    tab_stops = "#pin-map .others-cluster[tabindex], #pin-map .pin-marker.others[tabindex]"
    assert page.locator(tab_stops).count() == 0
    assert serious_violations(page) == []
    zoom = page.evaluate(f"{MAP}.getZoom()")
    box = cluster.first.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("#pin-editor")).to_be_visible()  # the tap placed a marker...
    assert page.evaluate(f"{MAP}.getZoom()") == zoom  # ...and did not zoom into the cluster
    page.close()


def test_after_a_tap_the_new_marker_stays_in_sight_and_outside_taps_say_so_beside_the_map(
        browser, live_server, make):
    dialogue = make.dialogue()
    page = open_page(browser, live_server, **PHONE_390)
    page.goto(f"{live_server}/d/{dialogue.slug}/svara?lang=sv")
    page.locator("#survey[data-map-ready]").wait_for(state="attached")
    page.locator("#pin-map .leaflet-container").tap(position={"x": 5, "y": 5})
    outside = page.locator("#map-outside")
    expect(outside).to_be_visible()
    expect(outside).to_contain_text("utanför området")
    assert serious_violations(page) == []
    tap_map(page, touch=True)
    expect(page.locator("#pin-editor")).to_be_visible()
    expect(outside).to_be_hidden()
    page.wait_for_timeout(300)
    marker = page.locator("#pin-map .pin-marker.draft").bounding_box()
    assert marker["y"] >= 0 and marker["y"] + marker["height"] <= 844  # still on the screen
    add_comment(page, "Ett problem", "Syns fortfarande.")
    page.close()


def test_one_finger_scrolls_the_page_two_fingers_move_the_map(browser, live_server, make):
    dialogue = make.dialogue()
    page = open_page(browser, live_server, **PHONE_390)
    page.goto(f"{live_server}/d/{dialogue.slug}/svara?lang=sv")
    page.locator("#survey[data-map-ready]").wait_for(state="attached")
    page.locator("#pin-map .leaflet-container").scroll_into_view_if_needed()
    page.evaluate(MAP_AT_REST)
    assert page.evaluate(f"{MAP}.dragging.enabled()") is False
    touch_action = "getComputedStyle(document.querySelector('#pin-map .leaflet-container')).touchAction"
    assert page.evaluate(touch_action) in ("pan-x pan-y", "manipulation", "auto")
    centre = page.evaluate(f"{MAP}.getCenter().toString()")
    box = page.locator("#pin-map .leaflet-container").bounding_box()
    cdp = page.context.new_cdp_session(page)
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 6):
        cdp.send("Input.dispatchTouchEvent",
                 {"type": "touchMove", "touchPoints": [{"x": x, "y": y - 20 * step}]})
    expect(page.locator("#map-gesture-hint")).to_be_visible()
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    assert page.evaluate(f"{MAP}.getCenter().toString()") == centre  # one finger did not pan the map
    page.close()


def test_on_a_desktop_the_map_drags_and_landing_popups_say_value_and_kind_in_words(
        browser, live_server, make):
    dialogue = make.dialogue()
    make.pin(dialogue, text="Mörkt vid tunnelbanans uppgång på kvällarna")
    page = open_page(browser, live_server, **DESKTOP)
    page.goto(f"{live_server}/d/{dialogue.slug}/svara?lang=sv")
    page.locator("#survey[data-map-ready]").wait_for(state="attached")
    assert page.evaluate(f"{MAP}.dragging.enabled()") is True
    for device in (DESKTOP, PHONE_390):
        landing = open_page(browser, live_server, **device)
        landing.goto(f"{live_server}/d/{dialogue.slug}?lang=sv")
        marker = landing.locator(".pin-marker.others").first
        assert marker.get_attribute("title") == "Trygghet – Ett problem"
        marker.click()
        popup = landing.locator(".leaflet-popup-content")
        expect(popup).to_contain_text("Trygghet – Ett problem")
        assert popup.bounding_box()["width"] >= 200
        landing.close()
    page.close()


def test_where_am_i_moves_the_map_and_nothing_about_the_position_is_sent(browser, live_server, make):
    from app.extensions import db
    from app.models import Address

    dialogue = make.dialogue()
    target = (INSIDE[0] + 0.002, INSIDE[1] + 0.003)
    db.session.add(Address(municipality_id=dialogue.municipality_id, label="Husbygårdsgatan 12, Kista",
                           search_key="husbygårdsgatan 12, kista", lat=target[0], lng=target[1]))
    db.session.commit()
    here = (INSIDE[0] - 0.001, INSIDE[1] - 0.001)
    context = browser.new_context(**PHONE_390, geolocation={"latitude": here[0], "longitude": here[1]},
                                  permissions=["geolocation"])
    page = context.new_page()
    urls = []
    page.on("request", lambda r: urls.append(r.url + (r.post_data or "")))
    page.goto(f"{live_server}/d/{dialogue.slug}/svara?lang=sv")
    page.locator("#survey[data-map-ready]").wait_for(state="attached")

    page.get_by_label("Sök en adress eller en plats").fill("husbygår")
    page.get_by_role("button", name="Husbygårdsgatan 12, Kista").wait_for()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Husbygårdsgatan 12, Kista").click()
    expect(page.locator("#find-status")).to_contain_text("Kartan visar Husbygårdsgatan 12, Kista")
    page.evaluate(MAP_AT_REST)  # the move is animated: read the centre where it ends
    centre = page.evaluate(f"[{MAP}.getCenter().lat, {MAP}.getCenter().lng]")
    assert abs(centre[0] - target[0]) < 1e-4 and abs(centre[1] - target[1]) < 1e-4
    assert page.locator("#pin-editor").is_hidden()  # moving the map marks nothing

    page.get_by_role("button", name="Visa var jag är").click()
    expect(page.locator("#find-status")).to_contain_text("Kartan visar var du är")
    page.evaluate(MAP_AT_REST)
    centre = page.evaluate(f"[{MAP}.getCenter().lat, {MAP}.getCenter().lng]")
    assert abs(centre[0] - here[0]) < 1e-4 and abs(centre[1] - here[1]) < 1e-4
    assert not any(f"{here[0]:.3f}" in url or f"{here[1]:.3f}" in url for url in urls)
    context.close()
