"""WCAG 1.4.10 on the working group's planner pages, the network's and the administrators' pages and
the downloaded HTML report: at 320 px the document never scrolls sideways; a wide table scrolls inside
its own named, keyboard-focusable region; axe finds nothing."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from app.auth.invites import create_invite
from app.extensions import db
from app.models import NetworkMember, Pin, Theme
from app.network import evaluation, sharing
from app.population.importer import parse_population_csv
from app.population.service import link_dialogue, store_population

from ..analysis_helpers import add_pins
from ..integration.test_analysis_assessment import _two_places
from ..integration.test_analysis_hotspots import _cluster, _noise
from ..integration.test_population import _add_respondents, population_csv
from .accounts import log_in
from .reflow import overflow

pytestmark = pytest.mark.browser
NARROW = {"width": 320, "height": 800}
PHONE = {"width": 390, "height": 844}
# A comment a resident might write on a phone: a long compound and a pasted address, no spaces.
LONG = ("Gångtunnelbelysningsunderhållsproblem vid https://www.example.se/kommun/trafik/"
        "gang-och-cykeltunnlar/husby-centrum/belysning?ärende=2026-000123")

PAGES = {
    "dialogues": "/planering/",
    "areas": "/planering/omraden",
    "surveys": "/planering/enkater",
    "analysis": "/planering/analys/dialoger/{id}",
    "grid": "/planering/analys/dialoger/{id}/rutnat",
    "statistics": "/planering/analys/dialoger/{id}/statistik",
    "steering": "/planering/analys/dialoger/{id}/styrgrupp",
    "assessment": "/planering/analys/dialoger/{id}/bedomning?size=250",
    "hotspots": "/planering/analys/dialoger/{id}/heta-punkter?size=100&layer=safety-negative",
    "moderation": "/planering/dialoger/{id}/moderering",
    "themes": "/planering/dialoger/{id}/teman",
    "suggestions": "/planering/dialoger/{id}/teman/forslag?q=synpunkt",
    "export": "/planering/dialoger/{id}/export/",
    "settings": "/planering/dialoger/{id}",
    "population": "/planering/dialoger/{id}/befolkning",
    "feedback": "/planering/dialoger/{id}/aterkoppling",
    "heat map": "/planering/dialoger/{id}/varmekarta",
    # What the network coordinator (here also the municipality's project leader) sees.
    "network": "/natverket/oversikt",
    "network profile": "/natverket/kommuner/{municipality}",
    "network comments": "/natverket/kommuner/{municipality}/kommentarer",
    "network templates": "/natverket/mallar",
    "copy a template": "/natverket/mallar/{template}/anvand",
    "template changes": "/natverket/mallar/anvandning/{adoption}",
    "evaluations": "/natverket/utvardering",
    "evaluation answer": "/natverket/utvardering/{round}/svara",
    "evaluation report": "/natverket/utvardering/{round}/rapport",
    "phase report": "/natverket/utvardering/fas/4",
    "lessons": "/natverket/lardomar",
    "lesson form": "/natverket/dialoger/{id}/lardomar",
    # What the project leader and the site administrator see.
    "users": "/planering/kommuner/{municipality}/anvandare",
    "site admin": "/admin/",
    "sign-in settings": "/admin/kommuner/{municipality}/inloggning",
}
# The tables each page shows with _busy_dialogue (at least), so that no page passes by showing none.
TABLES = {"dialogues": 1, "areas": 1, "analysis": 1, "grid": 1, "statistics": 20, "steering": 20,
          "assessment": 4, "hotspots": 1, "themes": 1, "suggestions": 1, "network": 3,
          "network profile": 1, "network comments": 1, "evaluation report": 4, "phase report": 4,
          "users": 2, "site admin": 2}
# Who opens the page (the fields of make.user), where it is not the working group.
NETWORK = {"role": "project_leader", "is_network_coordinator": True}
WHO = {name: NETWORK for name in list(PAGES)[list(PAGES).index("network"):]}
WHO |= {"users": {"role": "project_leader"}, "site admin": {"role": None, "is_site_admin": True},
        "sign-in settings": {"role": None, "is_site_admin": True}}

# The region around each table, how a keyboard reaches it, and the name a screen reader announces.
REGIONS = """() => [...document.querySelectorAll('main table')].map(table => {
    const region = table.closest('.table-scroll');
    if (!region) return {table: table.id || table.className, region: null};
    region.focus();
    const ids = (region.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean);
    const name = ids.map(id => (document.getElementById(id) || {}).textContent || '').join(' ').trim()
        || (region.getAttribute('aria-label') || '').trim();
    return {table: table.id || table.className, region: region.getAttribute('role'),
            tabindex: region.getAttribute('tabindex'), focused: document.activeElement === region,
            name: name, fits: region.getBoundingClientRect().right <= innerWidth + 0.5};
})"""


def _busy_dialogue(make, *, hot_spot: bool = False):
    """A dialogue with everything a page can show: places, answers, a theme, a population, long words
    (and, for the hot spot page, a cluster of safety problems at Husby centrum in noise)."""
    dialogue, _clear, _unclear = _two_places(make)
    if hot_spot:
        add_pins(dialogue, _noise(600, seed=3) + _cluster(60, seed=4))
    _add_respondents(dialogue)
    add_pins(dialogue, [(59.4108, 17.9259, "safety", "negative", LONG)] * 3,
             answers={"alder": "age_25_44", "trygg_kvall": 4})
    theme = Theme(dialogue_id=dialogue.id, name="Belysningsförbättringsåtgärder")
    theme.pins = list(db.session.query(Pin).filter_by(dialogue_id=dialogue.id).limit(5))
    db.session.add(theme)
    table = store_population(dialogue.municipality, "SCB befolkning per område 2024",
                             parse_population_csv(population_csv()), is_example=False)
    link_dialogue(dialogue, table)
    db.session.add(NetworkMember(municipality_id=dialogue.municipality_id, name="Anna Andersson",
                                 role="working_group", title="Översiktsplaneringssamordnare"))
    create_invite("stadsbyggnadsforvaltningen.planeringsavdelningen@example.se", "working_group",
                  dialogue.municipality, None)
    db.session.commit()
    return dialogue


def _evaluation(make, dialogue) -> int:
    """An evaluation round the municipality's planners answered, enough of them to be shown."""
    evaluation_round = evaluation.start_round("Utvärdering efter medborgardialogsfasen", 4)
    for score in (5, 4, 4, 3, 5):
        planner = make.user(dialogue.municipality)
        assert evaluation.submit(evaluation_round, planner, dialogue.municipality_id,
                                 {"roll": "arbetsgrupp", "kanaler": ["webb"], "mandat": score,
                                  "samtycke": True}, "sv") == {}
    db.session.commit()
    return evaluation_round.id


def _shared_template(app, dialogue) -> dict[str, int]:
    """A template the network published and the municipality adapted, with a long line changed."""
    with app.test_request_context():
        template = sharing.publish_file("trygghetsvandring.yaml", "1.0", "Första versionen")
        adapted = sharing.as_yaml(template.survey_version.definition).replace(
            "Trygghetsvandring", "Trygghetsvandring kring Husby centrum och tunnelbaneuppgången", 1)
        adoption = sharing.adopt_template(template, dialogue.municipality_id,
                                          sharing.definition_from_text(adapted))
    db.session.commit()
    return {"template": template.id, "adoption": adoption.id}


def _assert_reflows(page, tables: int = 0) -> None:
    """Nothing scrolls sideways at 320 px, every table sits in a named region a keyboard reaches and
    that fits the screen, and axe finds nothing; then the same at the width of a phone."""
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), overflow(page)
    regions = page.evaluate(REGIONS)
    bad = [r for r in regions if not (r["region"] == "region" and r["tabindex"] == "0"
                                      and r["focused"] and r["name"] and r["fits"])]
    assert bad == [], [sorted(r.items()) for r in bad][:3]
    assert len(regions) >= tables
    violations = Axe().run(page).response["violations"]
    assert violations == [], [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                              for v in violations]
    page.set_viewport_size(PHONE)  # the colleague's phone: nothing sideways there either
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), overflow(page)


@pytest.mark.parametrize("name", PAGES)
def test_the_planner_pages_reflow_at_320_pixels(app, browser, live_server, make, name):
    dialogue = _busy_dialogue(make, hot_spot=name == "hotspots")
    ids = {"id": dialogue.id, "municipality": dialogue.municipality_id}
    if "{round}" in PAGES[name] or "report" in name:
        ids["round"] = _evaluation(make, dialogue)
    if "template" in name:
        ids |= _shared_template(app, dialogue)
    context = browser.new_context(viewport=NARROW)
    page = context.new_page()
    try:
        log_in(page, live_server, make.user(dialogue.municipality, **WHO.get(name, {})))
        page.goto(live_server + PAGES[name].format(**ids))
        page.wait_for_load_state("load")
        assert page.locator("h1").count() == 1  # the page itself, not an error page
        _assert_reflows(page, TABLES.get(name, 0))
    finally:
        context.close()


def test_the_downloaded_html_report_reflows_at_320_pixels(browser, live_server, make, tmp_path):
    dialogue = _busy_dialogue(make)
    context = browser.new_context(viewport=NARROW, accept_downloads=True)
    page = context.new_page()
    try:
        log_in(page, live_server, make.user(dialogue.municipality))
        page.goto(f"{live_server}/planering/dialoger/{dialogue.id}/export/")
        page.locator("form[data-format=report-html]").get_by_role("button", name="Skapa filen").click()
        with page.expect_download() as download:
            page.get_by_role("link", name="Ladda ner filen").click()
        report = tmp_path / "rapport.html"
        download.value.save_as(report)
        page.set_viewport_size(NARROW)
        page.goto(report.as_uri())  # opened from the disk, as the planner's colleague does
        assert page.locator("h1").count() == 1
        _assert_reflows(page, tables=5)  # facts, values, demographics, themes, assessment
    finally:
        context.close()


def test_a_keyboard_user_scrolls_the_wide_grid_table_on_a_phone(browser, live_server, make):
    dialogue = _busy_dialogue(make)
    context = browser.new_context(viewport=NARROW)
    page = context.new_page()
    try:
        log_in(page, live_server, make.user(dialogue.municipality))
        page.goto(live_server + PAGES["grid"].format(id=dialogue.id))
        region = page.get_by_role("region", name="Synpunkter per ruta")
        assert region.evaluate("r => r.scrollWidth > r.clientWidth")  # wider than the phone
        # The region is a stop in the tab order of its own, just before its column headers' links.
        region.locator("th a").first.focus()
        page.keyboard.press("Shift+Tab")
        assert region.evaluate("r => document.activeElement === r")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        # The arrow keys scroll smoothly: wait for the region to move.
        for _ in range(20):
            if region.evaluate("r => r.scrollLeft") > 0:
                break
            page.wait_for_timeout(100)
        assert region.evaluate("r => r.scrollLeft") > 0
        assert page.evaluate("scrollX") == 0  # the page itself stays put
    finally:
        context.close()


# The text of each line a heading is drawn on (a line ending in U+00AD ends in a drawn hyphen there).
LINES = """h => {
    const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT), range = document.createRange();
    const lines = [];
    let top = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.length; i++) {
            range.setStart(node, i); range.setEnd(node, i + 1);
            // A range at a line's end also has an empty box there: the character's own box is the last.
            const box = [...range.getClientRects()].filter(b => b.width > 0).pop();
            if (box && (top === null || box.top > top + box.height / 2)) { lines.push(''); top = box.top; }
            lines[lines.length - 1] += node.data[i];
        }
    }
    return lines;
}"""
TITLE = "Husby: trygghet, rättvisa och utvecklingsmöjligheter"  # the demo's dialogue
# The page heading before the dialogue's title ("" on the residents' start page of the dialogue).
PAGES_HEADINGS = {"analysis": "Analys per värde: ", "grid": "Rutnätssammanställning: ",
                  "statistics": "Statistik: ", "assessment": "Bedömning och balans: ",
                  "hotspots": "Heta punkter: ", "landing": ""}


@pytest.mark.parametrize("name", PAGES_HEADINGS)
def test_a_long_compound_in_the_heading_breaks_at_its_joint_on_a_phone(browser, live_server, make,
                                                                        name):
    dialogue = make.dialogue(title=TITLE)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        log_in(page, live_server, make.user(dialogue.municipality))
        path = f"/d/{dialogue.slug}?lang=sv" if name == "landing" else PAGES[name].format(id=dialogue.id)
        page.goto(live_server + path)
        heading = page.locator("h1")
        lines = [line.strip() for line in heading.evaluate(LINES)]
        word = next(i for i, line in enumerate(lines) if "utveckling" in line.lower())
        # Either the word fits on its line, or the line ends at the joint, where the hyphen is drawn.
        assert (lines[word].endswith("utvecklingsmöjligheter")
                or (lines[word].endswith("utvecklings\u00ad") and lines[word + 1] == "möjligheter")), lines
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), overflow(page)
        # What a screen reader announces (Chromium's own accessibility tree) and what a copy gives:
        # the words whole, no hyphen in them (the soft hyphen is no character a reader speaks).
        expected = PAGES_HEADINGS[name] + TITLE
        cdp = context.new_cdp_session(page)
        tree = cdp.send("Accessibility.getFullAXTree")["nodes"]
        announced = [n["name"]["value"] for n in tree if n.get("role", {}).get("value") == "heading"
                     and {"name": "level", "value": {"type": "integer", "value": 1}}
                     in n.get("properties", [])]
        assert [a.replace("\u00ad", "") for a in announced] == [expected], announced
        assert "-" not in announced[0]
        copied = heading.evaluate("""h => { const s = getSelection(); s.selectAllChildren(h);
                                             return s.toString(); }""")
        assert copied.replace("\u00ad", "") == expected and "-" not in copied
    finally:
        context.close()
