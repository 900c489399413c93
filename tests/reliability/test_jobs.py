"""Export jobs with a real worker beside gunicorn: progress a planner can follow, a worker killed
mid-job, and files that expire. Nothing here is faked: the worker is `platsdialog jobs worker`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
import requests
from sqlalchemy import select, update

from app.extensions import db
from app.models import ExportJob

from ..analysis_helpers import many_pins
from .server import REPO, gunicorn, job_worker
from .test_export_downloads import _CSRF, finished, logged_in

PINS = 30_000


@pytest.fixture
def big_dialogue(make):
    """A dialogue of PINS pins and a working-group member."""
    dialogue = make.dialogue()
    many_pins(dialogue, PINS)
    return dialogue.id, make.user(dialogue.municipality, "working_group").email


def jobs_env(tmp_path, **more) -> dict[str, str]:
    """One queue and one results folder for gunicorn and the worker; small batches, quick beats."""
    return {"JOBS_URL": f"sqlite:///{tmp_path / 'jobs.sqlite'}", "JOB_RESULTS_DIR": str(tmp_path / "results"),
            "EXPORT_BATCH_ROWS": "1000", "JOB_HEARTBEAT_SECONDS": "0.5", "JOB_STALE_SECONDS": "3",
            **more}


def start(browser, base_url: str, dialogue_id: int, fmt: str) -> str:
    """Press the format's button on the export page; the job page's address."""
    page = browser.get(f"{base_url}/planering/dialoger/{dialogue_id}/export/", timeout=30)
    started = browser.post(f"{base_url}/planering/dialoger/{dialogue_id}/export/{fmt}", timeout=30,
                           data={"csrf_token": _CSRF.search(page.text).group(1)})
    assert "/export/jobb/" in started.url, started.text[:300]
    return started.url


def wait_for(predicate, seconds: float = 120, every: float = 0.05):
    """The first truthy value of predicate(), or fail after the time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"not so within {seconds} s")


@pytest.mark.slow
def test_a_planner_follows_the_progress_and_takes_the_file_later(big_dialogue, database_url, tmp_path):
    dialogue_id, email = big_dialogue
    env = jobs_env(tmp_path)
    with gunicorn(database_url, workers=1, env=env) as base_url:
        browser = logged_in(base_url, email)
        job_page = start(browser, base_url, dialogue_id, "xlsx")
        queued = browser.get(job_page + "/status", timeout=30).json()
        # No worker yet: the job waits, and says so.
        assert queued["state"] == "queued" and queued["rows_total"] == 2 * PINS
        assert "väntar i kö" in browser.get(job_page, timeout=30).text
        with job_worker(database_url, env):
            seen = []

            def midway():
                job = browser.get(job_page + "/status", timeout=30).json()
                seen.append(job)
                return job["state"] == "running" and 0 < job["rows_done"] < job["rows_total"] and job

            during = wait_for(midway)
            page = browser.get(job_page, timeout=30).text
            assert 'id="job-progress"' in page and "av 60\u00a0000 rader" in page  # Swedish digit groups
            assert during["eta_seconds"] is not None and during["eta_seconds"] >= 0
            done = finished(browser, job_page + "/status")
        # The planner left and comes back to the export page: the file waits there.
        export_page = browser.get(f"{base_url}/planering/dialoger/{dialogue_id}/export/", timeout=30).text
        assert "Ladda ner " + done["filename"] in export_page
        answer = browser.get(job_page + "/fil", timeout=120)
        assert answer.status_code == 200 and answer.content[:2] == b"PK"
    rows_seen = [j["rows_done"] for j in seen if j["state"] == "running"]
    assert rows_seen == sorted(rows_seen)  # progress never goes back


@pytest.mark.slow
def test_a_worker_killed_mid_job_leaves_it_failed_and_no_half_file(big_dialogue, database_url, tmp_path):
    dialogue_id, email = big_dialogue
    env = jobs_env(tmp_path)
    with gunicorn(database_url, workers=1, env=env) as base_url:
        browser = logged_in(base_url, email)
        job_page = start(browser, base_url, dialogue_id, "gpkg")
        with job_worker(database_url, env) as worker:
            wait_for(lambda: (lambda j: j["state"] == "running" and j["rows_done"] > 0)(
                browser.get(job_page + "/status", timeout=30).json()))
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait()
        # The worker is gone: after its heartbeat goes quiet the job reads as failed, with a reason.
        job = wait_for(lambda: (lambda j: j["state"] == "failed" and j)(
            browser.get(job_page + "/status", timeout=30).json()), seconds=30, every=0.5)
        assert "avbröts" in job["error"]
        assert "avbröts" in browser.get(job_page, timeout=30).text
        assert browser.get(job_page + "/fil", timeout=30).status_code == 409
        results = tmp_path / "results"
        assert not list(results.glob("*.result"))
        # The cron command records it and removes the partial file.
        subprocess.run([sys.executable, "-m", "flask", "--app", "tests.reliability.wsgi:app", "jobs", "tidy"],
                       cwd=REPO, env={**os.environ, "DATABASE_URL": database_url, **env}, check=True,
                       capture_output=True)
        assert list(results.iterdir()) == []
        db.session.expire_all()
        [stored] = db.session.execute(select(ExportJob)).scalars().all()
        assert stored.state == "failed" and stored.filename is None
        # Started again, with a worker, it is made whole.
        again = start(browser, base_url, dialogue_id, "gpkg")
        with job_worker(database_url, env):
            finished(browser, again + "/status")
        answer = browser.get(again + "/fil", timeout=120)
        path = tmp_path / "again.gpkg"
        path.write_bytes(answer.content)
        import pyogrio

        assert pyogrio.read_info(path, layer="pins")["features"] == PINS


@pytest.mark.slow
def test_an_expired_file_is_gone_and_says_so(make, database_url, tmp_path):
    dialogue = make.dialogue()
    make.pin(dialogue)
    email = make.user(dialogue.municipality, "working_group").email
    dialogue_id = dialogue.id
    env = jobs_env(tmp_path)
    with gunicorn(database_url, workers=1, env=env) as base_url, job_worker(database_url, env):
        browser = logged_in(base_url, email)
        job_page = start(browser, base_url, dialogue_id, "csv")
        finished(browser, job_page + "/status")
        db.session.execute(update(ExportJob).values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
        db.session.commit()
        answer = browser.get(job_page + "/fil", timeout=30)
        assert answer.status_code == 410 and "Filen har gått ut" in answer.text
        subprocess.run([sys.executable, "-m", "flask", "--app", "tests.reliability.wsgi:app", "jobs", "tidy"],
                       cwd=REPO, env={**os.environ, "DATABASE_URL": database_url, **env}, check=True,
                       capture_output=True)
        assert list((tmp_path / "results").iterdir()) == []
        assert requests.get(job_page + "/fil", timeout=30, allow_redirects=False).status_code == 302
