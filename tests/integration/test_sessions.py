"""Logging in: throttled, cookies that scripts and other sites cannot use, sessions that end."""

from __future__ import annotations

import time

import pytest
from itsdangerous import TimestampSigner

from app import create_app
from app.extensions import db, limiter

from ..conftest import csrf_from
from .sessions import PASSWORD, Session


@pytest.fixture
def production_app(app, database_url):
    """The app as installed: production cookie settings and the login limit switched on.

    Flask-Limiter keeps its on/off switch on the one shared limiter, so it is put back afterwards.
    """
    strict = create_app({"TESTING": True, "SECRET_KEY": "another-secret",
                         "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True})
    limiter.reset()
    yield strict
    limiter.reset()
    limiter.enabled = False
    with strict.app_context():
        db.engine.dispose()


def test_the_login_is_throttled_after_ten_attempts_a_minute_from_one_address(production_app, make):
    # Ten accounts tried once each: the per-address limit, not the per-account one (test_login_throttle).
    user = make.user(make.municipality())
    session = Session(production_app)
    answers = [session.send("POST", "/konto/logga-in", {"email": f"gissning{i}@example.se",
                                                        "password": f"fel {i}"})
               for i in range(10)]
    assert {a.status_code for a in answers} == {200}
    throttled = session.send("POST", "/konto/logga-in", {"email": user.email, "password": PASSWORD})
    assert throttled.status_code == 429
    assert "För många försök" in throttled.get_data(as_text=True)
    assert "Retry-After" in throttled.headers


def test_the_session_cookie_is_httponly_samesite_and_secure(production_app, make):
    user = make.user(make.municipality())
    client = production_app.test_client()
    with production_app.app_context():
        token = csrf_from(client.get("/konto/logga-in").get_data(as_text=True))
        response = client.post("/konto/logga-in", data={"csrf_token": token, "email": user.email,
                                                        "password": PASSWORD})
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie and "Secure" in session_cookie
    assert "Expires=" in session_cookie  # a permanent session, bounded by PERMANENT_SESSION_LIFETIME
    assert not any(c.startswith("remember_token=") for c in cookies)


def test_cookies_are_secure_unless_in_development(monkeypatch, tmp_path, database_url):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    installed = create_app()
    assert installed.config["SESSION_COOKIE_SECURE"] and installed.config["REMEMBER_COOKIE_SECURE"]
    monkeypatch.setenv("PLATSDIALOG_DEVELOPMENT", "1")
    development = create_app()
    assert not development.config["SESSION_COOKIE_SECURE"]
    assert development.config["SESSION_COOKIE_HTTPONLY"]
    assert development.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    for one in (installed, development):
        with one.app_context():
            db.engine.dispose()


@pytest.mark.parametrize(("hours_ago", "still_in"), [(7, True), (9, False)])
def test_a_session_ends_after_eight_hours(app, make, monkeypatch, hours_ago, still_in):
    assert app.permanent_session_lifetime.total_seconds() == 8 * 3600
    user = make.user(make.municipality())
    signed_at = int(time.time()) - hours_ago * 3600
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: signed_at)
    session = Session(app, user)
    monkeypatch.undo()
    response = session.send("GET", "/planering/", {})
    assert (response.status_code == 200) is still_in
    if not still_in:
        assert "/konto/logga-in" in response.location


def test_logging_out_ends_the_session_and_a_copy_of_its_cookie(app, make):
    user = make.user(make.municipality())
    session = Session(app, user)
    copy = app.test_client()
    copy.set_cookie("session", session.client.get_cookie("session").value)
    with app.app_context():
        assert copy.get("/planering/").status_code == 200
    response = session.send("POST", "/konto/logga-ut", {})
    assert response.status_code == 302
    assert "Du är utloggad" in session.get("/konto/logga-in")
    assert session.send("GET", "/planering/", {}).status_code == 302
    with app.app_context():
        assert copy.get("/planering/").status_code == 302


def test_an_unknown_address_gets_the_same_answer_as_a_wrong_password(app, make):
    user = make.user(make.municipality())
    answers = []
    for email, password in ((user.email, "fel lösenord"), ("ingen@example.se", PASSWORD)):
        response = Session(app).send("POST", "/konto/logga-in", {"email": email, "password": password})
        answers.append((response.status_code, "E-postadressen eller lösenordet är fel" in
                        response.get_data(as_text=True)))
    assert answers == [(200, True), (200, True)]
