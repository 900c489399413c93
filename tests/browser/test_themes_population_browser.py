"""Suggested themes, the word search and the population page in Chromium without JavaScript,
on a phone-sized screen, and axe on every new page."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from app.extensions import db
from app.models import Theme, pin_theme

from ..analysis_helpers import add_pins
from ..integration.test_population import _add_respondents, population_csv
from ..swedish_corpus import corpus
from .accounts import log_in

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def plain_page(browser):
    """A phone-sized page with JavaScript switched off."""
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    yield context.new_page()
    context.close()


def _no_violations(page):
    violations = Axe().run(page).response["violations"]
    assert violations == [], [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                              for v in violations]


def test_the_working_group_finds_renames_and_accepts_a_theme_without_javascript(
        plain_page, live_server, make):
    dialogue = make.dialogue()
    add_pins(dialogue, [(59.4108, 17.9259, v, s, text) for v, s, _t, text in corpus(20)])
    page = plain_page
    log_in(page, live_server, make.user(dialogue.municipality))
    page.goto(f"{live_server}/planering/dialoger/{dialogue.id}/teman/forslag")
    page.get_by_role("button", name="Hitta teman nu").click()
    first = page.locator("article.suggestion").first
    first.wait_for()
    count = int(first.get_attribute("data-suggestion") and first.locator("h3 .hint").inner_text()
                .split("; ")[1].split()[0])
    first.get_by_label("Temats namn").fill("Vårt tema")
    first.get_by_role("button", name="Acceptera").click()
    assert "Temat Vårt tema har nu" in page.content()
    theme = db.session.execute(select(Theme).where(Theme.name == "Vårt tema")).scalar_one()
    coded = db.session.execute(select(pin_theme.c.pin_id).where(pin_theme.c.theme_id == theme.id)).all()
    assert len(coded) == count

    page.get_by_label("Ord (i vilken form som helst").fill("lampa")
    page.get_by_role("button", name="Sök", exact=True).click()
    rows = page.locator("#search-results tbody tr")
    assert rows.count() > 0
    assert all("amp" in rows.nth(i).inner_text().lower() for i in range(rows.count()))
    rows.first.locator("input[type=checkbox]").check()
    page.get_by_role("button", name="Sätt temat").click()
    assert "kommentarer ändrades för temat" in page.content()


def test_a_planner_imports_a_population_file_without_javascript(plain_page, live_server, make, tmp_path):
    dialogue = make.dialogue()
    _add_respondents(dialogue)
    csv_file = tmp_path / "befolkning.csv"
    csv_file.write_bytes(population_csv())
    page = plain_page
    log_in(page, live_server, make.user(dialogue.municipality))
    page.goto(f"{live_server}/planering/dialoger/{dialogue.id}/befolkning")
    page.get_by_label("Vad tabellen är").fill("SCB 2024")
    page.get_by_label("Befolkningsfil (CSV)").set_input_files(str(csv_file))
    page.get_by_role("button", name="Importera").click()
    assert "Befolkningstabellen SCB 2024 är importerad" in page.content()
    page.goto(f"{live_server}/planering/analys/dialoger/{dialogue.id}/statistik")
    assert page.locator("#representation-kon").is_visible()


def test_the_population_pages_have_no_accessibility_violations(page, live_server, make):
    from app.population.importer import parse_population_csv
    from app.population.service import link_dialogue, store_population

    dialogue = make.dialogue()
    _add_respondents(dialogue)
    link_dialogue(dialogue, store_population(dialogue.municipality, "SCB 2024",
                                             parse_population_csv(population_csv())))
    db.session.commit()
    page.set_viewport_size(PHONE)
    log_in(page, live_server, make.user(dialogue.municipality))
    for url in (f"/planering/dialoger/{dialogue.id}/befolkning",
                f"/planering/analys/dialoger/{dialogue.id}/statistik",
                f"/planering/analys/dialoger/{dialogue.id}/styrgrupp"):
        page.goto(live_server + url)
        _no_violations(page)


def test_the_suggestions_page_has_no_accessibility_violations(page, live_server, make):
    page.set_viewport_size(PHONE)
    dialogue = make.dialogue()
    add_pins(dialogue, [(59.4108, 17.9259, v, s, text) for v, s, _t, text in corpus(20)])
    log_in(page, live_server, make.user(dialogue.municipality))
    page.goto(f"{live_server}/planering/dialoger/{dialogue.id}/teman/forslag")
    page.get_by_role("button", name="Hitta teman nu").click()
    page.locator("article.suggestion").first.wait_for()
    _no_violations(page)
    page.goto(f"{live_server}/planering/dialoger/{dialogue.id}/teman/forslag?q=lampa")
    _no_violations(page)
