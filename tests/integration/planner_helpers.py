"""Helpers for the planner tests: log in, and post a form with the session's CSRF token."""

from __future__ import annotations

from ..conftest import csrf_from

PASSWORD = "rätt-lösenord-123"


def login(client, user, password: str = PASSWORD):
    """Log the user in through the login form."""
    page = client.get("/konto/logga-in").get_data(as_text=True)
    response = client.post("/konto/logga-in", data={
        "csrf_token": csrf_from(page), "email": user.email, "password": password,
    })
    assert response.status_code == 302, response.get_data(as_text=True)


def post(client, url: str, data: dict | None = None, **kwargs):
    """POST with the CSRF token of the logged-in session (taken from a planner page)."""
    token = csrf_from(client.get("/planering/").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)
