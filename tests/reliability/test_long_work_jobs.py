"""Long work beside exports, as jobs on the real worker: theme suggestions and the archive package.

gunicorn serves the pages and `platsdialog jobs worker` does the work, sharing one queue and one
results folder (as test_jobs.py sets them up); the planner only uses the pages.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from sqlalchemy import select, update

from app.extensions import db
from app.models import Dialogue, ThemeSuggestion

from ..analysis_helpers import add_pins, download_link
from ..swedish_corpus import corpus
from .server import gunicorn, job_worker
from .test_export_downloads import _CSRF, finished, logged_in
from .test_jobs import jobs_env, start, wait_for


@pytest.mark.slow
def test_theme_suggestions_wait_for_a_worker_and_then_appear(make, database_url, tmp_path):
    dialogue = make.dialogue()
    add_pins(dialogue, [(59.4108, 17.9259, v, s, text) for v, s, _t, text in corpus(30)])
    email, dialogue_id = make.user(dialogue.municipality, "working_group").email, dialogue.id
    env = jobs_env(tmp_path)
    with gunicorn(database_url, workers=1, env=env) as base_url:
        browser = logged_in(base_url, email)
        page_url = f"{base_url}/planering/dialoger/{dialogue_id}/teman/forslag"
        token = _CSRF.search(browser.get(page_url, timeout=30).text).group(1)
        answer = browser.post(page_url + "/ta-fram", data={"csrf_token": token}, timeout=30)
        # The button answers at once; no worker yet, so the page says the comments are being read.
        assert answer.status_code == 200 and answer.url == page_url
        assert "Synpunkterna läses igenom efter teman: 0 av" in answer.text
        assert 'class="suggestion"' not in answer.text
        with job_worker(database_url, env):
            page = wait_for(lambda: (lambda t: 'id="suggestion-job"' not in t and t)(
                browser.get(page_url, timeout=30).text), seconds=120, every=0.5)
    db.session.expire_all()
    stored = db.session.execute(select(ThemeSuggestion).where(
        ThemeSuggestion.dialogue_id == dialogue_id)).scalars().all()
    assert stored and len(re.findall(r'class="suggestion"', page)) == len(stored)


@pytest.mark.slow
def test_the_archive_package_is_made_by_the_worker_and_downloaded(make, database_url, tmp_path):
    dialogue = make.dialogue(diarienummer="KS 2026/0099")
    make.pin(dialogue, text="Mörk tunnel vid torget.")
    db.session.execute(update(Dialogue).where(Dialogue.id == dialogue.id).values(status="closed"))
    db.session.commit()
    email, dialogue_id = make.user(dialogue.municipality, "project_leader").email, dialogue.id
    env = jobs_env(tmp_path)
    with gunicorn(database_url, workers=1, env=env) as base_url:
        browser = logged_in(base_url, email)
        job_page = start(browser, base_url, dialogue_id, "archive")
        with job_worker(database_url, env):
            done = finished(browser, job_page + "/status", seconds=240)
        assert done["filename"].endswith(".zip")
        answer = browser.get(job_page + "/fil", timeout=120)
    assert answer.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(answer.content)).namelist()
    root = names[0].split("/")[0]
    assert f"{root}/METS.xml" in names
    assert f"{root}/representations/rep1/data/comments.csv" in names


@pytest.mark.slow
@pytest.mark.parametrize("budget", ["10", "1000"], ids=["big-lattice", "nine-layer-download"])
def test_hot_spots_of_a_big_lattice_wait_for_a_worker_and_then_appear(make, database_url, tmp_path,
                                                                        budget):
    from ..integration.test_analysis_hotspots import _cluster, _dialogue, _noise

    dialogue = _dialogue(make, _noise(300, seed=21) + _cluster(50, seed=22))
    email, dialogue_id = make.user(dialogue.municipality, "working_group").email, dialogue.id
    # 10: the Husby area's cells count as many; 1,000 (the default): its one layer is shown at
    # once, but the nine layers of the download are over the budget.
    env = jobs_env(tmp_path, HOTSPOT_INLINE_CELLS=budget)
    with gunicorn(database_url, workers=1, env=env) as base_url:
        browser = logged_in(base_url, email)
        page_url = f"{base_url}/planering/analys/dialoger/{dialogue_id}/heta-punkter?size=100"
        page = browser.get(page_url, timeout=30).text
        assert download_link(page) is None
        if budget == "10":
            assert "Beräkna heta punkter" in page
        else:
            assert "Beräkna nedladdningen" in page and "vid Husby centrum" in page
        action = re.search(r'<form method="post" action="([^"]+berakna[^"]*)"', page).group(1)
        answer = browser.post(base_url + action.replace("&amp;", "&"),
                              data={"csrf_token": _CSRF.search(page).group(1)}, timeout=30)
        # No worker yet: the page says they are being computed, and links the job's progress page.
        assert answer.status_code == 200 and "De heta punkterna beräknas: 0 av 9" in answer.text
        assert download_link(answer.text) is None
        job_url = re.search(r'href="([^"]+/jobb/[0-9a-f]+)"', answer.text).group(1)
        assert browser.get(base_url + job_url, timeout=30).status_code == 200
        with job_worker(database_url, env):
            finished(browser, base_url + job_url + "/status", seconds=240)
        done = browser.get(page_url + "&layer=safety-negative", timeout=30).text
        assert "vid Husby centrum" in done and "berakna" not in done
        grid = browser.get(base_url + download_link(done), timeout=30)
        assert grid.status_code == 200
        spots = [f["properties"]["spot_safety_negative"] for f in grid.json()["features"]]
        assert "hot" in spots
