"""Many residents at once on a real server: exactly what was sent is stored, once, even when the
database goes away for a while."""

from __future__ import annotations

import os
import threading
import time

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Pin, Response

from ..factories import Factories
from . import load
from .server import ThrowawayPostgres, app_on, gunicorn, migrate

# The issue asks for 10,000; at the ~130 full submissions/s one idle 2-core machine serves (and
# far fewer when it is shared) that is 75+ s, over the ~60 s a CI test may take. 5,000 keeps the
# same 50 clients and the same checks; PLATSDIALOG_LOAD_N=10000 runs the full figure by hand.
LOAD_N = int(os.environ.get("PLATSDIALOG_LOAD_N", "5000"))


def stored_counts(dialogue_id: int) -> tuple[int, int, dict[str, int]]:
    """(responses, distinct idempotency keys, pins per value) stored for a dialogue."""
    db.session.remove()
    responses = db.session.execute(
        select(func.count()).select_from(Response).where(Response.dialogue_id == dialogue_id)
    ).scalar_one()
    keys = db.session.execute(
        select(func.count(func.distinct(Response.idempotency_key))).where(Response.dialogue_id == dialogue_id)
    ).scalar_one()
    per_value = dict(
        db.session.execute(
            select(Pin.value, func.count()).where(Pin.dialogue_id == dialogue_id).group_by(Pin.value)
        ).all()
    )
    return responses, keys, per_value


def assert_exactly_stored(dialogue_id: int, items: list[load.Submission], report: load.LoadReport) -> None:
    assert report.failures == []
    assert report.stored >= len(items)
    responses, keys, per_value = stored_counts(dialogue_id)
    assert responses == len(items)
    assert keys == len(items)
    assert per_value == dict(load.expected_values(items))


@pytest.mark.slow
def test_every_submission_from_fifty_clients_is_stored_exactly_once(make, served):
    dialogue = make.dialogue()
    items = load.submissions(LOAD_N)
    report = load.run(served, dialogue.slug, items, clients=50)
    assert report.statuses.keys() <= {200, 503}
    assert_exactly_stored(dialogue.id, items, report)


@pytest.mark.slow
def test_every_submission_sent_twice_is_stored_once(make, served):
    dialogue = make.dialogue()
    items = load.submissions(max(LOAD_N // 10, 200))
    report = load.run(served, dialogue.slug, items, clients=50, copies=2)
    assert report.statuses[200] == 2 * len(items)  # the resend gets the same receipt
    assert_exactly_stored(dialogue.id, items, report)


def _interrupt_when_a_quarter_stored(report: load.LoadReport, total: int, fault) -> threading.Thread:
    """Run `fault` in a thread once a quarter of the submissions are stored: the clients are warm
    and three quarters are still to come, however fast or slow the machine is."""
    def run_fault():
        deadline = time.monotonic() + 300
        while report.stored < total // 4 and not report.failures and time.monotonic() < deadline:
            time.sleep(0.05)
        fault()
    thread = threading.Thread(target=run_fault)
    thread.start()
    return thread


@pytest.mark.slow
def test_postgresql_restart_during_load_loses_and_doubles_nothing(database_url, tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip("the PostgreSQL restart runs with the PostGIS suite")
    pg = ThrowawayPostgres()
    try:
        migrate(pg.url)
        with app_on(pg.url):
            dialogue = Factories().dialogue()
            slug, dialogue_id = dialogue.slug, dialogue.id
        items = load.submissions(min(LOAD_N, 1000))

        def restart():
            pg.stop()
            time.sleep(3)  # residents keep submitting while the database is away
            pg.start()

        with gunicorn(pg.url, workers=3) as base_url:
            report = load.LoadReport()
            fault = _interrupt_when_a_quarter_stored(report, len(items), restart)
            load.run(base_url, slug, items, clients=50, retry_cap=0.5, report=report)
            fault.join()
        assert report.statuses[503] > 0, "the restart was not seen by any client"
        assert report.statuses.keys() <= {200, 503}  # never a 500
        with app_on(pg.url):
            assert_exactly_stored(dialogue_id, items, report)
    finally:
        pg.destroy()


@pytest.mark.slow
def test_a_locked_spatialite_file_during_load_loses_and_doubles_nothing(database_url, tmp_path):
    if database_url.startswith("postgresql"):
        pytest.skip("the locked file runs with the SpatiaLite suite")
    import sqlean

    url = f"sqlite:///{tmp_path / 'locked.sqlite'}"
    migrate(url)
    with app_on(url):
        dialogue = Factories().dialogue()
        slug, dialogue_id = dialogue.slug, dialogue.id
    items = load.submissions(min(LOAD_N, 1000))

    def hold_lock():
        other = sqlean.connect(str(tmp_path / "locked.sqlite"), isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")  # another writer (a backup, a migration) holds the file
        time.sleep(3)
        other.execute("COMMIT")
        other.close()

    # A short busy timeout so the lock outlasts it and residents see 503, not a long wait.
    with gunicorn(url, workers=3, env={"SQLITE_BUSY_TIMEOUT_MS": "200"}) as base_url:
        report = load.LoadReport()
        fault = _interrupt_when_a_quarter_stored(report, len(items), hold_lock)
        load.run(base_url, slug, items, clients=50, retry_cap=0.5, report=report)
        fault.join()
    assert report.statuses[503] > 0, "the lock was not seen by any client"
    assert report.statuses.keys() <= {200, 503}
    with app_on(url):
        assert_exactly_stored(dialogue_id, items, report)
