"""The analysis page in Chromium: a hostile comment stays text, and axe finds nothing serious."""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from ..analysis_helpers import add_pins

pytestmark = pytest.mark.browser
HOSTILE = '<img src=x onerror="alert(document.domain)"> Mörkt vid tunneln'


def _log_in(page, live_server, user):
    page.goto(f"{live_server}/konto/logga-in?lang=sv")
    page.get_by_label("E-postadress").fill(user.email)
    page.get_by_label("Lösenord").fill("rätt-lösenord-123")
    page.get_by_role("button", name="Logga in").click()
    # Wait for the page after the login, not for the load state of the login page itself: a goto
    # while the login POST is still on its way cancels it and leaves the browser logged out.
    page.wait_for_url("**/planering/")


def test_a_hostile_comment_stays_inert_text_in_the_pin_popup(page, live_server, make):
    dialogue = make.dialogue()
    add_pins(dialogue, [(59.4108, 17.9259, "safety", "negative", HOSTILE)])
    dialogs, hosts = [], set()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    _log_in(page, live_server, make.user(dialogue.municipality))
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
    _log_in(page, live_server, make.user(dialogue.municipality))
    page.goto(f"{live_server}/planering/analys/dialoger/{dialogue.id}{view}")
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
