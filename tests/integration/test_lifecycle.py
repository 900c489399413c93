"""A dialogue's lifecycle: only legal transitions, automatic closing at the end date, audited."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Dialogue
from app.planner.lifecycle import (
    TransitionError,
    close_expired_dialogues,
    next_statuses,
    transition,
)

from .planner_helpers import login, post

TODAY = date(2026, 11, 27)


@pytest.fixture
def english(app, make):
    """A request context in English, for the messages of refused transitions."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def test_a_dialogue_goes_draft_open_closed_archived(make):
    dialogue = make.dialogue(status="draft", opens_on=TODAY, closes_on=TODAY + timedelta(days=30))
    for target in ("open", "closed", "archived"):
        transition(dialogue, target, today=TODAY)
        assert dialogue.status == target
    db.session.commit()
    stored = db.session.get(Dialogue, dialogue.id)
    assert stored.status == "archived" and stored.opened_at and stored.closed_at
    actions = db.session.execute(
        select(AuditEvent.action).where(AuditEvent.object_id == dialogue.id)
        .order_by(AuditEvent.id)).scalars().all()
    assert actions == ["dialogue.open", "dialogue.close", "dialogue.archive"]


@pytest.mark.parametrize("start, target", [
    ("draft", "closed"), ("draft", "archived"), ("open", "draft"), ("open", "archived"),
    ("closed", "draft"), ("closed", "open"), ("archived", "open"), ("archived", "draft"),
    ("open", "open"), ("draft", "nonsense"),
])
def test_illegal_transitions_are_refused_and_change_nothing(make, english, start, target):
    dialogue = make.dialogue(status=start)
    with pytest.raises(TransitionError, match="cannot go from"):
        transition(dialogue, target, today=TODAY)
    assert dialogue.status == start


def test_next_statuses_lists_only_the_legal_step(make):
    assert next_statuses(make.dialogue(status="draft")) == ["open"]
    assert next_statuses(make.dialogue(status="archived")) == []


def test_a_draft_whose_end_date_has_passed_cannot_open(make, english):
    dialogue = make.dialogue(status="draft", opens_on=TODAY - timedelta(days=10),
                             closes_on=TODAY - timedelta(days=1))
    with pytest.raises(TransitionError, match="The end date has passed"):
        transition(dialogue, "open", today=TODAY)


def test_open_dialogues_close_after_their_end_date_and_no_sooner(make):
    ended = make.dialogue(opens_on=TODAY - timedelta(days=20), closes_on=TODAY - timedelta(days=1))
    last_day = make.dialogue(opens_on=TODAY - timedelta(days=20), closes_on=TODAY)
    open_ended = make.dialogue(opens_on=TODAY - timedelta(days=20), closes_on=None)
    draft = make.dialogue(status="draft", opens_on=TODAY - timedelta(days=20),
                          closes_on=TODAY - timedelta(days=1))
    closed = close_expired_dialogues(TODAY)
    db.session.commit()
    assert [d.id for d in closed] == [ended.id]
    statuses = {d.id: d.status for d in db.session.execute(select(Dialogue)).scalars()}
    assert statuses == {ended.id: "closed", last_day.id: "open", open_ended.id: "open",
                        draft.id: "draft"}
    event = db.session.execute(select(AuditEvent).where(AuditEvent.object_id == ended.id)).scalar_one()
    assert event.action == "dialogue.close" and event.detail["reason"] == "end_date"
    assert event.user_id is None


def test_the_cli_command_closes_expired_dialogues(make, runner):
    ended = make.dialogue(opens_on=TODAY - timedelta(days=20), closes_on=TODAY - timedelta(days=1))
    result = runner.invoke(args=["dialogues", "close-expired", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert ended.slug in result.output and "1 dialog(er) stängda" in result.output
    db.session.expire_all()
    assert db.session.get(Dialogue, ended.id).status == "closed"


def test_a_request_closes_an_expired_dialogue_lazily(make, client):
    ended = make.dialogue(opens_on=date.today() - timedelta(days=20),
                          closes_on=date.today() - timedelta(days=2))
    page = client.get(f"/d/{ended.slug}")
    assert page.status_code == 200
    db.session.expire_all()
    assert db.session.get(Dialogue, ended.id).status == "closed"


def test_planners_change_the_status_with_a_button(make, client):
    dialogue = make.dialogue(status="draft")
    login(client, make.user(dialogue.municipality, "project_leader"))
    response = post(client, f"/planering/dialoger/{dialogue.id}/status", {"target": "open"},
                    follow_redirects=True)
    assert 'data-status="open"' in response.get_data(as_text=True)
    response = post(client, f"/planering/dialoger/{dialogue.id}/status", {"target": "archived"},
                    follow_redirects=True)
    assert "En dialog kan inte gå från Öppen till Arkiverad." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Dialogue, dialogue.id).status == "open"
