"""A resident reaches the privacy notice from the consent step on a phone; axe finds nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .test_accessibility_known_issues import PHONE, all_violations

pytestmark = pytest.mark.browser


def test_from_the_consent_step_to_the_notice_on_a_phone(browser, live_server, make):
    dialogue = make.dialogue(title="Parken vid skolan", retention_months=36)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live_server}/d/{dialogue.slug}?lang=sv")
    page.get_by_role("link", name="Läs hela informationen om personuppgifter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Så hanterar vi det du skickar i ”Parken vid skolan”")
    assert all_violations(page) == []

    page.goto(f"{live_server}/d/{dialogue.slug}/svara?lang=sv")
    while not page.locator("#page-skicka").is_visible():
        page.locator(".survey-page:not([hidden]) button.next").click()
    with context.expect_page() as opened:
        page.get_by_role("link", name="Så hanteras dina svar (öppnas i en ny flik)").click()
    notice = opened.value
    expect(notice.locator("#how-long + p")).to_contain_text("raderas 36 månader efter att dialogen stängdes")
    assert all_violations(notice) == []
    context.close()
