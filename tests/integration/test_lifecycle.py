"""A dialogue's lifecycle: only legal transitions, automatic closing at the end date, audited."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.domain import today_in_sweden
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
    ("closed", "draft"), ("archived", "open"), ("archived", "draft"),
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


def test_a_page_shows_an_expired_dialogue_closed_without_writing(make, client, app):
    ended = make.dialogue(opens_on=today_in_sweden() - timedelta(days=20),
                          closes_on=today_in_sweden() - timedelta(days=2))
    slug, ended_id = ended.slug, ended.id
    writes = []

    def on_statement(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(statement)

    from sqlalchemy import event
    event.listen(db.engine, "before_cursor_execute", on_statement)
    try:
        page = client.get(f"/d/{slug}", headers={"Accept-Language": "sv"})
        listing = client.get("/", headers={"Accept-Language": "sv"})
    finally:
        event.remove(db.engine, "before_cursor_execute", on_statement)
    assert page.status_code == 200 and "inte öppen för svar" in page.get_data(as_text=True)
    assert listing.status_code == 200
    assert writes == []  # nothing writes on a GET: the cron command records the change
    db.session.expire_all()
    stored = db.session.get(Dialogue, ended_id)
    assert stored.status == "open" and stored.effective_status == "closed"


def test_planners_change_the_status_with_a_button(make, client):
    dialogue = make.dialogue(status="draft")
    login(client, make.user(dialogue.municipality, "project_leader"))
    response = post(client, f"/planering/dialoger/{dialogue.id}/status", {"target": "open"},
                    follow_redirects=True)
    assert 'data-status="open"' in response.get_data(as_text=True)
    response = post(client, f"/planering/dialoger/{dialogue.id}/status",
                    {"target": "archived", "confirm": "1"}, follow_redirects=True)
    assert "En dialog kan inte gå från Öppen till Arkiverad." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Dialogue, dialogue.id).status == "open"


def _settings(client, dialogue_id: int) -> str:
    return client.get(f"/planering/dialoger/{dialogue_id}",
                      headers={"Accept-Language": "sv"}).get_data(as_text=True)


def test_closing_asks_for_confirmation_first(make, client):
    dialogue = make.dialogue()
    dialogue_id = dialogue.id
    make.pin(dialogue, state="pending")
    login(client, make.user(dialogue.municipality, "project_leader"))
    asked = post(client, f"/planering/dialoger/{dialogue_id}/status", {"target": "closed"},
                 headers={"Accept-Language": "sv"})
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Invånarna kan inte längre svara" in page
    assert "1 synpunkt totalt" in page and "1 väntar" in page
    db.session.expire_all()
    assert db.session.get(Dialogue, dialogue_id).status == "open"  # asking changed nothing
    done = post(client, f"/planering/dialoger/{dialogue_id}/status",
                {"target": "closed", "confirm": "1", "reason": "Alla möten är klara"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Dialogue, dialogue_id).status == "closed"
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "dialogue.close")
                               ).scalar_one()
    assert event.detail["reason"] == "Alla möten är klara"


def test_the_working_group_proposes_closing_but_cannot_close(make, client):
    dialogue = make.dialogue()
    dialogue_id, municipality = dialogue.id, dialogue.municipality
    leader = make.user(municipality, "project_leader")
    login(client, make.user(municipality, "working_group"))
    page = _settings(client, dialogue_id)
    assert "Föreslå stängning" in page and 'value="closed"' not in page
    refused = post(client, f"/planering/dialoger/{dialogue_id}/status",
                   {"target": "closed", "confirm": "1"})
    assert refused.status_code == 403
    proposed = post(client, f"/planering/dialoger/{dialogue_id}/foresla-stangning",
                    {"reason": "Inga nya synpunkter på två veckor"})
    assert proposed.status_code == 302
    db.session.expire_all()
    assert db.session.get(Dialogue, dialogue_id).status == "open"
    login(client, leader)
    page = _settings(client, dialogue_id)
    assert "Arbetsgruppen föreslår att dialogen stängs" in page
    assert "Inga nya synpunkter på två veckor" in page


def test_the_project_leader_reopens_with_a_new_end_date_and_a_reason(make, client):
    dialogue = make.dialogue(status="closed", opens_on=today_in_sweden() - timedelta(days=30),
                             closes_on=today_in_sweden() - timedelta(days=1))
    dialogue_id = dialogue.id
    login(client, make.user(dialogue.municipality, "project_leader"))
    url = f"/planering/dialoger/{dialogue_id}/slutdatum"
    new_end = today_in_sweden() + timedelta(days=14)
    no_reason = post(client, url, {"closes_on": new_end.isoformat()}, follow_redirects=True,
                     headers={"Accept-Language": "sv"})
    assert "Skriv varför" in no_reason.get_data(as_text=True)
    past = post(client, url, {"closes_on": (today_in_sweden() - timedelta(days=1)).isoformat(),
                              "reason": "x"}, follow_redirects=True,
                headers={"Accept-Language": "sv"})
    assert "i dag eller senare" in past.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Dialogue, dialogue_id).status == "closed"
    reopened = post(client, url, {"closes_on": new_end.isoformat(),
                                  "reason": "Nämnden bad om två veckor till"})
    assert reopened.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Dialogue, dialogue_id)
    assert (stored.status, stored.closes_on, stored.days_left) == ("open", new_end, 14)
    events = {e.action: e.detail for e in db.session.execute(select(AuditEvent)).scalars()}
    assert events["dialogue.reopen"]["reason"] == "Nämnden bad om två veckor till"
    assert events["dialogue.extend"]["new_end"] == new_end.isoformat()
    assert events["dialogue.extend"]["reopened"] is True


def test_the_working_group_cannot_extend(make, client):
    dialogue = make.dialogue()
    dialogue_id, end = dialogue.id, dialogue.closes_on
    login(client, make.user(dialogue.municipality, "working_group"))
    response = post(client, f"/planering/dialoger/{dialogue_id}/slutdatum",
                    {"closes_on": (end + timedelta(days=5)).isoformat(), "reason": "x"})
    assert response.status_code == 403
    moved = post(client, f"/planering/dialoger/{dialogue_id}", {
        "title": "T", "slug": dialogue.slug, "languages": "sv", "moderation": "post",
        "closes_on": (end + timedelta(days=5)).isoformat(), "phase": "2"},
        headers={"Accept-Language": "sv"})
    assert moved.status_code == 422 and "Efter öppnandet ändrar projektledaren" in moved.get_data(
        as_text=True)
    db.session.expire_all()
    assert db.session.get(Dialogue, dialogue_id).closes_on == end


def test_the_dialogue_list_shows_comments_waiting_and_days_left(make, client):
    dialogue = make.dialogue(closes_on=today_in_sweden() + timedelta(days=9))
    for state in ("pending", "pending", "published"):
        make.pin(dialogue, state=state)
    login(client, make.user(dialogue.municipality))
    page = client.get("/planering/", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert "<td data-comments>3</td>" in page and "<td data-waiting>2</td>" in page
    assert "<td data-days-left>9 dagar</td>" in page


def test_the_project_leader_extends_an_open_dialogue_with_a_reason(make, client):
    dialogue = make.dialogue(closes_on=today_in_sweden() + timedelta(days=3))
    dialogue_id, old_end = dialogue.id, dialogue.closes_on
    login(client, make.user(dialogue.municipality, "project_leader"))
    new_end = old_end + timedelta(days=7)
    response = post(client, f"/planering/dialoger/{dialogue_id}/slutdatum",
                    {"closes_on": new_end.isoformat(), "reason": "Skollovet"},
                    follow_redirects=True, headers={"Accept-Language": "sv"})
    assert "Dialogen slutar nu" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Dialogue, dialogue_id).closes_on == new_end
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "dialogue.extend")
                               ).scalar_one()
    assert event.detail == {"previous_end": old_end.isoformat(), "new_end": new_end.isoformat(),
                            "reopened": False, "reason": "Skollovet"}
