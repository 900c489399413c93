"""The plain form (/d/SLUG/enkel) in a real browser with JavaScript switched off: the whole survey."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.extensions import db
from app.models import DevelopmentArea, NamedPlace, Pin, Response

from .reflow import overflow
from .test_resident_journey import DESKTOP, PHONE, count, open_page

pytestmark = pytest.mark.browser
SEND = b'name="action"\r\n\r\nsend'  # the Send button, in a multipart form post


def no_script_page(browser, live_server, device):
    """A page in a browser that runs no JavaScript at all."""
    return open_page(browser, live_server, java_script_enabled=False, **device)


def click_map(page, question: str, slot: int = 0, at=(0.5, 0.5)):
    """Click the visible map image of a comment at a fraction of its width and height."""
    page.wait_for_load_state("load")  # the stylesheet decides which of the two map images shows
    image = page.locator(f'input[type="image"][name^="pin-{question}-{slot}-map-"]:visible')
    box = image.bounding_box()
    with page.expect_navigation():  # the click posts the form; the page comes back with the ring
        image.click(position={"x": box["width"] * at[0], "y": box["height"] * at[1]})


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_whole_response_without_javascript_is_stored_once(browser, live_server, make, device):
    dialogue = make.dialogue()
    page = no_script_page(browser, live_server, device)
    sends = []
    page.on("request", lambda r: sends.append(r) if r.method == "POST" and SEND in (
        r.post_data_buffer or b"") else None)
    page.goto(f"{live_server}/d/{dialogue.slug}/svara?lang=sv")
    page.get_by_role("link", name="Svara i ett enkelt formulär").click()
    page.get_by_role("heading", name="Trygghet", exact=True).wait_for()

    click_map(page, "karta_trygghet", at=(0.45, 0.5))
    where = page.locator("#pin-karta_trygghet-0-where")
    expect(where).to_contain_text("Platsen är markerad på kartan")
    page.screenshot(path=f"/tmp/plain-{device['viewport']['width']}.png", full_page=True)
    box = page.locator("#pin-karta_trygghet-0-box")
    box.get_by_label("Ett problem").check()
    box.get_by_label("Din synpunkt").fill("Mörk gångtunnel.")
    page.locator("#q-trygg_kvall").get_by_label("2", exact=False).first.check()
    page.locator("#q-undviker_platser").get_by_label("Ja", exact=True).check()
    page.get_by_label("Dålig belysning").check()
    page.get_by_label("Jag förstår hur mina svar används").check()
    page.get_by_role("button", name="Skicka mina svar").click()
    page.wait_for_url("**/tack")
    # The same post again, as a second press on a slow connection sends it: stored once.
    again = page.request.fetch(sends[0], max_redirects=0)
    assert again.status == 302 and again.headers["location"].endswith("/tack")
    page.screenshot(path=f"/tmp/plain-thanks-{device['viewport']['width']}.png", full_page=True)
    receipt = page.locator("#receipt").inner_text()

    assert len(sends) == 1 and count(Response) == 1 and count(Pin) == 1
    response = db.session.execute(select(Response)).scalar_one()
    assert response.receipt_code == receipt
    assert {a.question_id: a.value for a in response.answers} == {
        "samtycke": True, "trygg_kvall": 2, "undviker_platser": "ja", "undviker_varfor": ["belysning"]}
    pin = db.session.execute(select(Pin)).scalar_one()
    assert (pin.question_id, pin.value, pin.sentiment, pin.text, pin.location_kind) == (
        "karta_trygghet", "safety", "negative", "Mörk gångtunnel.", "map")
    assert db.session.execute(
        select(func.ST_Within(Pin.geom, DevelopmentArea.geom)).join(
            DevelopmentArea, DevelopmentArea.id == dialogue.area_id)).scalar_one()
    assert page.hosts == {"127.0.0.1"}
    page.close()


def test_a_tap_outside_the_area_is_refused_beside_the_map_without_javascript(browser, live_server, make):
    dialogue = make.dialogue()
    page = no_script_page(browser, live_server, PHONE)
    page.goto(f"{live_server}/d/{dialogue.slug}/enkel?lang=sv")
    click_map(page, "karta_trygghet", at=(0.01, 0.01))
    error = page.locator("#pin-karta_trygghet-0-err-location")
    expect(error).to_be_visible()
    expect(error).to_contain_text("utanför området")
    expect(page.locator("#pin-karta_trygghet-0-map-status")).to_contain_text("Ingen plats vald")
    assert count(Response) == 0
    page.close()


def test_keyboard_only_without_javascript_a_named_place_and_a_refusal_that_keeps_everything(
        browser, live_server, make):
    dialogue = make.dialogue()
    db.session.add(NamedPlace(area_id=dialogue.area_id, name="Husby torg", position=1))
    db.session.commit()
    page = no_script_page(browser, live_server, DESKTOP)
    page.goto(f"{live_server}/d/{dialogue.slug}/enkel?lang=sv")

    def tab_to(selector: str):
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches({selector!r})"):
                return
        pytest.fail(f"Tab never reached {selector}")

    tab_to('[name="pin-karta_trygghet-0-kind"]')
    page.keyboard.press("ArrowDown")  # from "the place I clicked on the map" to "a place from a list"
    page.keyboard.press("Tab")  # the list of places
    page.keyboard.type("Husby")  # a select picks by typing
    tab_to('[name="pin-karta_trygghet-0-sentiment"]')
    page.keyboard.press("ArrowRight")  # the second: "A problem"
    page.keyboard.press("Tab")
    page.keyboard.type("Trångt vid torget.")
    tab_to("#send")  # the consent is not given
    page.keyboard.press("Enter")
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("samtycke")
    # The browser moves the focus to the summary (autofocus) once the page has loaded: wait for it.
    expect(summary).to_be_focused()
    assert page.locator('[name="pin-karta_trygghet-0-comment"]').input_value() == "Trångt vid torget."
    assert count(Response) == 0
    summary.get_by_role("link").first.focus()
    tab_to('[name="samtycke"]')
    page.keyboard.press("Space")
    tab_to("#send")
    page.keyboard.press("Enter")
    page.wait_for_url("**/tack")
    pin = db.session.execute(select(Pin)).scalar_one()
    assert (pin.location_kind, pin.named_place.name, pin.sentiment) == (
        "named_place", "Husby torg", "negative")
    page.close()


def test_the_plain_form_reflows_at_320_pixels_and_has_no_accessibility_violation(browser, live_server, make):
    from .test_resident_access import serious_violations

    dialogue = make.dialogue()
    page = open_page(browser, live_server, viewport={"width": 320, "height": 640})
    page.goto(f"{live_server}/d/{dialogue.slug}/enkel?lang=sv")
    assert overflow(page) == []
    assert serious_violations(page) == []
    page.get_by_role("button", name="Skicka mina svar").click()  # nothing answered: the reasons
    page.locator("#error-summary").wait_for()
    assert overflow(page) == []
    assert serious_violations(page) == []
    page.close()
