"""The single-comment form (the way in without JavaScript) in a real browser; nothing leaves 127.0.0.1."""

from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import DevelopmentArea, Pin

pytestmark = pytest.mark.browser


def test_click_the_map_and_send_a_pin(page, live_server, make):
    dialogue = make.dialogue()
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))

    page.goto(f"{live_server}/d/{dialogue.slug}/enkel?lang=sv")
    map_box = page.locator(".leaflet-container").bounding_box()
    page.mouse.click(map_box["x"] + map_box["width"] / 2, map_box["y"] + map_box["height"] / 2)
    assert page.locator("#pin-lat").input_value() != ""
    assert "Vald plats" in page.locator("#pin-location").inner_text()
    page.get_by_label("Trygghet").check()
    page.get_by_label("Ett problem").check()
    page.get_by_label("Din synpunkt").fill("Mörkt vid tunnelbanan.")
    page.get_by_role("button", name="Skicka synpunkt").click()
    page.wait_for_url("**/tack")
    assert "Tack för din synpunkt" in page.content()

    pin = db.session.execute(select(Pin)).scalar_one()
    assert (pin.value, pin.sentiment, pin.text) == ("safety", "negative", "Mörkt vid tunnelbanan.")
    assert db.session.execute(
        select(func.ST_Within(Pin.geom, DevelopmentArea.geom)).join(
            DevelopmentArea, DevelopmentArea.id == dialogue.area_id)
    ).scalar_one()
    assert hosts == {"127.0.0.1"}
