"""What the tallies' triggers cost the resident's write: one answer with three pins, with and without.

    .venv/bin/python bench/tally_write.py --database-url postgresql+psycopg://postgres@127.0.0.1:5439/pd_scale

Runs the resident's own write functions (app/resident/writing.py: insert_response, insert_answers,
insert_pins: five answers, three of them demographic, as the scale bench seeds them, then three
pins) in one transaction per answer, N answers in turns: with the triggers on, then with them switched
off for the session (`session_replication_role = replica`, the baseline of a bare INSERT), rolled
back so nothing stays. Add --record to write the "Tally write cost" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import time
from types import SimpleNamespace

from common import machine, now, publish
from sqlalchemy import text

from app.extensions import db
from app.models import Dialogue
from app.resident.writing import insert_answers, insert_pins, insert_response
from tests.reliability.server import app_on


def one_answer(dialogue: Dialogue, n: int) -> None:
    """The resident's write: the response row, its five answers, then its three pins in one INSERT."""
    response_id = insert_response({
        "dialogue_id": dialogue.id, "survey_version_id": dialogue.survey_version_id,
        "idempotency_key": f"tally-bench-{time.time_ns()}-{n}", "receipt_code": f"TB{n:014d}"[:16],
        "language": "sv"})
    insert_answers(response_id, {"alder": "age_25_44", "kon": ("kvinna", "man")[n % 2],
                                 "relation": ["bor", "arbetar"][: 1 + n % 2], "trygg_kvall": 1 + n % 5,
                                 "undviker_platser": ("ja", "nej")[n % 2]})
    pins = [SimpleNamespace(location_kind="map", lat=59.41 + i * 0.001, lng=17.925, value=v,
                            sentiment="negative", text="Mörkt här.", question_id=None, category=None,
                            named_place_id=None, place_description=None, photo_id=None)
            for i, v in enumerate(("safety", "justice", "development"))]
    insert_pins(dialogue, response_id, pins)


# The triggers of migration c7d3a5e1f824 (pins per group answer: in all, per hour, per cell and per
# pair of answers), switched off for the middle row: what those tallies add to the others.
GROUP_TRIGGERS = [(table, f"tally_group_{table}_{op}") for table in ("answer", "pin")
                  for op in ("insert", "update", "delete")]


def timed(dialogue: Dialogue, answers: int, triggers: str) -> float:
    """Median milliseconds of one answer's transaction (rolled back); triggers: all, some or none."""
    times = []
    for n in range(answers):
        if triggers == "none":
            db.session.execute(text("SET LOCAL session_replication_role = replica"))
        elif triggers == "some":
            for table, name in GROUP_TRIGGERS:  # DDL in the transaction: rolled back with it
                db.session.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {name}"))
        started = time.perf_counter()
        one_answer(dialogue, n)
        db.session.flush()
        times.append(time.perf_counter() - started)
        db.session.rollback()
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--answers", type=int, default=500)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    started_on = machine()
    with app_on(args.database_url):
        dialogue = db.session.execute(db.select(Dialogue).order_by(Dialogue.id.desc())).scalar()
        results = {"all": [], "some": [], "none": []}
        for _turn in range(3):  # in turns, so a load spike hits each
            for triggers, times in results.items():
                times.append(timed(dialogue, args.answers, triggers))
    on, some, off = (statistics.median(results[k]) for k in ("all", "some", "none"))
    print("turns (ms):", results)
    body = (f"Measured {now()} on {started_on}, PostgreSQL 15, `bench/tally_write.py`: the resident's "
            "write (a response, five answers and three pins, app/resident/writing.py) of "
            f"{args.answers} answers, "
            "three turns, median, each in its own transaction, into the dialogue with the most pins "
            "of the scale bench.\n\n| write | median per answer |\n|---|---|\n"
            f"| with the tally triggers | {on:.2f} ms |\n"
            f"| without the tallies of pins per group answer (c7d3a5e1f824) | {some:.2f} ms |\n"
            "| triggers off (bare INSERTs, baseline) | "
            f"{off:.2f} ms |\n\nThe triggers add {on - off:.2f} ms ({on / off:.2f}×) per answer, "
            "before the commit (which costs the same either way); the tallies of pins per group answer "
            f"{on - some:.2f} ms of it.")
    publish("Tally write cost", body, args.record)


if __name__ == "__main__":
    main()
