"""What the tallies' triggers cost the retention purge of a big dialogue: with them, and without.

    .venv/bin/python bench/retention.py --database-url postgresql+psycopg://postgres@127.0.0.1:5439/pd_scale

Runs the purge itself (app/records/retention.py: purge_dialogue, which deletes the dialogue's pins,
answers and responses in three statements) on each `scale-N` dialogue of the scale bench, in turns:
with the triggers, then with them switched off for the session (`session_replication_role =
replica`, the bare DELETEs as baseline), each in its own transaction, rolled back, so the seeded
data stays. Add --record to write the "Retention purge" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date

from common import machine, now, publish
from sqlalchemy import func, select, text

from app.extensions import db
from app.models import Dialogue, Pin
from app.records.retention import purge_dialogue
from tests.reliability.server import app_on


def timed(dialogue_id: int, triggers: bool) -> float:
    """Seconds of one purge of the dialogue (rolled back)."""
    if not triggers:
        db.session.execute(text("SET LOCAL session_replication_role = replica"))
    dialogue = db.session.get(Dialogue, dialogue_id)
    # Closed a year ago with six months' retention, as purge_expired would find it (rolled back too).
    dialogue.status, dialogue.opens_on, dialogue.closes_on = "closed", date(2025, 9, 1), date(2025, 11, 30)
    dialogue.retention_months = 6
    db.session.flush()
    started = time.perf_counter()
    purge_dialogue(dialogue)
    db.session.flush()
    seconds = time.perf_counter() - started
    db.session.rollback()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--largest", type=int, default=1_000_000, help="skip dialogues with more pins")
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    started_on = machine()
    lines = []
    with app_on(args.database_url):
        dialogues = db.session.execute(select(Dialogue.id, Dialogue.slug)
                                       .where(Dialogue.slug.like("scale-%")).order_by(Dialogue.id)).all()
        for dialogue_id, slug in dialogues:
            pins = db.session.execute(select(func.count()).where(Pin.dialogue_id == dialogue_id)).scalar()
            if pins > args.largest:
                continue
            db.session.rollback()
            on, off = [], []
            for _turn in range(args.turns):  # in turns, so a load spike hits both
                on.append(timed(dialogue_id, True))
                off.append(timed(dialogue_id, False))
            lines.append(f"| {slug} ({pins:,} pins) | {statistics.median(on):.1f} s | "
                         f"{statistics.median(off):.1f} s |")
            print(lines[-1], flush=True)
    turns = "one turn" if args.turns == 1 else f"median of {args.turns} turns"
    body = (f"Measured {now()} on {started_on}, PostgreSQL 15, `bench/retention.py`: the retention purge "
            "(app/records/retention.py, `purge_dialogue`: pins, answers and responses in three "
            f"DELETEs) of each dialogue of the scale bench, {turns}, each rolled back.\n\n"
            "| dialogue | with the tally triggers | triggers off (bare DELETEs, baseline) |\n"
            "|---|---|---|\n" + "\n".join(lines))
    publish("Retention purge", body, args.record)


if __name__ == "__main__":
    main()
