"""The municipalities' day, on a server whose clock shows another date.

A server on UTC is an hour behind Sweden every night (two in summer), and a server may be set to
any time zone. Days left, the date in an export's name and method sheet, the report's date and the
nightly purge follow the day in Sweden. Each test here moves this process's local time zone to one
where it is another date than in Stockholm at this moment, so a `date.today()` anywhere on the
path gives a wrong answer, whatever hour the suite runs.
"""

from __future__ import annotations

import io
import time
from datetime import date, datetime, timedelta

import pytest
from flask_babel import format_date
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.domain import MUNICIPAL_TIMEZONE, today_in_sweden
from app.extensions import db
from app.models import Pin
from app.records.retention import add_months

from .export_helpers import take_export
from .planner_helpers import login

SV = {"Accept-Language": "sv"}


@pytest.fixture(autouse=True)
def server_on_another_day(monkeypatch):
    """Set the process's zone twelve or fourteen hours from UTC, on the other side of midnight."""
    # POSIX zones need no tz database: "XXX+12" is twelve hours behind UTC, "XXX-14" fourteen ahead.
    behind = datetime.now(MUNICIPAL_TIMEZONE).hour < 12
    monkeypatch.setenv("TZ", "XXX+12" if behind else "XXX-14")
    time.tzset()
    assert date.today() == today_in_sweden() + timedelta(days=-1 if behind else 1)
    yield
    monkeypatch.undo()
    time.tzset()


def test_days_left_count_from_the_day_in_sweden(make, client):
    dialogue = make.dialogue(closes_on=today_in_sweden() + timedelta(days=9))
    login(client, make.user(dialogue.municipality, "project_leader"))
    listing = client.get("/planering/", headers=SV).get_data(as_text=True)
    assert "<td data-days-left>9 dagar</td>" in listing
    settings = client.get(f"/planering/dialoger/{dialogue.id}", headers=SV).get_data(as_text=True)
    assert "9 dagar kvar." in settings


def test_an_export_is_dated_with_the_day_in_sweden(make, client):
    dialogue = make.dialogue()
    make.pin(dialogue)
    login(client, make.user(dialogue.municipality, "project_leader"))
    today = today_in_sweden().isoformat()

    csv_file = take_export(client, dialogue.id, "csv", headers=SV)
    assert csv_file.status_code == 200
    assert f"{dialogue.slug}-{today}.csv" in csv_file.headers["Content-Disposition"]

    xlsx_file = take_export(client, dialogue.id, "xlsx", headers=SV)
    assert f"{dialogue.slug}-{today}.xlsx" in xlsx_file.headers["Content-Disposition"]
    method = load_workbook(io.BytesIO(xlsx_file.get_data()), read_only=True)["Metod"]
    exported = [row[2] for row in method.iter_rows(values_only=True) if row[0] == "Exporterad"]
    assert exported == [today]

    report = take_export(client, dialogue.id, "report-html", headers=SV).get_data(as_text=True)
    with client.application.test_request_context(headers=SV):
        made = format_date(today_in_sweden(), "long")
    assert f"Rapporten är gjord {made}." in report


def test_the_nightly_purge_deletes_what_is_due_today_in_sweden_and_nothing_due_tomorrow(make, runner):
    def closed_a_year_before(day: date) -> int:
        closed_on = add_months(day, -12)
        dialogue = make.dialogue(status="closed", opens_on=closed_on - timedelta(days=30),
                                 closes_on=closed_on, retention_months=12)
        make.pin(dialogue)
        return dialogue.id

    due_today = closed_a_year_before(today_in_sweden())
    due_tomorrow = closed_a_year_before(today_in_sweden() + timedelta(days=1))

    purged = runner.invoke(args=["records", "purge"])
    assert purged.exit_code == 0, purged.output
    db.session.expire_all()
    left = dict(db.session.execute(select(Pin.dialogue_id, func.count()).group_by(Pin.dialogue_id)).all())
    assert (left.get(due_today, 0), left.get(due_tomorrow, 0)) == (0, 1)
