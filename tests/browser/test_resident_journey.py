"""A resident in a real browser, on a phone and on a desktop: the whole questionnaire, sent once."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import DevelopmentArea, Pin, Response

from ..factories import INSIDE

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def open_page(browser, live_server, **options):
    """A fresh page that records every host it asks for."""
    page = browser.new_page(**options)
    page.hosts = set()
    page.on("request", lambda request: page.hosts.add(urlsplit(request.url).hostname))
    return page


def next_page(page):
    page.locator(".survey-page:not([hidden]) button.next").click()


# Resolves once the map is at rest: no pan or zoom animation running, Leaflet's idea of its size
# equal to its container's real size (a ResizeObserver has caught up with the last layout change),
# and the container's box unchanged over two animation frames. Only then is a computed screen
# point the place that a tap will hit.
MAP_AT_REST = """async () => {
    var m = window[document.getElementById('pin-map').dataset.mapName];
    var frame = function () { return new Promise(function (done) { requestAnimationFrame(done); }); };
    var last = null, deadline = performance.now() + 20000;
    for (;;) {
        await frame();
        var c = m.getContainer(), r = c.getBoundingClientRect(), s = m.getSize();
        var busy = m._animatingZoom || (m._panAnim && m._panAnim._inProgress);
        var now = [r.left, r.top, r.width, r.height, c.clientWidth, c.clientHeight].join();
        if (!busy && now === last && s.x === c.clientWidth && s.y === c.clientHeight) { return; }
        if (performance.now() > deadline) {
            throw new Error('map not at rest: box ' + now + ', Leaflet size ' + s + ', busy ' + busy);
        }
        last = now;
    }
}"""


def tap_map(page, touch=False, north=0.001, east=-0.002):
    """Tap or click the map where a place inside the area is shown (near INSIDE, where others pin)."""
    page.locator("#survey[data-map-ready]").wait_for(state="attached")
    container = page.locator("#pin-map .leaflet-container")
    container.scroll_into_view_if_needed()
    page.evaluate(MAP_AT_REST)
    lat, lng = INSIDE[0] + north, INSIDE[1] + east
    point = page.evaluate(f"""() => {{
        var m = window[document.getElementById('pin-map').dataset.mapName];
        var target = L.latLng({lat}, {lng});
        if (!m.getBounds().pad(-0.1).contains(target)) {{ m.panTo(target, {{animate: false}}); }}
        var p = m.latLngToContainerPoint(target);
        return {{x: p.x, y: p.y}}; }}""")
    if touch:
        container.tap(position=point)
    else:
        container.click(position=point)


def add_comment(page, sentiment: str, comment: str):
    editor = page.locator("#pin-editor")
    try:
        editor.wait_for(state="visible")
    except Exception as err:  # say what the page announced instead of only "timeout"
        said = page.locator("#map-announce").inner_text()
        said += " " + str(page.evaluate("""() => {
            var m = window[document.getElementById('pin-map').dataset.mapName];
            return [m.getZoom(), m.getCenter(), m.getSize(), window.scrollY,
                    m.getContainer().getBoundingClientRect().top]; }"""))
        raise AssertionError(f"no editor; the map said: {said!r}") from err
    editor.get_by_label(sentiment).check()
    editor.get_by_label("Din synpunkt").fill(comment)
    editor.get_by_role("button", name="Spara synpunkten").click()


def count(model) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def answer_first_page_and_go_to_review(page):
    page.locator("#q-trygg_kvall").get_by_label("2", exact=True).check()
    page.locator("#q-undviker_platser").get_by_label("Ja", exact=True).check()
    page.get_by_label("Dålig belysning").check()
    next_page(page)
    for _ in range(3):
        next_page(page)
    page.get_by_label("Jag förstår hur mina svar används").check()
    next_page(page)
    page.get_by_role("heading", name="Kontrollera dina svar").wait_for()


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_whole_journey_with_several_pins(browser, live_server, make, device):
    dialogue = make.dialogue()
    page = open_page(browser, live_server, **device)
    page.goto(f"{live_server}/d/{dialogue.slug}?lang=sv")
    page.get_by_role("link", name="Börja").click()
    page.get_by_text("Steg 1 av 6").wait_for()

    touch = device is PHONE
    tap_map(page, touch)
    add_comment(page, "Ett problem", "Mörk gångtunnel.")
    tap_map(page, touch, north=0.002, east=0.003)
    add_comment(page, "En idé", "Sätt upp fler lampor.")
    pins = page.locator('.pin-list[data-question="karta_trygghet"] li.own-pin')
    assert pins.count() == 2
    # Change the first, remove the second, before anything is sent.
    pins.nth(0).get_by_role("button", name="Ändra").click()
    page.locator("#pin-editor").get_by_label("Din synpunkt").fill("Mörk gångtunnel på kvällen.")
    page.get_by_role("button", name="Spara synpunkten").click()
    tap_map(page, touch, north=-0.002, east=-0.003)
    add_comment(page, "Fungerar bra", "Här är det tryggt.")
    page.get_by_role("button", name="Ta bort synpunkt 2").click()
    assert pins.count() == 2

    answer_first_page_and_go_to_review(page)
    review = page.locator("#review").inner_text()
    assert "Mörk gångtunnel på kvällen." in review and "Här är det tryggt." in review
    assert "Sätt upp fler lampor." not in review
    page.get_by_role("button", name="Skicka mina svar").click()
    page.wait_for_url("**/tack")
    receipt = page.locator("#receipt").inner_text()

    response = db.session.execute(select(Response)).scalar_one()
    assert response.receipt_code == receipt
    assert {a.question_id: a.value for a in response.answers} == {
        "samtycke": True, "trygg_kvall": 2, "undviker_platser": "ja", "undviker_varfor": ["belysning"]}
    texts = db.session.execute(select(Pin.text, Pin.sentiment).order_by(Pin.id)).all()
    assert [tuple(t) for t in texts] == [("Mörk gångtunnel på kvällen.", "negative"),
                                        ("Här är det tryggt.", "positive")]
    assert all(db.session.execute(
        select(func.ST_Within(Pin.geom, DevelopmentArea.geom)).join(
            DevelopmentArea, DevelopmentArea.id == dialogue.area_id)).scalars())
    assert page.hosts == {"127.0.0.1"}
    page.close()


def test_the_answers_survive_a_reload_before_sending(page, live_server, make):
    dialogue = make.dialogue()
    page.goto(f"{live_server}/d/{dialogue.slug}/svara?lang=sv")
    tap_map(page)
    add_comment(page, "Ett problem", "Sparad lokalt.")
    page.reload()
    assert "Sparad lokalt." in page.locator(".pin-list").first.inner_text()
    assert count(Response) == 0


def test_a_photo_is_attached_to_a_comment_and_sent_with_it(page, live_server, make, tmp_path):
    import io

    from PIL import Image

    photo = tmp_path / "lampa.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 1800), (90, 90, 200)).save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())
    dialogue = make.dialogue()
    page.goto(f"{live_server}/d/{dialogue.slug}/svara?lang=sv")
    tap_map(page)
    page.locator("#pe-photo").set_input_files(str(photo))
    page.get_by_text("Foto bifogat: lampa.jpg").wait_for()
    add_comment(page, "Ett problem", "Lampan är trasig.")
    assert "Foto bifogat: lampa.jpg" in page.locator(".pin-list").first.inner_text()
    answer_first_page_and_go_to_review(page)
    page.get_by_role("button", name="Skicka mina svar").click()
    page.wait_for_url("**/tack")
    pin = db.session.execute(select(Pin)).scalar_one()
    assert pin.photo is not None and (pin.photo.width, pin.photo.height) == (1600, 1200)
