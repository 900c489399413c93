"""Hostile population files posted to gunicorn: a clear Swedish refusal, nothing stored."""

from __future__ import annotations

import re

import pytest
import requests
from sqlalchemy import func, select

from app.extensions import db
from app.models import PopulationCount, PopulationTable

from .server import gunicorn


@pytest.fixture(scope="module")
def gunicorn_once(app, database_url):
    """One gunicorn for every file of this module (starting one costs seconds on a busy machine)."""
    with gunicorn(database_url, workers=2) as base_url:
        yield base_url


_CSRF = re.compile(r'name="([\w-]*csrf_token)"[^>]*value="([^"]+)"')

HOSTILE = [
    ("binary.csv", b"\x89PNG\r\n\x1a\n" + b"\0" * 4096, "inte en textfil"),
    ("utf16.csv", "område;kön;antal\nA1;kvinnor;5\n".encode("utf-16"), "inte en textfil"),
    ("big.csv", b"omr\xc3\xa5de;k\xc3\xb6n;antal\n" + b"A1;kvinnor;5\n" * 900_000, "större än 10 MB"),
    ("many-errors.csv", "område;kön;antal\n".encode() + b"A1;kvinnor;x\n" * 50_000, "Fler problem"),
    ("negative.csv", "område;kön;antal\nA1;kvinnor;-1\n".encode(), "inte ett helt antal"),
    ("formula.csv", "område;kön;antal\n=cmd|' /C calc'!A0;kvinnor;1e9\n".encode(), "inte ett helt antal"),
    ("header-only.csv", "område;kön;antal\n".encode(), "inga rader"),
    ("empty.csv", b"", "tom"),
]


def _session(base_url: str, user) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base_url}/konto/logga-in", timeout=30).text
    token = _CSRF.search(page).group(2)
    response = session.post(f"{base_url}/konto/logga-in", data={
        "csrf_token": token, "email": user.email, "password": "rätt-lösenord-123"},
        allow_redirects=False, timeout=30)
    assert response.status_code == 302
    return session


@pytest.mark.parametrize("name, data, message", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_population_file_is_refused_in_swedish_and_nothing_is_stored(
        gunicorn_once, make, name, data, message):
    served = gunicorn_once
    dialogue = make.dialogue()
    session = _session(served, make.user(dialogue.municipality))
    url = f"{served}/planering/dialoger/{dialogue.id}/befolkning"
    page = session.get(url, headers={"Accept-Language": "sv"}, timeout=30).text
    token = dict(_CSRF.findall(page))["upload-csrf_token"]
    response = session.post(f"{url}/importera", data={"upload-csrf_token": token, "upload-name": "Fil"},
                            files={"upload-upload": (name, data, "text/csv")},
                            headers={"Accept-Language": "sv"}, timeout=60)
    assert response.status_code == 422
    assert message in response.text
    assert "ingenting har sparats" in response.text
    db.session.remove()
    assert db.session.execute(select(func.count()).select_from(PopulationTable)).scalar_one() == 0
    assert db.session.execute(select(func.count()).select_from(PopulationCount)).scalar_one() == 0
