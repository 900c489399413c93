"""Every page with a map under the strict CSP (no 'unsafe-inline'), in Chromium.

The browser reports every refused script or style as a `securitypolicyviolation` event; the test
collects them from the first moment of each page and expects none, and expects the map to have
drawn (Leaflet's panes and the area outline exist). An injected inline script without the
request's nonce is refused, so the policy really is in force.
"""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import NamedPlace

from ..analysis_helpers import add_pins
from .accounts import log_in

pytestmark = pytest.mark.browser

COLLECT = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
"""


DRAWN = ".leaflet-overlay-pane canvas, .leaflet-overlay-pane path, .leaflet-marker-icon"


def _visit(page, url: str, drawn: str = DRAWN) -> list[str]:
    response = page.goto(url)
    assert response.status == 200, url
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy
    assert re.search(r"script-src 'self' 'nonce-[\w-]+'", policy)
    page.locator(".leaflet-container").first.wait_for()
    page.wait_for_load_state("networkidle")
    assert page.locator(drawn).count() >= 1, f"the map on {url} drew nothing"
    return page.evaluate("window.__csp")


def test_no_page_with_a_map_breaks_the_strict_policy_and_every_map_draws(page, live_server, make):
    municipality = make.municipality("Husby kommun", "0180", population=10_000)
    dialogue = make.dialogue(make.area(municipality), show_others_pins=True)
    add_pins(dialogue, [(59.4108, 17.9259, "safety", "negative", "Mörkt"),
                        (59.4110, 17.9262, "justice", "idea", "Bänkar"),
                        (59.4112, 17.9250, "development", "positive", "Torget")] * 3)
    db.session.add(NamedPlace(area_id=dialogue.area_id, name="Husby centrum", position=1))
    db.session.commit()
    leader = make.user(municipality, "project_leader", is_network_coordinator=True)
    page.add_init_script(COLLECT)
    violations = {}
    resident = [f"/d/{dialogue.slug}", f"/d/{dialogue.slug}/svara",
                "/natverket"]
    for path in resident:
        violations[path] = _visit(page, f"{live_server}{path}?lang=sv")
    # A popup's content is set as HTML when it opens: folium gives it inline styles.
    page.locator(".leaflet-marker-icon").first.click()
    page.locator(".leaflet-popup-content").wait_for()
    violations["/natverket popup"] = page.evaluate("window.__csp")
    log_in(page, live_server, leader)
    planner = [f"/planering/analys/dialoger/{dialogue.id}",
               f"/planering/analys/dialoger/{dialogue.id}/rutnat",
               f"/planering/analys/dialoger/{dialogue.id}/styrgrupp",
               "/planering/omraden/nytt", f"/planering/omraden/{dialogue.area_id}/redigera",
               f"/planering/omraden/{dialogue.area_id}/platser", "/natverket/oversikt"]
    for path in planner:
        # A new area has no outline yet: the drawing tools are what the map shows.
        drawn = ".leaflet-pm-toolbar" if path.endswith("/nytt") else DRAWN
        violations[path] = _visit(page, f"{live_server}{path}", drawn)
    assert {path: found for path, found in violations.items() if found} == {}


def test_an_injected_inline_script_without_the_nonce_is_refused(page, live_server, make):
    dialogue = make.dialogue()
    page.add_init_script(COLLECT)
    page.goto(f"{live_server}/d/{dialogue.slug}")
    page.wait_for_load_state("networkidle")
    ran = page.evaluate("""() => {
      window.__ran = false;
      const s = document.createElement('script');
      s.textContent = 'window.__ran = true';
      document.body.appendChild(s);
      return window.__ran;
    }""")
    assert ran is False
    assert any("script-src" in v for v in page.evaluate("window.__csp"))
