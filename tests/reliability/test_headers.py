"""Every page forbids other origins, sniffing and framing (unless a municipality allows it)."""

from __future__ import annotations

import re

import pytest

from app import create_app
from app.extensions import db

ALLOWED_SOURCES = {"'self'", "'none'", "data:", "blob:"}
NONCE = re.compile(r"'nonce-[A-Za-z0-9_-]{20,}'")


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
            plain = {source for source in sources if not NONCE.fullmatch(source)}
            assert plain <= ALLOWED_SOURCES, f"{name} allows {sources}"
        assert NONCE.fullmatch(policy["script-src"][1]) and policy["style-src"] == policy["script-src"]


def test_each_response_has_its_own_nonce_and_the_maps_inline_code_carries_it(app, client, make):
    dialogue = make.dialogue()
    answers = []
    for _ in range(2):
        with app.app_context():  # each request in its own context, as in production
            answers.append(client.get(f"/d/{dialogue.slug}"))
    first = answers[0]
    nonces = [directives(r.headers["Content-Security-Policy"])["script-src"][1][7:-1] for r in answers]
    assert nonces[0] != nonces[1]
    html = first.get_data(as_text=True)
    inline = re.findall(r"<(?:script|style)(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
    assert inline, "the map's set-up is inline"
    assert all(f'nonce="{nonces[0]}"' in tag for tag in inline), inline
    assert not re.search(r"\sstyle=\"|\son[a-z]+=\"", html)  # no inline style or handler attributes


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


def test_hsts_is_sent_over_https_only_and_trusted_proxies_say_so(database_url, app, client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    assert client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"].startswith(
        "max-age=31536000")
    proxied = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url, "TRUSTED_PROXIES": 1,
                          "RATELIMIT_ENABLED": False})
    behind = proxied.test_client().get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in behind.headers
    # Without a trusted proxy configured, anybody's X-Forwarded-Proto is ignored.
    assert "Strict-Transport-Security" not in client.get("/", headers={"X-Forwarded-Proto": "https"}).headers
    with proxied.app_context():
        db.engine.dispose()


def test_logged_in_pages_and_raw_exports_are_not_cached_but_public_pages_may_be(app, make):
    from tests.integration.export_helpers import take_export
    from tests.integration.network_helpers import login

    dialogue = make.dialogue()
    make.pin(dialogue)
    user = make.user(dialogue.municipality, "project_leader")
    client = app.test_client()
    assert "no-store" not in client.get(f"/d/{dialogue.slug}").headers.get("Cache-Control", "")
    login(client, user)
    for url in ("/planering/", f"/planering/analys/dialoger/{dialogue.id}"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url
    # Leaflet and our CSS are the same for everybody: they stay cacheable for a logged-in planner.
    assert "no-store" not in client.get("/vendor/leaflet/leaflet.js").headers.get("Cache-Control", "")
    for fmt in ("csv", "answers-csv", "xlsx"):
        export = take_export(client, dialogue.id, fmt)
        assert export.status_code == 200, fmt
        assert export.headers["Cache-Control"] == "no-store", fmt
        if fmt.endswith("csv"):
            # The charset once: "text/csv; charset=utf-8; charset=utf-8" confused strict readers.
            assert export.headers["Content-Type"] == "text/csv; charset=utf-8"
