"""The moderation queue at scale: pages, filters, bulk decisions, counts in Swedish, answers."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Dialogue, Feedback, Pin
from app.moderation.flags import flags_for

from .planner_helpers import login, post

SV = {"Accept-Language": "sv"}


def _queue(client, dialogue_id: int, query: str = "") -> str:
    response = client.get(f"/planering/dialoger/{dialogue_id}/moderering{query}", headers=SV)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _ids(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<li class="card [^"]*" id="pin-(\d+)"', page)]


def _next(page: str, rel: str = "next") -> str | None:
    match = re.search(rf'<a href="([^"]+)" rel="{rel}">', page)
    return match.group(1).replace("&amp;", "&") if match else None


def _world(make, count: int, **pin_fields):
    dialogue = make.dialogue()
    dialogue_id = dialogue.id
    user = make.user(dialogue.municipality)
    start = datetime(2026, 11, 1, 12, tzinfo=UTC)
    for n in range(count):
        make.pin(dialogue, text=f"Kommentar {n}", created_at=start + timedelta(minutes=n),
                 state=("published", "pending", "hidden")[n % 3],
                 value=("safety", "justice", "development")[n % 3], **pin_fields)
    return dialogue_id, user


def test_the_queue_pages_through_every_comment_once_waiting_first(client, make):
    dialogue_id, user = _world(make, 120)
    login(client, user)
    page = _queue(client, dialogue_id)
    assert "120 synpunkter totalt" in page and "40 väntar" in page and "40 dolda" in page
    assert re.search(r'<p role="status" id="queue-status">120 synpunkter\.', page)
    seen, url = [], None
    while True:
        ids = _ids(page)
        assert 0 < len(ids) <= 50
        seen += ids
        url = _next(page)
        if url is None:
            break
        page = client.get(url, headers=SV).get_data(as_text=True)
    assert len(seen) == 120 and len(set(seen)) == 120
    states = {p.id: p.moderation_state for p in db.session.execute(select(Pin)).scalars()}
    ranks = [0 if states[i] == "pending" else 1 for i in seen]
    assert ranks == sorted(ranks)  # every waiting comment before the others
    # Back from the last page gives the page before it, in the same order.
    previous = client.get(_next(page, "prev"), headers=SV).get_data(as_text=True)
    assert _ids(previous) == seen[50:100]


def test_filters_by_state_value_flag_and_date(client, make):
    dialogue_id, user = _world(make, 30)
    spam = "Köp billigt på http://example.com/x"
    make.pin(db.session.get(Dialogue, dialogue_id), text=spam, flags=flags_for(spam),
             state="pending", created_at=datetime(2026, 11, 20, 9, tzinfo=UTC))
    login(client, user)
    assert len(_ids(_queue(client, dialogue_id, "?state=pending"))) == 11
    assert len(_ids(_queue(client, dialogue_id, "?value=justice&state=pending"))) == 10
    linked = _queue(client, dialogue_id, "?flag=link")
    assert len(_ids(linked)) == 1 and 'data-flag="link">Länk<' in linked
    assert len(_ids(_queue(client, dialogue_id, "?flag=any"))) == 1
    # 2026-11-01 12:00 UTC + n minutes: all 30 on 1 November, the link on the 20th.
    assert len(_ids(_queue(client, dialogue_id, "?from=2026-11-02"))) == 1
    assert len(_ids(_queue(client, dialogue_id, "?to=2026-11-01"))) == 30
    ignored = _queue(client, dialogue_id, "?from=²⁰²⁶-11-01&state=bogus")
    assert "Några filter förstods inte" in ignored and len(_ids(ignored)) == 31


def test_a_forged_page_link_is_a_400_not_a_500(client, make):
    dialogue_id, user = _world(make, 3)
    login(client, user)
    for cursor in ("1-²0261101T120000000000-1", "x", "1-20261399T120000000000-1"):
        response = client.get(f"/planering/dialoger/{dialogue_id}/moderering?after={cursor}")
        assert response.status_code == 400


def test_bulk_publish_and_hide_in_one_go_each_audited(client, make):
    dialogue_id, user = _world(make, 9)
    login(client, user)
    waiting = [p.id for p in db.session.execute(
        select(Pin).where(Pin.moderation_state == "pending")).scalars()]
    url = f"/planering/dialoger/{dialogue_id}/moderering/flera"
    response = post(client, url, {"pin_ids": waiting, "action": "publish"}, headers=SV)
    assert response.status_code == 302
    db.session.expire_all()
    assert {db.session.get(Pin, i).moderation_state for i in waiting} == {"published"}
    no_reason = post(client, url, {"pin_ids": waiting[:2], "action": "hide"})
    assert no_reason.status_code == 302
    db.session.expire_all()
    assert {db.session.get(Pin, i).moderation_state for i in waiting} == {"published"}
    post(client, url, {"pin_ids": waiting[:2], "action": "hide", "reason": "Reklam"})
    db.session.expire_all()
    assert [db.session.get(Pin, i).moderation_reason for i in waiting[:2]] == ["Reklam", "Reklam"]
    actions = [e.action for e in db.session.execute(select(AuditEvent)).scalars()]
    assert actions.count("pin.publish") == 3 and actions.count("pin.hide") == 2


def test_bulk_refuses_bad_ids_and_other_dialogues_pins_changing_nothing(client, make):
    dialogue_id, user = _world(make, 3)
    other = make.dialogue()
    foreign = make.pin(other, state="pending").id
    login(client, user)
    url = f"/planering/dialoger/{dialogue_id}/moderering/flera"
    mine = [p.id for p in db.session.execute(select(Pin).where(Pin.dialogue_id == dialogue_id))
            .scalars()]
    assert post(client, url, {"pin_ids": ["²"], "action": "publish"}).status_code == 400
    assert post(client, url, {"pin_ids": [*mine, foreign], "action": "publish"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Pin, foreign).moderation_state == "pending"
    assert sorted(db.session.get(Pin, i).moderation_state for i in mine) == [
        "hidden", "pending", "published"]


def test_each_comment_has_a_small_map_with_its_place(client, make):
    dialogue_id, user = _world(make, 2)
    login(client, user)
    page = _queue(client, dialogue_id)
    assert page.count('<svg class="minimap"') == 2 and page.count("<circle ") == 2
    assert '<path id="minimap-area" d="M' in page and "<script>" not in page.split("<main")[1]


def test_an_answer_to_a_comment_is_shown_under_it_for_residents(client, make):
    dialogue = make.dialogue(show_others_pins=True)
    slug, dialogue_id = dialogue.slug, dialogue.id
    pin_id = make.pin(dialogue, text="Belysningen vid tunneln är trasig.").id
    login(client, make.user(dialogue.municipality))
    response = post(client, f"/planering/dialoger/{dialogue_id}/moderering/{pin_id}/svara",
                    {"text": "Tack! Vi lagar den i december."})
    assert response.status_code == 302
    reply = db.session.execute(select(Feedback)).scalar_one()
    assert (reply.pin_id, reply.published) == (pin_id, True)
    assert "Tack! Vi lagar den i december." in _queue(client, dialogue_id)
    landing = client.get(f"/d/{slug}", headers=SV).get_data(as_text=True)
    assert "Kommunen svarar" in landing and "Tack! Vi lagar den i december." in landing
