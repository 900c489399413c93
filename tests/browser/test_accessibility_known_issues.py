"""The accessibility statement in Chromium, and every issue it lists checked to be still real.

app/accessibility/known_issues.yaml names a check for each known issue; the check of that name is
here and must still find the problem. When a fix makes a check fail, the issue is gone: remove it
from the YAML file (the statement then stops listing it) and remove its check.
"""

from __future__ import annotations

import re
import subprocess

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from app.accessibility import known_issues_file

from ..integration.export_helpers import take_export
from ..integration.planner_helpers import login
from .accounts import log_in

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def all_violations(page) -> list[str]:
    """Every axe-core violation on the page, whatever its impact."""
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in Axe().run(page).response["violations"]]


@pytest.mark.parametrize("device", [{}, PHONE], ids=["desktop", "phone"])
def test_the_statement_page_has_no_accessibility_violations(browser, live_server, device):
    page = browser.new_page(**device)
    page.goto(f"{live_server}/d/finns-inte?lang=sv")  # any page: the footer link leads there
    page.get_by_role("link", name="Tillgänglighetsredogörelse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tillgänglighetsredogörelse för Platsdialog")
    assert all_violations(page) == []
    expect(page.get_by_role("link", name="Anmäl till Myndigheten för digital förvaltning (DIGG)")) \
        .to_have_attribute("href", "https://www.digg.se/tdosanmalan")
    page.close()


def report_pdf_is_untagged(page, live_server, make, client, tmp_path) -> None:
    """The report PDF's structure tree holds the maps (Figure) and nothing else: no heading, text or table."""
    dialogue = make.dialogue()
    make.pin(dialogue)
    login(client, make.user(dialogue.municipality))
    response = take_export(client, dialogue.id, "report-pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    path = tmp_path / "rapport.pdf"
    path.write_bytes(response.data)
    tree = subprocess.run(["pdfinfo", "-struct", str(path)], capture_output=True, text=True,
                          check=True).stdout
    tags = set(re.findall(r"^\s*(\w+)", tree, re.MULTILINE))
    assert tags == {"Document", "Figure"}, tree


def area_drawing_needs_a_pointer(page, live_server, make, client, tmp_path) -> None:
    """With the keyboard alone no corner of an area can be placed; a click places one."""
    log_in(page, live_server, make.user(make.municipality()))
    page.goto(f"{live_server}/planering/omraden/nytt")
    tool = page.locator("#draw-map .leaflet-pm-icon-polygon").locator("..")
    tool.focus()
    page.keyboard.press("Enter")  # the tool starts drawing from the keyboard ...
    expect(page.locator("#draw-map .leaflet-container.geoman-draw-cursor")).to_have_count(1)
    page.locator("#draw-map .leaflet-container").focus()
    for key in ("Enter", "Space", "ArrowRight", "Enter", "Space"):
        page.keyboard.press(key)
    corners = page.locator("#draw-map .marker-icon:not(.cursor-marker)")
    expect(corners).to_have_count(0)  # ... but no key places a corner
    page.locator("#draw-map .leaflet-container").scroll_into_view_if_needed()  # Space scrolled
    box = page.locator("#draw-map .leaflet-container").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.6)
    expect(corners).to_have_count(1)
    expect(page.locator("input[type=file]")).to_have_count(1)  # the way around it is on the page


def others_pins_are_not_focusable(page, live_server, make, client, tmp_path) -> None:
    """Tab never reaches the markers of others' comments; the list beside the map has them."""
    dialogue = make.dialogue()
    make.pin(dialogue, text="Trasig belysning vid torget.")
    page.goto(f"{live_server}/d/{dialogue.slug}?lang=sv")
    markers = page.locator("#area-map .leaflet-marker-icon")
    expect(markers).to_have_count(1)
    reached = set()
    for _ in range(60):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.className || document.activeElement.tagName"))
    assert not any("leaflet-marker-icon" in str(name) for name in reached)
    page.get_by_text("Läs de senaste synpunkterna som en lista").click()
    expect(page.locator(".others-list")).to_contain_text("Trasig belysning vid torget.")


CHECKS = {f.__name__: f for f in (report_pdf_is_untagged, area_drawing_needs_a_pointer,
                                  others_pins_are_not_focusable)}


def test_each_check_belongs_to_a_listed_issue():
    assert {issue.check for issue in known_issues_file()["issues"]} == set(CHECKS)


@pytest.mark.parametrize("issue", known_issues_file()["issues"], ids=lambda issue: issue.id)
def test_each_listed_issue_is_still_real(issue, page, live_server, make, client, tmp_path):
    CHECKS[issue.check](page, live_server, make, client, tmp_path)
