"""Helpers for the planner tests: log in, and post a form with the session's CSRF token."""

from __future__ import annotations

from flask import g, has_app_context

from ..conftest import csrf_from

PASSWORD = "rätt-lösenord-123"


def login(client, user, password: str = PASSWORD):
    """Log the user in through the login form."""
    if has_app_context():
        g.pop("csrf_token", None)  # see post() below
    page = client.get("/konto/logga-in").get_data(as_text=True)
    response = client.post("/konto/logga-in", data={
        "csrf_token": csrf_from(page), "email": user.email, "password": password,
    })
    assert response.status_code == 302, response.get_data(as_text=True)


def post(client, url: str, data: dict | None = None, **kwargs):
    """POST with the CSRF token of the logged-in session (taken from a planner page)."""
    if has_app_context():
        # The `make` fixture's app context is shared by the client's requests, so Flask-WTF's
        # per-context token cache outlives the login that cleared the session: drop it.
        g.pop("csrf_token", None)
    token = csrf_from(client.get("/planering/").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)
