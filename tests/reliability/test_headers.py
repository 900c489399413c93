"""Every page forbids other origins, sniffing and framing (unless a municipality allows it)."""

from __future__ import annotations

import re

import pytest

from app import create_app
from app.extensions import db

ALLOWED_SOURCES = {"'self'", "'none'", "'unsafe-inline'", "data:", "blob:"}


def directives(csp: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}


@pytest.fixture
def pages(client, make):
    dialogue = make.dialogue(slug="husby-torg")
    return [client.get(url) for url in ("/", f"/d/{dialogue.slug}", "/finns-inte", "/login")]


def test_every_page_allows_no_other_origin(pages):
    for page in pages:
        policy = directives(page.headers["Content-Security-Policy"])
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        for name, sources in policy.items():
            assert set(sources) <= ALLOWED_SOURCES, f"{name} allows {sources}"


def test_every_page_forbids_sniffing_and_framing(pages):
    for page in pages:
        assert page.headers["X-Content-Type-Options"] == "nosniff"
        assert page.headers["X-Frame-Options"] == "DENY"


def test_a_dialogue_may_be_framed_only_by_the_sites_its_municipality_names(app, client, make, monkeypatch):
    dialogue = make.dialogue(slug="husby-inbaddad")
    other = make.dialogue(slug="annan-dialog")
    monkeypatch.setitem(app.config, "EMBED_ORIGINS", {
        dialogue.slug: ["https://www.stockholm.se", "javascript:alert(1)", "https://x.se; script-src *"],
    })
    framed = client.get(f"/d/{dialogue.slug}")
    assert directives(framed.headers["Content-Security-Policy"])["frame-ancestors"] == [
        "https://www.stockholm.se"
    ]
    assert "X-Frame-Options" not in framed.headers
    for page in (client.get(f"/d/{other.slug}"), client.get("/")):
        assert directives(page.headers["Content-Security-Policy"])["frame-ancestors"] == ["'none'"]
        assert page.headers["X-Frame-Options"] == "DENY"


def test_cookies_are_httponly_samesite_and_secure_by_default(database_url):
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url})
    response = app.test_client().get("/?lang=en")
    with app.app_context():
        db.engine.dispose()  # this second app's connections must not outlive the test
    # A cookie being deleted (Max-Age=0) carries nothing; every cookie that carries data is checked.
    cookies = [c for c in response.headers.getlist("Set-Cookie") if "Max-Age=0" not in c]
    assert any(c.startswith("session=") for c in cookies), "the language choice sets the session cookie"
    for cookie in cookies:
        flags = {flag.strip().split("=")[0].lower(): flag.strip() for flag in cookie.split(";")[1:]}
        assert "httponly" in flags
        assert "secure" in flags
        assert re.fullmatch(r"SameSite=(Lax|Strict)", flags["samesite"])
