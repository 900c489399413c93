"""A resident's submission costs a fixed, small number of SQL statements, whatever it carries.

Counted with SQLAlchemy's `before_cursor_execute` (an executemany counts once, as it is one
statement sent once) and `commit` events, each request in its own application context as under a
real server, so nothing is served from an earlier request's session. A count, not a timing: it
catches a query per pin or per answer (N+1) creeping back in.
"""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import event, func, select

from app.extensions import db
from app.models import Answer, Pin, Response

from ..conftest import csrf_from
from ..factories import INSIDE, OUTSIDE, Factories

# The dialogue with its survey's hash, one containment query for all pins, and one INSERT each for
# the response, its answers and its pins.
MOST_STATEMENTS = 5
QUESTIONS = ("karta_trygghet", "karta_rattvisa", "karta_utveckling")
ANSWERS = {"samtycke": True, "trygg_kvall": 2, "undviker_platser": "ja",
           "undviker_varfor": ["belysning"]}


def _pins(n: int, where=INSIDE) -> list[dict]:
    return [{"question": QUESTIONS[i % 3], "sentiment": "negative", "comment": f"Plats {i}.",
             "location": {"kind": "map", "lat": where[0], "lng": where[1]}} for i in range(n)]


@pytest.fixture
def questionnaire(app, client):
    """A dialogue's slug and a CSRF token of its questionnaire page, with no session left open.

    One response is sent first: a process parses a survey version once, on its first submission.
    """
    with app.app_context():
        slug = Factories().dialogue().slug
    page = client.get(f"/d/{slug}/svara")
    token = csrf_from(page.get_data(as_text=True))
    first = client.post(f"/d/{slug}/svar", data=json.dumps(_payload(_pins(1))),
                        content_type="application/json", headers={"X-CSRFToken": token})
    assert first.status_code == 200
    return slug, token


def _count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def _counted(app, client, slug: str, token: str, payload: dict) -> tuple[int, list[str], int]:
    """POST one submission; its status, the statements it sent and the commits it made."""
    statements: list[str] = []
    commits: list[int] = []
    with app.app_context():
        engine = db.engine

    def on_statement(_conn, _cursor, statement, _params, _context, _many):
        statements.append(statement)

    def on_commit(_conn):
        commits.append(1)

    event.listen(engine, "before_cursor_execute", on_statement)
    event.listen(engine, "commit", on_commit)
    try:
        response = client.post(f"/d/{slug}/svar", data=json.dumps(payload),
                               content_type="application/json", headers={"X-CSRFToken": token})
    finally:
        event.remove(engine, "before_cursor_execute", on_statement)
        event.remove(engine, "commit", on_commit)
    return response.status_code, statements, len(commits)


def _payload(pins: list[dict], answers: dict = ANSWERS) -> dict:
    return {"key": str(uuid.uuid4()), "answers": answers, "pins": pins, "website": ""}


def test_a_submission_with_three_pins_and_answers_takes_at_most_five_statements_and_one_commit(
        app, client, questionnaire):
    slug, token = questionnaire
    status, statements, commits = _counted(app, client, slug, token, _payload(_pins(3)))
    assert status == 200
    assert len(statements) <= MOST_STATEMENTS, "\n\n".join(statements)
    assert commits == 1
    with app.app_context():
        assert (_count(Response), _count(Pin), _count(Answer)) == (2, 1 + 3, 4 + 4)


def test_more_pins_and_answers_cost_no_more_statements(app, client, questionnaire):
    slug, token = questionnaire
    _status, one, _commits = _counted(app, client, slug, token, _payload(_pins(1), {"samtycke": True}))
    status, thirty, commits = _counted(app, client, slug, token, _payload(_pins(30)))
    assert status == 200 and commits == 1
    assert len(thirty) == len(one), "\n\n".join(thirty)


def test_a_resend_under_a_stored_key_stores_nothing_more_and_costs_one_look_up(
        app, client, questionnaire):
    slug, token = questionnaire
    payload = _payload(_pins(3))
    first, _s, _c = _counted(app, client, slug, token, payload)
    status, statements, _commits = _counted(app, client, slug, token, payload)
    assert first == status == 200
    assert len(statements) <= MOST_STATEMENTS - 1, "\n\n".join(statements)
    with app.app_context():
        assert (_count(Response), _count(Pin)) == (2, 1 + 3)


def test_a_refused_submission_writes_nothing_and_asks_about_all_pins_at_once(
        app, client, questionnaire):
    slug, token = questionnaire
    pins = _pins(3)
    pins[1]["location"] = {"kind": "map", "lat": OUTSIDE[0], "lng": OUTSIDE[1]}
    status, statements, commits = _counted(app, client, slug, token, _payload(pins))
    assert status == 422
    assert commits == 0
    assert len(statements) <= 2, "\n\n".join(statements)
    assert not any(s.lstrip().upper().startswith("INSERT") for s in statements)
    with app.app_context():
        assert (_count(Response), _count(Pin)) == (1, 1)
