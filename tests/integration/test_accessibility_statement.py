"""The accessibility statement: what DIGG requires, the installation's settings, a link on every page."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from app.accessibility import DIGG_COMPLAINT_URL, KNOWN_ISSUES

from .export_helpers import take_export
from .planner_helpers import login

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"
STATEMENT_LINK = 'href="/tillganglighet"'


def text_of(html: str) -> str:
    """The page's visible text, tags removed and white space folded."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_statement_has_what_digg_requires_in_swedish(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "ACCESSIBILITY_STATEMENT", {
        "organisation": "Huddinge kommun", "email": "tillganglighet@huddinge.se",
        "phone": "08-535 300 00", "response_days": 5, "updated_on": "2027-01-15",
        "published_on": "2026-12-20",
    })
    response = client.get("/tillganglighet?lang=sv")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = text_of(html)
    assert "Huddinge kommun står bakom den här webbplatsen" in page
    assert "delvis förenlig med WCAG 2.1 nivå AA" in page  # the conformance level
    for issue in yaml.safe_load(KNOWN_ISSUES.read_text())["issues"]:  # known issues with reasons
        assert issue["problem"]["sv"] in page and issue["reason"]["sv"] in page
        assert f'id="issue-{issue["id"]}"' in html
    assert "självskattning" in page and "Senaste bedömningen gjordes den 2026-12-01" in page
    assert "Redogörelsen uppdaterades senast den 2027-01-15" in page  # the installation's date
    assert "Webbplatsen publicerades den 2026-12-20" in page
    assert 'href="mailto:tillganglighet@huddinge.se"' in html and 'href="tel:08-53530000"' in html
    assert "Vi svarar inom 5 arbetsdagar" in page
    assert f'href="{DIGG_COMPLAINT_URL}"' in html and "Myndigheten för digital förvaltning" in page


def test_the_statement_in_english_and_without_an_installation_contact(client):
    page = text_of(client.get("/tillganglighet?lang=en").get_data(as_text=True))
    assert "partially complies with WCAG 2.1 level AA" in page
    assert "headings, text and tables have no tags" in page
    assert "Contact the municipality that runs the dialogue" in page  # no contact configured
    assert "The statement was last updated on 2026-12-01" in page  # the repository's date


def test_every_page_template_links_to_the_statement():
    """A page template extends base.html (whose footer links) or links itself: nothing else renders a page."""
    for path in TEMPLATES.rglob("*.html"):
        source = path.read_text()
        if path.name.startswith("_") or path.name == "base.html":
            continue
        assert '{% extends "base.html" %}' in source or "accessibility_statement_url()" in source, path
    assert "accessibility.statement_page" in (TEMPLATES / "base.html").read_text()


def test_resident_and_planner_pages_link_to_the_statement(client, make):
    dialogue = make.dialogue()
    user = make.user(dialogue.municipality)
    dialogue_id, slug = dialogue.id, dialogue.slug
    for url in ("/", f"/d/{slug}", f"/d/{slug}/svara", f"/d/{slug}/enkel", "/konto/logga-in",
                "/finns-inte", "/tillganglighet", "/natverket/"):
        response = client.get(url)
        assert STATEMENT_LINK in response.get_data(as_text=True), url
    login(client, user)
    for url in ("/planering/", f"/planering/analys/dialoger/{dialogue_id}",
                f"/planering/dialoger/{dialogue_id}/export/"):
        assert STATEMENT_LINK in client.get(url).get_data(as_text=True), url
    report = take_export(client, dialogue_id, "report-html")
    assert report.status_code == 200
    assert 'href="http://localhost/tillganglighet"' in report.get_data(as_text=True)
