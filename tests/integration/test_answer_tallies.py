"""The answer tallies give the statistics page the same numbers as grouping `answer` itself.

Answers and pins are written, changed, moved and deleted the ways the app does (ORM, bulk UPDATE,
deletes, the cascade from a deleted response and from a deleted dialogue), and after each round
the answers per question, the pins per demographic group, and the pins per day, per value and per
cell under a demographic-group filter are compared with the GROUP BY over `answer` and `pin` they
replaced, on SpatiaLite and on PostGIS (the triggers differ between them).
"""

from __future__ import annotations

from datetime import UTC, date

from sqlalchemy import JSON, case, delete, func, insert, literal, select, update

from app import tally
from app.analysis import stats
from app.analysis.filters import PinFilter, day_start
from app.analysis.grid import pin_groups
from app.domain import SENTIMENTS, VALUES
from app.extensions import db
from app.models import Answer, AnswerPinTally, AnswerTally, Dialogue, Pin, Response, ResponseOption
from app.surveys import definition_from_frozen
from app.surveys.answers import chosen_ids

AGES = ("age_16_24", "age_25_44", "age_65_79")
FILTERS = (PinFilter(), PinFilter(sentiments=("negative", "idea")),
           PinFilter(date_from=date(2020, 1, 1)), PinFilter(groups={"alder": "age_25_44"}),
           PinFilter(groups={"relation": "arbetar"}, sentiments=("idea",)),
           PinFilter(groups={"alder": "age_16_24"}, date_from=date(2020, 1, 1)),
           PinFilter(groups={"alder": "age_16_24", "relation": "bor"}))
STATES = (("published", "pending"), ("hidden", "pending", "published"))


def _raw(monkeypatch):
    """Switch the tally readers off, so the same functions group `answer` and `pin` as before."""
    for reader in ("answer_rows", "answer_pin_rows", "cell_rows", "hour_rows"):
        monkeypatch.setattr(tally, reader, lambda *a, **k: None)


def _figures(dialogue_id: int) -> dict:
    dialogue = db.session.get(Dialogue, dialogue_id)
    definition = definition_from_frozen(dialogue.survey_version.definition)
    figures = {"questions": [(q.question_id, q.answered, q.rows)
                             for q in stats.question_counts(dialogue_id, definition, "sv")]}
    for i, f in enumerate(FILTERS):
        counts = stats.pin_counts(dialogue_id, f, [q.id for q in definition.group_questions()])
        figures[("groups", i)] = [(q, [(r.option_id, r.respondents, r.pins) for r in rows])
                                  for q, _text, rows in stats.demographic_groups(dialogue_id, definition,
                                                                                 "sv", counts)]
        figures[("values", i)] = counts.per_value()
        figures[("days", i)] = counts.per_day()
        for size in (50, 250):
            for states in STATES:
                for map_only in (True, False):
                    g = pin_groups(dialogue_id, size, f, states=states, map_only=map_only)
                    figures[("cells", i, size, states, map_only)] = (
                        {(c.easting, c.northing): c.by_value_sentiment for c in g.cells}, g.at_places)
    return figures


def _chosen_options(dialogue_id: int) -> tuple[set, set]:
    """The group options each response chose, from response_option and from the answers themselves."""
    listed = set(db.session.execute(select(ResponseOption.response_id, ResponseOption.question_id,
                                           ResponseOption.option_id)
                                    .where(ResponseOption.dialogue_id == dialogue_id)).all())
    answers = db.session.execute(select(Answer.response_id, Answer.question_id, Answer.value)
                                 .join(Response, Response.id == Answer.response_id)
                                 .where(Response.dialogue_id == dialogue_id,
                                        Answer.question_id.in_(("alder", "relation")))).all()
    return listed, {(r, q, o) for r, q, value in answers for o in chosen_ids(value)}


def _by_hand(dialogue_id: int) -> dict:
    """The pins per group option and value, and per value and sentiment, under each filter, counted
    in Python from the rows themselves (the two-group filter has no tally to compare with)."""
    definition = definition_from_frozen(db.session.get(Dialogue, dialogue_id).survey_version.definition)
    answers = {(r, q): v for r, q, v in db.session.execute(
        select(Answer.response_id, Answer.question_id, Answer.value)
        .join(Response, Response.id == Answer.response_id).where(Response.dialogue_id == dialogue_id))}
    pins = db.session.execute(select(Pin.response_id, Pin.value, Pin.sentiment, Pin.created_at)
                              .where(Pin.dialogue_id == dialogue_id,
                                     Pin.moderation_state.in_(("published", "pending")))).all()
    figures = {}
    for i, f in enumerate(FILTERS):
        groups = {(q.id, o.id): dict.fromkeys(VALUES, 0) for q in definition.group_questions()
                  for o in q.options}
        values = {v: dict.fromkeys(SENTIMENTS, 0) for v in VALUES}
        for response_id, value, sentiment, created_at in pins:
            if ((f.sentiments and sentiment not in f.sentiments)
                    or (f.date_from and created_at.replace(tzinfo=UTC) < day_start(f.date_from))
                    or any(o not in chosen_ids(answers.get((response_id, q))) for q, o in f.groups.items())):
                continue
            values[value][sentiment] += 1
            for q in definition.group_questions():
                for o in chosen_ids(answers.get((response_id, q.id))):
                    if (q.id, o) in groups:
                        groups[(q.id, o)][value] += 1
        figures[("groups", i)] = groups
        figures[("values", i)] = values
    return figures


def _assert_same(dialogue_id: int, monkeypatch) -> dict:
    listed, chosen = _chosen_options(dialogue_id)
    assert listed == chosen
    fast = _figures(dialogue_id)
    by_hand = _by_hand(dialogue_id)
    for i in range(len(FILTERS)):
        assert fast[("values", i)] == by_hand[("values", i)], FILTERS[i]
        assert {(q, o): pins for q, rows in fast[("groups", i)] for o, _n, pins in rows} \
            == by_hand[("groups", i)], FILTERS[i]
    with monkeypatch.context() as m:
        _raw(m)
        slow = _figures(dialogue_id)
    assert fast == slow
    return fast


def _respond(make, dialogue, i: int, *, pins: int = 2, long_text: bool = False, answers: bool = True) -> int:
    """A response with some pins and (unless told) age, Likert, choice and multi-choice answers; its id."""
    pin = make.pin(dialogue, lat=59.4100 + (i % 4) * 0.0009, lng=17.9240 + (i // 4) * 0.0013,
                   value=("safety", "justice", "development")[i % 3],
                   sentiment=("negative", "positive", "idea")[i % 3],
                   state=("published", "pending", "hidden")[(i // 2) % 3])
    response = db.session.get(Response, pin.response_id)
    for k in range(pins - 1):
        response.pins.append(Pin(dialogue_id=dialogue.id, location_kind="described",
                                 value=("justice", "safety")[k % 2], sentiment="idea",
                                 text="Vid skolan", moderation_state="published"))
    if answers:
        response.answers += [
            Answer(question_id="alder", value=AGES[i % 3]),
            Answer(question_id="trygg_kvall", value=1 + i % 5),
            Answer(question_id="relation", value=["bor", "arbetar"][: 1 + i % 2]),
            Answer(question_id="undviker_platser",
                   value={"selected": "ja", "other": "x" * 500} if long_text else ("ja", "nej")[i % 2]),
        ]
    db.session.commit()
    return response.id


def _tally_sum(model, dialogue_id: int) -> int:
    return db.session.execute(select(func.coalesce(func.sum(model.n), 0))
                              .where(model.dialogue_id == dialogue_id)).scalar()


def test_answer_tallies_agree_with_the_answers_through_every_kind_of_write(make, monkeypatch):
    dialogue = make.dialogue()
    other = make.dialogue(make.area(dialogue.municipality))  # its answers must never be counted here
    _respond(make, other, 1)
    ids = [_respond(make, dialogue, i, pins=1 + i % 3) for i in range(12)]
    dialogue_id = dialogue.id
    fast = _assert_same(dialogue_id, monkeypatch)
    assert fast["questions"][0][1] == 12  # every respondent answered the Likert question
    assert tally.answer_rows(dialogue_id, ["alder", "relation"])  # the tallies answer, not the fallback
    assert tally.answer_pin_rows(dialogue_id, ["alder"], PinFilter(), ("published", "pending"))
    one_group = PinFilter(groups={"alder": "age_25_44"})  # read from the tallies of pins per answer
    assert tally.cell_rows(dialogue_id, 250, one_group, ("published", "pending"), True)
    assert tally.hour_rows(dialogue_id, one_group, ("published", "pending"), ("value",))
    crossed = tally.answer_pin_rows(dialogue_id, ["alder", "relation"], one_group, ("published", "pending"))
    assert {q for q, *_rest in crossed} == {"alder", "relation"}  # the pair tally gives "relation"
    # Only group questions' answers are paired with pins (the Likert's and the others' are not).
    assert set(db.session.execute(select(AnswerPinTally.question_id).distinct()
                                  .where(AnswerPinTally.dialogue_id == dialogue_id)).scalars()) \
        == {"alder", "relation"}

    # Moderation of pins: through the ORM, then in bulk as the queue's buttons do.
    pin_ids = list(db.session.execute(select(Pin.id).where(Pin.dialogue_id == dialogue_id)
                                      .order_by(Pin.id)).scalars())
    db.session.get(Pin, pin_ids[0]).moderation_state = "hidden"
    db.session.get(Pin, pin_ids[1]).value = "development"
    db.session.commit()
    db.session.execute(update(Pin).where(Pin.id.in_(pin_ids[2:9])).values(moderation_state="published",
                                                                           sentiment="negative"))
    db.session.commit()
    _assert_same(dialogue_id, monkeypatch)

    # A map pin moved to another cell (as a planner's correction does), and one described pin
    # placed on the map.
    on_map = db.session.execute(select(Pin).where(Pin.dialogue_id == dialogue_id,
                                                  Pin.location_kind == "map").order_by(Pin.id)).scalar()
    on_map.sweref_e, on_map.sweref_n = on_map.sweref_e + 730, on_map.sweref_n - 260
    described = db.session.execute(select(Pin).where(Pin.dialogue_id == dialogue_id,
                                                     Pin.location_kind == "described")).scalar()
    described.location_kind, described.sweref_e, described.sweref_n = "map", on_map.sweref_e, on_map.sweref_n
    db.session.commit()
    _assert_same(dialogue_id, monkeypatch)

    # Answers changed one by one and in bulk; one answer deleted.
    answer = db.session.execute(select(Answer).where(Answer.response_id == ids[0],
                                                     Answer.question_id == "alder")).scalar_one()
    answer.value = "age_80_plus"
    db.session.commit()
    db.session.execute(update(Answer).where(Answer.response_id.in_(ids[1:4]),
                                            Answer.question_id == "relation").values(value=["studerar"]))
    db.session.execute(delete(Answer).where(Answer.response_id == ids[4], Answer.question_id == "alder"))
    db.session.commit()
    _assert_same(dialogue_id, monkeypatch)

    # Two answers of one response changed in one statement (pairs of old with old), and a response
    # whose answers come after its pins, all in one INSERT (pairs of new with new).
    both = case((Answer.question_id == "alder", literal("age_16_24", JSON)), else_=literal(["besoker"], JSON))
    db.session.execute(update(Answer).where(Answer.response_id == ids[2]).values(value=both))
    late = db.session.get(Response, _respond(make, dialogue, 13, pins=3, answers=False))
    db.session.execute(insert(Answer).values([
        {"response_id": late.id, "question_id": "alder", "value": "age_65_79"},
        {"response_id": late.id, "question_id": "relation",
         "value": {"selected": ["bor", "studerar"], "other": "Sommarstuga"}}]))
    db.session.commit()
    _assert_same(dialogue_id, monkeypatch)

    # Deletion: a pin; a response by SQL (answers and pins by the foreign key's cascade); one through
    # the ORM (which deletes its answers and pins first); answers then the response, as retention does.
    db.session.execute(delete(Pin).where(Pin.id == pin_ids[-1]))
    db.session.execute(delete(Response).where(Response.id == ids[5]))
    db.session.delete(db.session.get(Response, ids[6]))
    db.session.commit()
    db.session.execute(delete(Answer).where(Answer.response_id.in_(ids[7:9])))
    db.session.execute(delete(Response).where(Response.id.in_(ids[7:9])))
    db.session.commit()
    fast = _assert_same(dialogue_id, monkeypatch)
    assert fast["questions"][0][1] == 8

    # A deleted dialogue leaves no tally row, and the other dialogue's counts are untouched.
    other_id = other.id
    before = _figures(other_id)
    db.session.execute(delete(Dialogue).where(Dialogue.id == dialogue_id))
    db.session.commit()
    assert _tally_sum(AnswerTally, dialogue_id) == 0
    assert db.session.execute(select(func.count()).select_from(AnswerPinTally)
                              .where(AnswerPinTally.dialogue_id == dialogue_id)).scalar() == 0
    assert _figures(other_id) == before
    _assert_same(other_id, monkeypatch)


def test_a_long_free_text_answer_is_grouped_from_the_answers(make, monkeypatch):
    dialogue = make.dialogue()
    _respond(make, dialogue, 0, long_text=True)
    _respond(make, dialogue, 1)
    assert tally.answer_rows(dialogue.id, ["undviker_platser"]) is None
    assert tally.answer_rows(dialogue.id, ["alder"]) is not None
    fast = _assert_same(dialogue.id, monkeypatch)
    assert {q: answered for q, answered, _rows in fast["questions"]}["undviker_platser"] == 2
