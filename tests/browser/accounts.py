"""Signing in as a planner in the browser, as a person does: the form, then the planner's start page."""

from ..integration.planner_helpers import PASSWORD


def log_in(page, live_server, who, password: str = PASSWORD) -> None:
    """Sign in through the login form as `who` (a user, or an e-mail address)."""
    page.goto(f"{live_server}/konto/logga-in?lang=sv")
    page.get_by_label("E-postadress").fill(getattr(who, "email", who))
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    # Wait for the page after the login, not for the load state of the login page itself: a goto
    # while the login POST is still on its way cancels it and leaves the browser logged out.
    page.wait_for_url("**/planering/")
