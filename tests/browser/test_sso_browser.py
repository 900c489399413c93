"""A municipal employee signs in with the work account in Chromium: out to the provider and back."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.auth.oidc import configure_provider
from app.extensions import db

from ..integration.test_sso import GROUPS
from ..oidc_provider import RunningProvider
from .test_accessibility_known_issues import all_violations

pytestmark = pytest.mark.browser


def test_sign_in_with_the_work_account_by_keyboard(page, live_server, make):
    running = RunningProvider()
    idp = running.provider
    try:
        municipality = make.municipality(name="Huddinge", kommunkod="0126")
        configure_provider(municipality, issuer=idp.issuer, client_id=idp.client_id,
                           client_secret=idp.client_secret, group_claim="groups", group_roles=GROUPS)
        db.session.commit()
        idp.redirect_uris.add(f"{live_server}/konto/sso/0126/tillbaka")
        idp.person = {"email": "anna@huddinge.se", "name": "Anna Berg", "groups": ["sg-platsdialog-pl"]}

        page.goto(f"{live_server}/konto/logga-in?lang=sv")
        assert all_violations(page) == []
        link = page.get_by_role("link", name="Logga in med ditt konto i Huddinge")
        link.focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**/planering/")
        expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
        assert idp.token_requests == 1

        idp.person = {"email": "extern@example.se", "groups": []}
        page.get_by_role("button", name="Logga ut").click()
        page.wait_for_url("**/konto/logga-in")
        page.goto(f"{live_server}/konto/logga-in?lang=sv")  # logging out forgot the language too
        page.get_by_role("link", name="Logga in med ditt konto i Huddinge").click()
        expect(page.locator(".flash-error")).to_contain_text("extern@example.se har ingen roll i Huddinge")
        assert all_violations(page) == []
    finally:
        running.stop()


def test_the_sign_in_settings_page_has_no_accessibility_violations(page, live_server, make):
    from ..integration.planner_helpers import PASSWORD

    municipality = make.municipality(name="Tyresö")
    admin = make.user(None, None, email="admin@platsdialog.se", is_site_admin=True)
    page.goto(f"{live_server}/konto/logga-in?lang=sv")
    page.get_by_label("E-postadress").fill(admin.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/planering/")
    page.goto(f"{live_server}/admin/")
    page.get_by_role("link", name="Inloggning Tyresö").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggning för Tyresö")
    assert all_violations(page) == []
    page.get_by_label("Utfärdare (issuer, OpenID Connect)").fill("http://idp.example.se")
    page.get_by_role("button", name="Spara inställningarna för inloggning").click()
    expect(page.locator(".flash-error")).to_contain_text("https://")
    assert all_violations(page) == []
    assert municipality.id
