"""A project leader invites a colleague, who sets a password: with the keyboard, checked by axe-core."""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from app.extensions import db
from app.models import User

pytestmark = pytest.mark.browser


def serious_violations(page) -> list:
    """axe-core violations of serious or critical impact on the page as it is now."""
    results = Axe().run(page)
    return [(v["id"], v["impact"], v["help"]) for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")]


def test_invite_a_colleague_who_accepts_with_the_keyboard(page, browser, live_server, make):
    municipality = make.municipality(name="Huddinge")
    leader = make.user(municipality, "project_leader", email="pl@huddinge.se")
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))

    page.goto(f"{live_server}/konto/logga-in?lang=sv")
    assert serious_violations(page) == []
    page.get_by_label("E-postadress").fill(leader.email)
    page.get_by_label("Lösenord").fill("fel lösenord")
    page.keyboard.press("Enter")
    page.wait_for_selector(".flash-error")
    assert serious_violations(page) == []  # the error state too
    page.get_by_label("Lösenord").fill("rätt-lösenord-123")
    page.keyboard.press("Enter")
    page.wait_for_url("**/planering/")

    page.get_by_role("link", name="Användare").click()
    page.wait_for_url("**/anvandare")
    assert page.get_by_role("heading", level=1).inner_text() == "Användare i Huddinge"
    assert serious_violations(page) == []
    page.get_by_label("E-postadress").fill("kollega@huddinge.se")
    page.get_by_label("E-postadress").press("Tab")  # to the role list, and on to the button
    page.get_by_label("Roll", exact=True).select_option(label="Arbetsgrupp")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skapa en inbjudningslänk"
    page.keyboard.press("Enter")
    page.wait_for_selector("#one-time-link")
    assert serious_violations(page) == []
    link = page.locator("#one-time-link").input_value()
    assert "/konto/lank/" in link
    page.get_by_label("Länken").focus()  # the whole link is selected, ready to copy
    assert page.evaluate("window.getSelection().toString() || document.activeElement.value.substring("
                         "document.activeElement.selectionStart, document.activeElement.selectionEnd)") == link

    colleague = browser.new_page()
    colleague.goto(link + "?lang=en")
    assert colleague.get_by_role("heading", level=1).inner_text() == "Accept the invitation"
    assert serious_violations(colleague) == []
    colleague.get_by_label("Your name").fill("Kim Kollega")
    colleague.get_by_label("New password").fill("kort")
    colleague.get_by_label("The same password again").fill("kort")
    colleague.keyboard.press("Enter")
    colleague.wait_for_selector(".field-error")
    assert "at least 12 characters" in colleague.locator(".field-error").first.inner_text()
    assert serious_violations(colleague) == []
    colleague.get_by_label("New password").fill("ett långt och bra lösenord")
    colleague.get_by_label("The same password again").fill("ett långt och bra lösenord")
    colleague.keyboard.press("Enter")
    colleague.wait_for_url("**/planering/")
    assert "Welcome! You now work in Huddinge." in colleague.content()
    colleague.close()

    user = db.session.execute(select(User).where(User.email == "kollega@huddinge.se")).scalar_one()
    assert user.display_name == "Kim Kollega" and user.role_in(municipality.id) == "working_group"
    assert hosts == {"127.0.0.1"}
