"""A planner builds a survey in Chromium, by keyboard where it matters; a resident answers it."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import Dialogue, Response, SurveyDraftRevision
from app.surveys import check_file

pytestmark = pytest.mark.browser

TYPES = {  # the type's label in the "new question" list, and the question text typed into it
    "single_choice": "Brukar du gå över torget?",
    "multi_choice": "När är du här?",
    "likert": "Hur trygg känner du dig på torget på kvällen?",
    "text": "Något mer du vill säga?",
    "number": "Hur gammal är du?",
    "ranking": "Vad är viktigast?",
    "info": "Dina svar är anonyma.",
}


def serious(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")]


def log_in(page, live_server, user):
    page.goto(f"{live_server}/konto/logga-in?lang=sv")
    page.get_by_label("E-post").fill(user.email)
    page.get_by_label("Lösenord").fill("rätt-lösenord-123")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/planering/")


def add_question(page, qtype: str, index: int) -> None:
    """Choose the type and press the button; the focus lands in the new question's Swedish text."""
    page.wait_for_load_state("load")  # the editor's script has set up the button (else it posts the form)
    page.get_by_label("Typ av ny fråga på sida 1").select_option(qtype)
    page.get_by_role("button", name="Lägg till en fråga på sida 1").click()
    expected = f"f-pages-0-questions-{index}-text-sv"
    expect(page.locator(f"#{expected}")).to_be_focused(timeout=30_000)
    page.keyboard.type(TYPES[qtype])


def test_a_planner_builds_checks_saves_round_trips_and_publishes_a_survey(
        browser, live_server, make, tmp_path):
    municipality = make.municipality()
    area = make.area(municipality)
    planner = make.user(municipality, "project_leader")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    log_in(page, live_server, planner)

    page.goto(f"{live_server}/planering/enkater")
    page.get_by_label("Enkätens namn").fill("Torget 2026")
    page.get_by_role("button", name="Skapa enkäten").click()
    page.get_by_role("heading", name="Torget 2026", level=1).wait_for()
    assert serious(page) == []

    # Languages side by side: English beside Swedish.
    page.get_by_label("Språk", exact=True).fill("sv, en")
    page.get_by_role("button", name="Uppdatera språken").click()
    page.locator("#f-title-en").wait_for()

    for index, qtype in enumerate(TYPES, start=2):
        add_question(page, qtype, index)
        if qtype in ("single_choice", "multi_choice", "ranking"):
            page.locator(f"#f-pages-0-questions-{index}-options-0-label-sv").fill("Ja")
            page.locator(f"#f-pages-0-questions-{index}-options-1-label-sv").fill("Nej")
            page.locator(f"#f-pages-0-questions-{index}-options-1-label-en").fill("No")
        if qtype == "likert":
            page.locator(f"#f-pages-0-questions-{index}-labels-low-sv").fill("Mycket otrygg")
            page.locator(f"#f-pages-0-questions-{index}-labels-high-sv").fill("Mycket trygg")
    # A condition: the "when" question only for those who cross the square.
    page.locator("#f-pages-0-questions-3-show_if-question").select_option("fraga_1")
    page.locator("#f-pages-0-questions-3-show_if-in").fill("alternativ_1")

    preview = page.locator("#editor-preview")
    preview.get_by_text(TYPES["likert"]).wait_for()  # the live preview, as residents see it
    assert preview.get_by_text("Mycket trygg").count() == 1
    page.get_by_label("Förhandsvisningens språk").select_option("en")
    preview.get_by_text("No", exact=True).first.wait_for()

    # A problem appears next to its field while typing, and saving is refused until it is fixed.
    page.locator("#f-pages-0-questions-0-text-sv").fill("")
    page.locator("#e-pages-0-questions-0-text-sv").get_by_text("Texten är tom").wait_for()
    assert page.locator("#f-pages-0-questions-0-text-sv").get_attribute("aria-invalid") == "true"
    page.get_by_role("button", name="Spara som ny version").click()
    page.locator("#editor-summary").get_by_text("Texten är tom").wait_for()
    assert serious(page) == []
    page.locator("#editor-summary").get_by_role("link", name="Texten är tom").click()
    expect(page.locator("#f-pages-0-questions-0-text-sv")).to_be_focused()
    page.keyboard.type("Var på torget känner du dig trygg eller otrygg?")
    page.get_by_role("button", name="Spara som ny version").click()
    page.get_by_text("Version 2 är sparad.").wait_for()

    # Reordering by keyboard: move the info text up one step, the focus stays on its button.
    page.locator("#up-pages-0-questions-8").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#up-pages-0-questions-7")).to_be_focused(timeout=30_000)
    assert page.locator("[name='pages-0-questions-7-type']").get_attribute("value") == "info"
    page.get_by_role("button", name="Spara som ny version").click()
    page.get_by_text("Version 3 är sparad.").wait_for()

    # The YAML file out: the same checker as `survey check` accepts it.
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner YAML-filen").click()
    path = tmp_path / "torget.yaml"
    download.value.save_as(path)
    assert check_file(path) == []
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [q["type"] for q in data["pages"][0]["questions"]] == [
        "map_pin", "consent", "single_choice", "multi_choice", "likert", "text", "number", "info",
        "ranking"]

    # Edited elsewhere and uploaded back: the diff first, then a new version.
    edited = path.read_text(encoding="utf-8").replace("Något mer du vill säga?",
                                                      "Något mer om torget?")
    upload = tmp_path / "torget-redigerad.yaml"
    upload.write_text(edited, encoding="utf-8")
    page.get_by_label("YAML-fil", exact=True).set_input_files(str(upload))
    page.get_by_role("button", name="Ladda upp och visa ändringarna").click()
    diff = page.locator("pre.diff")
    assert "+      sv: Något mer om torget?" in diff.inner_text()
    assert serious(page) == []
    page.get_by_role("button", name="Spara som version 4").click()
    page.get_by_text("Version 4 är sparad från torget-redigerad.yaml.").wait_for()
    revision = db.session.execute(select(SurveyDraftRevision).where(
        SurveyDraftRevision.number == 4)).scalar_one()
    assert revision.yaml_text == edited

    # Publish a dialogue with it and open it for residents.
    page.get_by_role("link", name="Publicera en dialog med den här enkäten").click()
    page.get_by_label("Rubrik").fill("Torget")
    page.get_by_label("Adress i den publika länken").fill("torget-2026")
    page.get_by_role("button", name="Skapa utkastet").click()
    page.get_by_role("button", name="Öppna för invånare").click()
    page.get_by_text("Öppen", exact=False).first.wait_for()
    dialogue = db.session.execute(select(Dialogue)).scalar_one()
    assert dialogue.area_id == area.id
    page.close()

    # A resident answers it.
    resident = browser.new_page()
    resident.goto(f"{live_server}/d/torget-2026/svara?lang=sv")
    resident.locator("#q-fraga_1").get_by_label("Ja", exact=True).check()
    resident.locator("#q-fraga_2").get_by_label("Ja", exact=True).check()  # shown by the condition
    resident.locator("#q-fraga_3").get_by_label("4", exact=True).check()
    resident.locator("#input-fraga_4").fill("Mer ljus.")
    resident.locator("#input-fraga_5").fill("42")
    resident.get_by_label("Jag vill skicka in mina svar.").check()
    resident.locator(".survey-page:not([hidden]) button.next").click()
    resident.get_by_role("heading", name="Kontrollera dina svar").wait_for()
    resident.get_by_role("button", name="Skicka mina svar").click()
    resident.wait_for_url("**/tack")
    db.session.expire_all()
    answers = {a.question_id: a.value
               for a in db.session.execute(select(Response)).scalar_one().answers}
    assert answers["fraga_1"] == "alternativ_1" and answers["fraga_2"] == ["alternativ_1"]
    assert answers["fraga_3"] == 4 and answers["fraga_4"] == "Mer ljus." and answers["fraga_5"] == 42
    assert answers["samtycke"] is True
    assert hosts == {"127.0.0.1"}
    resident.close()


def test_the_editor_works_without_javascript(browser, live_server, make):
    municipality = make.municipality()
    planner = make.user(municipality)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, planner)
    page.goto(f"{live_server}/planering/enkater")
    page.get_by_label("Enkätens namn").fill("Utan skript")
    page.get_by_role("button", name="Skapa enkäten").click()
    page.get_by_label("Typ av ny fråga på sida 1").select_option("likert")
    page.get_by_role("button", name="Lägg till en fråga på sida 1").click()
    # autofocus after the reload (the expectation waits for the new page, not the old one)
    expect(page.locator("#f-pages-0-questions-2-text-sv")).to_be_focused()
    page.keyboard.type("Hur trygg känner du dig?")
    page.locator("#f-pages-0-questions-2-labels-low-sv").fill("Otrygg")
    page.get_by_role("button", name="Spara som ny version").click()
    assert page.locator("#e-pages-0-questions-2-labels-high-sv").inner_text().strip() == \
        "Texten är tom."
    page.locator("#f-pages-0-questions-2-labels-high-sv").fill("Trygg")
    page.get_by_role("button", name="Spara som ny version").click()
    page.get_by_text("Version 2 är sparad.").wait_for()
    assert "Hur trygg känner du dig?" in page.locator("#editor-preview").inner_text()
    context.close()


def test_the_editor_fits_a_phone_and_passes_axe(browser, live_server, make):
    municipality = make.municipality()
    planner = make.user(municipality)
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    log_in(page, live_server, planner)
    page.goto(f"{live_server}/planering/enkater")
    assert serious(page) == []
    page.get_by_label("Enkätens namn").fill("I mobilen")
    page.get_by_label("Utgå från").select_option("trygghetsvandring.yaml")
    page.get_by_role("button", name="Skapa enkäten").click()
    page.get_by_role("heading", name="I mobilen", level=1).wait_for()
    assert serious(page) == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.close()
