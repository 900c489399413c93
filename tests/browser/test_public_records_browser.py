"""A project leader answers a request for public documents in Chromium; axe finds nothing."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ..integration.planner_helpers import PASSWORD
from .test_accessibility_known_issues import all_violations

pytestmark = pytest.mark.browser


def test_a_request_for_public_documents_downloads_the_comments(page, live_server, make):
    dialogue = make.dialogue(make.area(make.municipality(name="Huddinge")), title="Torget",
                             diarienummer="KS 2026/0412")
    make.pin(dialogue, text="Mörk tunnel.", created_at=datetime(2026, 11, 3, 12, tzinfo=UTC))
    leader = make.user(dialogue.municipality, "project_leader")
    page.goto(f"{live_server}/konto/logga-in?lang=sv")
    page.get_by_label("E-postadress").fill(leader.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/planering/")
    page.goto(f"{live_server}/planering/dialoger/{dialogue.id}")
    assert all_violations(page) == []  # the settings page with its public records fields
    expect(page.get_by_label("Diarienummer")).to_have_value("KS 2026/0412")

    page.get_by_role("link", name="Användare", exact=True).click()  # straight to Huddinge's users
    expect(page.get_by_role("heading", level=1)).to_have_text("Användare i Huddinge")
    page.get_by_role("link", name="Begäran om allmänna handlingar").click()
    assert all_violations(page) == []
    page.get_by_label("Från").fill("2026-11-01")
    page.get_by_label("Till och med").fill("2026-11-30")
    page.get_by_label("CSV, för ett kalkylprogram").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Ta fram handlingarna").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["text"], r["diarienummer"]) for r in rows] == [("Mörk tunnel.", "KS 2026/0412")]
