"""Every export format taken as a planner's browser and a QGIS script do it: started over HTTP on
gunicorn, made by a real job worker, followed, downloaded, and read back with its own reader.

The exports once answered 500 on the web (an audit row was committed, then the streamed body read
the detached dialogue) while tests that called the writers in-process passed.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import time
import zipfile

import pyogrio
import pytest
import requests
from openpyxl import load_workbook

from app.api.tokens import create_token
from app.extensions import db

from ..integration.export_data import rich_dialogue
from ..integration.shape_helpers import park_area, route_along_a_row
from .server import gunicorn, job_worker

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def logged_in(base_url: str, email: str, password: str = "rätt-lösenord-123") -> requests.Session:
    """A planner's browser after the login form."""
    session = requests.Session()
    page = session.get(f"{base_url}/konto/logga-in", timeout=30)
    token = _CSRF.search(page.text).group(1)
    answer = session.post(f"{base_url}/konto/logga-in", timeout=30, allow_redirects=False,
                          data={"csrf_token": token, "email": email, "password": password})
    assert answer.status_code == 302, answer.text[-500:]
    return session


def read_back(fmt: str, body: bytes, tmp_path) -> int:
    """Open a download with the reader its users have; the number of comments (or rows) in it."""
    if fmt in ("csv", "answers-csv"):
        return len(list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")))))
    if fmt == "geojson":
        return len(json.loads(body)["features"])
    if fmt == "gpkg":  # the comments are in three layers: points, routes and areas
        path = tmp_path / "pins.gpkg"
        path.write_bytes(body)
        return sum(pyogrio.read_info(path, layer=layer)["features"]
                   for layer in ("pins", "lines", "areas"))
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
        return sum(1 for _ in sheet.iter_rows(min_row=2))
    if fmt == "report-html":
        return body.decode("utf-8").count("<html")
    path = tmp_path / "report.pdf"
    path.write_bytes(body)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return int(bool(text.strip()))


# What each format carries from rich_dialogue and a drawn route and area: its 8 visible map pins,
# 1 named-place pin, the route and the area (the hidden pin stays out), and in the answers CSV one
# row per response, the hidden pin's included.
EXPECTED = {"csv": 11, "geojson": 11, "gpkg": 11, "answers-csv": 12, "xlsx": 11,
            "report-html": 1, "report-pdf": 1}


@pytest.fixture
def exporting(make, database_url, tmp_path):
    """A rich dialogue, a working-group member, a QGIS token, gunicorn and a job worker that share
    a queue and a results folder."""
    dialogue, _pins, _hidden = rich_dialogue(make)
    make.drawn(dialogue, route_along_a_row())
    make.drawn(dialogue, park_area(), value="development", sentiment="idea")
    user = make.user(dialogue.municipality, "working_group")
    token, _ = create_token(dialogue.municipality, "QGIS")
    db.session.commit()
    env = {"JOBS_URL": f"sqlite:///{tmp_path / 'jobs.sqlite'}", "JOB_RESULTS_DIR": str(tmp_path / "results")}
    with gunicorn(database_url, workers=1, env=env) as base_url, job_worker(database_url, env):
        yield base_url, dialogue.id, user.email, token


def finished(client: requests.Session, status_url: str, seconds: float = 120) -> dict:
    """Poll a job's status until it is done (or fail with what it said)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = client.get(status_url, timeout=30).json()
        if job["state"] not in ("queued", "running"):
            assert job["state"] == "done", job
            return job
        time.sleep(0.2)
    raise AssertionError(f"the job was not done in {seconds} s: {job}")


def from_the_export_page(browser: requests.Session, base_url: str, dialogue_id: int, fmt: str,
                         **options) -> requests.Response:
    """Press the format's button on the export page, follow the job, take the file."""
    page = browser.get(f"{base_url}/planering/dialoger/{dialogue_id}/export/", timeout=30)
    started = browser.post(f"{base_url}/planering/dialoger/{dialogue_id}/export/{fmt}", timeout=30,
                           data={"csrf_token": _CSRF.search(page.text).group(1), **options})
    assert started.status_code == 200 and "/export/jobb/" in started.url, (fmt, started.text[:300])
    finished(browser, started.url + "/status")
    return browser.get(started.url + "/fil", timeout=120)


def from_the_api(qgis: requests.Session, base_url: str, dialogue_id: int, fmt: str) -> requests.Response:
    """Start the job through the API, poll it, take the file from the link it gives."""
    started = qgis.post(f"{base_url}/api/v1/dialogues/{dialogue_id}/exports/{fmt}", timeout=30)
    assert started.status_code == 202, (fmt, started.text[:300])
    job = finished(qgis, started.headers["Location"])
    return qgis.get(job["links"]["file"], timeout=120)


@pytest.mark.slow
def test_every_export_downloads_over_http_and_opens_in_its_reader(exporting, tmp_path):
    base_url, dialogue_id, email, token = exporting
    browser = logged_in(base_url, email)
    qgis = requests.Session()
    qgis.headers["Authorization"] = f"Bearer {token}"
    for fmt, expected in EXPECTED.items():
        for who, answer in (("planner", from_the_export_page(browser, base_url, dialogue_id, fmt)),
                            ("token", from_the_api(qgis, base_url, dialogue_id, fmt))):
            assert answer.status_code == 200, (fmt, who, answer.status_code, answer.text[:300])
            assert "attachment" in answer.headers["Content-Disposition"], (fmt, who)
            assert read_back(fmt, answer.content, tmp_path) == expected, (fmt, who)


@pytest.mark.slow
def test_exports_with_photos_download_as_a_zip_over_http(exporting, tmp_path):
    base_url, dialogue_id, email, _token = exporting
    browser = logged_in(base_url, email)
    for fmt in ("csv", "geojson", "gpkg", "xlsx"):
        answer = from_the_export_page(browser, base_url, dialogue_id, fmt, photos="1")
        assert answer.status_code == 200, (fmt, answer.text[:300])
        with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
            [main] = [n for n in archive.namelist() if not n.startswith("photos/")]
            assert read_back(fmt, archive.read(main), tmp_path) == EXPECTED[fmt], fmt
