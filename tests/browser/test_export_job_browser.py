"""A planner takes a big export in Chromium, served by gunicorn with a real job worker: the bar
moves while the worker reads, the download appears without a reload, and axe finds nothing."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from ..analysis_helpers import many_pins
from ..reliability.server import gunicorn, job_worker

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PINS = 20_000


def violations(page) -> list:
    """axe-core's violations on the page as it is now."""
    return [(v["id"], v["help"]) for v in Axe().run(page).response["violations"]]


def test_the_progress_bar_moves_and_the_download_appears(page, make, database_url, tmp_path):
    dialogue = make.dialogue()
    many_pins(dialogue, PINS)
    user = make.user(dialogue.municipality, "working_group")
    dialogue_id = dialogue.id
    env = {"JOBS_URL": f"sqlite:///{tmp_path / 'jobs.sqlite'}", "JOB_RESULTS_DIR": str(tmp_path / "results"),
           "EXPORT_BATCH_ROWS": "500", "JOB_HEARTBEAT_SECONDS": "0.5"}
    with gunicorn(database_url, workers=1, env=env) as base_url:
        page.goto(f"{base_url}/konto/logga-in?lang=sv")
        page.get_by_label("E-postadress").fill(user.email)
        page.get_by_label("Lösenord").fill("rätt-lösenord-123")
        page.keyboard.press("Enter")
        page.wait_for_url("**/planering/")
        page.goto(f"{base_url}/planering/dialoger/{dialogue_id}/export/")
        page.locator("form[data-format=csv]").get_by_role("button", name="Skapa filen").click()
        page.wait_for_url("**/export/jobb/*")
        status = page.get_by_role("status")
        assert "väntar i kö" in status.inner_text()  # no worker has it yet
        assert violations(page) == []
        with job_worker(database_url, env):
            # The page follows the job by itself: the bar fills while the rows are read.
            bar = page.locator("#job-progress")
            readings = []
            for _ in range(1200):
                readings.append(bar.evaluate("e => [e.value, e.max]"))
                if readings[-1][0] > 0:
                    break
                page.wait_for_timeout(100)
            done, total = readings[-1]
            assert 0 < done <= total == PINS
            link = page.get_by_role("link", name="Ladda ner filen")
            link.wait_for(timeout=120_000)
        assert "klar" in status.inner_text()
        assert violations(page) == []
        with page.expect_download() as download:
            link.click()
        path = download.value.path()
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        assert len(lines) == PINS + 1  # the header and every pin
