"""Rate limits and login throttling over HTTP, against gunicorn with several workers.

The per-address limit must hold whichever worker answers (the key is derived from SECRET_KEY and
the date, the counts live in Redis), and the per-account throttle must slow down a stranger
guessing one account without locking out its owner or the rest of the office behind the same NAT.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import requests
from sqlalchemy import update

from app.auth.throttle import FIRST_DELAY_SECONDS, FREE_FAILURES
from app.extensions import db
from app.models import LoginThrottle
from app.models.types import utcnow

from ..conftest import csrf_from
from .server import free_port, gunicorn, wait_until_up

PASSWORD = "rätt-lösenord-123"
LOGIN = "/konto/logga-in"


@pytest.fixture
def redis_url():
    """A throwaway Redis on a free loopback port, nothing written to disk."""
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is missing: run `bash scripts/setup.sh --test`")
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="pd-redis-")
    process = subprocess.Popen(  # noqa: S603
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", workdir], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import redis

        client = redis.Redis(port=port)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                subprocess.run(["sleep", "0.05"], check=True)  # noqa: S607
        yield f"redis://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def limited(app, database_url, redis_url):
    """gunicorn, 3 workers, rate limits on with Redis as their shared storage."""
    env = {"RATELIMIT_ENABLED": "1", "RATELIMIT_STORAGE_URI": redis_url}
    with gunicorn(database_url, workers=3, env=env) as base_url:
        wait_until_up(base_url + "/")
        yield base_url


class Browser:
    """One browser: its cookies and the login form's CSRF token."""

    def __init__(self, base: str):
        self.base = base
        self.session = requests.Session()
        self.session.headers["Accept-Language"] = "sv"
        self.token = csrf_from(self.session.get(base + LOGIN, timeout=30).text)

    def log_in(self, email: str, password: str = PASSWORD, *, fresh_connection: bool = False):
        """Post the login form (on a new TCP connection if asked, so any worker may answer)."""
        sender = self.session
        if fresh_connection:
            sender = requests.Session()
            sender.headers.update(self.session.headers)
            sender.cookies.update(self.session.cookies)
        return sender.post(self.base + LOGIN, data={"csrf_token": self.token, "email": email,
                                                    "password": password},
                           allow_redirects=False, timeout=60)


def test_the_per_address_login_limit_holds_across_workers(limited):
    browser = Browser(limited)
    # Ten wrong logins for ten names, three at a time, so every worker answers some of them.
    with ThreadPoolExecutor(3) as pool:
        answers = list(pool.map(lambda i: browser.log_in(f"gissning{i}@example.se", "fel",
                                                         fresh_connection=True), range(10)))
    assert [a.status_code for a in answers] == [200] * 10
    # One count for all workers: the last of the ten leaves nothing (per worker, some would be left).
    assert min(int(a.headers["X-RateLimit-Remaining"]) for a in answers) == 0, "each worker counted alone"
    refused = browser.log_in("gissning11@example.se", "fel", fresh_connection=True)
    assert refused.status_code == 429
    assert "För många försök" in refused.text


def test_a_stranger_guessing_an_account_is_slowed_while_the_owner_and_colleagues_log_in(make, served):
    municipality = make.municipality()
    owner, colleague = make.user(municipality), make.user(municipality)
    emails = owner.email, colleague.email
    owners_browser = Browser(served)
    assert owners_browser.log_in(emails[0]).status_code == 302  # the owner has logged in here before
    owners_browser.session.cookies.pop("session")

    attacker = Browser(served)  # same address (127.0.0.1), no known-browser cookie
    for _ in range(FREE_FAILURES):
        assert attacker.log_in(emails[0], "fel").status_code == 200
    blocked = attacker.log_in(emails[0])  # even the right password waits now
    assert blocked.status_code == 429
    assert "För många misslyckade inloggningar för det här kontot" in blocked.text
    assert 1 <= int(blocked.headers["Retry-After"]) <= FIRST_DELAY_SECONDS

    owners_browser.token = csrf_from(owners_browser.session.get(served + LOGIN, timeout=30).text)
    assert owners_browser.log_in(emails[0]).status_code == 302, "the owner is locked out"
    assert Browser(served).log_in(emails[1]).status_code == 302, "the office is locked out"


def test_the_delay_grows_with_every_failure_after_the_free_ones(make, served):
    email = make.user(make.municipality()).email
    attacker = Browser(served)
    for _ in range(FREE_FAILURES):
        attacker.log_in(email, "fel")
    first = int(attacker.log_in(email, "fel").headers["Retry-After"])

    def wait_out(seconds: int):  # as if the delay had passed (the one account's row: no key needed)
        earlier = utcnow() - timedelta(seconds=seconds)
        db.session.execute(update(LoginThrottle).values(last_failure_at=earlier))
        db.session.commit()

    wait_out(first + 1)
    again = attacker.log_in(email, "fel")
    assert again.status_code == 200, again.text[-1500:]  # allowed again, and wrong again
    second = int(attacker.log_in(email, "fel").headers["Retry-After"])
    assert first <= FIRST_DELAY_SECONDS < second <= 2 * FIRST_DELAY_SECONDS
    wait_out(second + 1)
    assert attacker.log_in(email).status_code == 302  # the right password after the wait
    assert Browser(served).log_in(email, "fel").status_code == 200  # and the count starts again


def test_an_address_without_an_account_is_throttled_the_same_way(served):
    attacker = Browser(served)
    answers = [attacker.log_in("finns.inte@example.se", "fel") for _ in range(FREE_FAILURES + 1)]
    assert [a.status_code for a in answers] == [200] * FREE_FAILURES + [429]
    assert "För många misslyckade inloggningar för det här kontot" in answers[-1].text

