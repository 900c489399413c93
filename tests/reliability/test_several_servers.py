"""The production layout on one machine: nginx in front of two gunicorn servers on one database,
Redis for the job queue and the rate limits, one job worker, a results folder they all share.

Residents connect from their own loopback addresses (127.0.x.y), so per-address limits see them
as different people, as nginx passes their address on (TRUSTED_PROXIES=1).
"""

from __future__ import annotations

import contextlib
import csv
import io
import threading
import time
import uuid

import pytest
import requests
from sqlalchemy import func, select

from app.extensions import db
from app.models import Response

from . import client, load
from .server import gunicorn_server, job_worker, nginx, redis_server
from .test_export_downloads import _CSRF, finished, logged_in


class Layout:
    """The running layout: the proxy's URL and the two servers behind it."""

    def __init__(self, proxy: str, servers: list):
        self.proxy, self.servers = proxy, servers


@pytest.fixture
def layout(database_url, tmp_path):
    """Redis, two gunicorn servers (two workers each), a job worker and nginx, on one database."""
    with contextlib.ExitStack() as stack:
        redis_url = stack.enter_context(redis_server())
        env = {"JOBS_URL": f"{redis_url}/0", "RATELIMIT_ENABLED": "1",
               "RATELIMIT_STORAGE_URI": f"{redis_url}/1", "JOB_RESULTS_DIR": str(tmp_path / "results"),
               "TRUSTED_PROXIES": "1"}
        servers = [stack.enter_context(gunicorn_server(database_url, workers=2, env=env)) for _ in range(2)]
        stack.enter_context(job_worker(database_url, env))
        proxy = stack.enter_context(nginx([s.url for s in servers]))
        yield Layout(proxy, servers)


def residents(n: int) -> list[str]:
    """n resident addresses on the loopback network, none of them 127.0.0.1."""
    return [f"127.0.{1 + i // 250}.{1 + i % 250}" for i in range(n)]


def stored_responses(dialogue_id: int) -> tuple[int, int]:
    """(responses, distinct idempotency keys) of the dialogue."""
    db.session.remove()
    return db.session.execute(
        select(func.count(), func.count(func.distinct(Response.idempotency_key)))
        .where(Response.dialogue_id == dialogue_id)
    ).one()


@pytest.mark.slow
def test_submissions_spread_over_both_servers_are_stored_exactly_once(make, layout):
    dialogue = make.dialogue()
    slug, dialogue_id = dialogue.slug, dialogue.id
    items = load.submissions(90)
    # Each item sent twice (a resident's retry): 180 requests from 30 addresses, 6 each.
    report = load.run(layout.proxy, slug, items, clients=30, copies=2, addresses=residents(30))
    assert report.failures == [] and report.statuses.keys() <= {200}
    assert stored_responses(dialogue_id) == (90, 90)
    upstreams = {requests.get(f"{layout.proxy}/d/{slug}", timeout=30).headers["X-Upstream"]
                 for _ in range(6)}
    assert upstreams == {s.url.removeprefix("http://") for s in layout.servers}


@pytest.mark.slow
def test_a_rate_limit_counts_requests_that_hit_either_server(make, layout):
    # The login form allows 10 attempts a minute from one address, whichever server answers.
    answers = []
    session = requests.Session()
    for i in range(11):
        page = session.get(f"{layout.proxy}/konto/logga-in", timeout=30)
        answer = session.post(f"{layout.proxy}/konto/logga-in", timeout=30, allow_redirects=False, data={
            "csrf_token": _CSRF.search(page.text).group(1), "email": f"ingen{i}@example.se",
            "password": "fel-lösenord"})
        answers.append((answer.status_code, answer.headers["X-Upstream"]))
    assert [status for status, _ in answers[:10]] == [200] * 10
    assert answers[10][0] == 429
    assert len({upstream for _, upstream in answers[:10]}) == 2  # both servers counted
    # Another resident's address is not limited by this one's attempts.
    other = requests.Session()
    other.mount("http://", client.FromAddress("127.0.9.9"))
    assert other.get(f"{layout.proxy}/konto/logga-in", timeout=30).status_code == 200


@pytest.mark.slow
def test_an_export_started_on_one_server_is_downloaded_from_the_other(make, layout):
    dialogue = make.dialogue()
    for i in range(7):
        make.pin(dialogue, text=f"Synpunkt {i}")
    email = make.user(dialogue.municipality, "working_group").email
    first, second = (s.url for s in layout.servers)
    browser = logged_in(first, email)
    page = browser.get(f"{first}/planering/dialoger/{dialogue.id}/export/", timeout=30)
    started = browser.post(f"{first}/planering/dialoger/{dialogue.id}/export/csv", timeout=30,
                           data={"csrf_token": _CSRF.search(page.text).group(1)})
    job_path = started.url.removeprefix(first)
    assert job_path.startswith(f"/planering/dialoger/{dialogue.id}/export/jobb/")
    finished(browser, second + job_path + "/status")  # the session cookie works on both
    answer = browser.get(second + job_path + "/fil", timeout=60)
    assert answer.status_code == 200
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert sorted(r["text"] for r in rows) == [f"Synpunkt {i}" for i in range(7)]


@pytest.mark.slow
def test_a_server_stopped_mid_load_loses_nothing_the_client_was_told_was_stored(make, layout):
    dialogue = make.dialogue()
    slug, dialogue_id = dialogue.slug, dialogue.id
    items = load.submissions(150, prefix=f"kill-{uuid.uuid4().hex[:6]}-")
    report = load.LoadReport()
    run = threading.Thread(target=load.run, args=(layout.proxy, slug, items), daemon=True,
                           kwargs={"clients": 30, "report": report, "addresses": residents(30)})
    run.start()
    deadline = time.monotonic() + 120
    while report.stored < len(items) // 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    layout.servers[0].kill()
    run.join(timeout=300)
    assert not run.is_alive()
    # Every submission was acknowledged in the end (resent with its key after a 502), each stored once.
    assert report.failures == [] and report.stored == len(items)
    assert stored_responses(dialogue_id) == (len(items), len(items))
