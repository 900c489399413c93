"""Benchmark of theme suggestions and the word-form search at scale; run by hand, never in tests.

    python bench/themes.py --database-url sqlite:////tmp/bench-themes.sqlite --comments 100000 --record
    python bench/themes.py --database-url postgresql+psycopg://postgres@127.0.0.1:5439/pd_bench

Seeds N Swedish comments into one dialogue (bench/analysis.py's seeding, then texts built from the
test corpus's and the demo's phrases for each pin's value and sentiment), then measures in one run:
- reading the comments (the floor any suggestion run pays) against the whole suggestion run
  (`refresh_suggestions`: read, lemmatise, TF-IDF and NMF per value and sentiment, store);
- the word-form search against a plain SQL `LIKE '%lampa%'`, with how many comments each finds.
The target of issue 17: suggestions for 100,000 comments within a minute on this machine.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.analysis import create_app, db, machine, seed, setup_dialogue  # noqa: E402
from bench.common import now, write_section  # noqa: E402


def phrase_pools() -> dict[tuple[str, str], list[str]]:
    """Sentences per value and sentiment: the test corpus's themes and the demo's comments."""
    from app.demo import COMMENTS
    from tests.swedish_corpus import THEMES

    pools = {key: list(texts) for key, texts in COMMENTS.items()}
    for key, themes in THEMES.items():
        for phrases in themes.values():
            pools.setdefault(key, []).extend(p + "." for p in phrases)
    return pools


def write_texts(dialogue_id: int) -> float:
    """Give every pin a comment of two sentences of its value and sentiment; returns seconds."""
    start = time.perf_counter()
    rng = random.Random(17)
    pools = phrase_pools()
    from sqlalchemy import text

    rows = db.session.execute(text("SELECT id, value, sentiment FROM pin WHERE dialogue_id = :d"),
                              {"d": dialogue_id}).all()
    updates = [{"id": pin_id, "t": " ".join(rng.sample(pools[(value, sentiment)], 2))}
               for pin_id, value, sentiment in rows]
    for begin in range(0, len(updates), 20_000):
        db.session.execute(text("UPDATE pin SET text = :t WHERE id = :id"), updates[begin:begin + 20_000])
    db.session.commit()
    return time.perf_counter() - start


def timed(fn, repeat: int = 3):
    """Median seconds of repeat calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
        db.session.rollback()
    return sorted(times)[len(times) // 2], result


def main() -> None:
    """Seed, measure, print (and with --record write) the results block."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--record", action="store_true", help="write the section of bench/RESULTS.md")
    args = parser.parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "SECRET_KEY": "bench"})
    from flask_migrate import upgrade
    from shapely import from_geojson
    from sqlalchemy import func, select

    from app.models import Pin
    from app.planner.suggestions import search_comments
    from app.resident.routes import area_geojson
    from app.themes.service import refresh_suggestions

    with app.app_context():
        upgrade()
        dialogue, _user, area = setup_dialogue()
        seconds = seed(dialogue, args.comments, from_geojson(area_geojson(area.id)).bounds)
        seconds += write_texts(dialogue.id)
        floor, texts = timed(lambda: db.session.execute(
            select(Pin.id, Pin.value, Pin.sentiment, Pin.text).where(Pin.dialogue_id == dialogue.id)).all())
        ours, (fresh, _left_out) = timed(lambda: refresh_suggestions(dialogue), repeat=1)
        db.session.commit()
        search, (_pins, found) = timed(lambda: search_comments(dialogue, "lampa"))
        like, like_found = timed(lambda: db.session.execute(
            select(func.count()).where(Pin.dialogue_id == dialogue.id, Pin.text.like("%lampa%"))
        ).scalar_one())
        lines = [
            f"### {db.engine.dialect.name}, {args.comments:,} comments ({now()})",
            f"- machine: {machine()}", f"- seeding: {seconds:.1f} s",
            f"- reading the {len(texts):,} comments (the floor): {floor:.2f} s; the whole suggestion "
            f"run (read, lemmatise, TF-IDF + NMF per value and sentiment, store): **{ours:.1f} s**, "
            f"{len(fresh)} suggestions; target ≤ 60 s: {'met' if ours <= 60 else 'NOT met'}",
            f"- word-form search for 'lampa' over every comment: {search:.2f} s, {found:,} comments "
            f"(lampa, lampor, lamporna, gatlampa...); SQL LIKE '%lampa%': {like * 1000:.0f} ms, "
            f"{like_found:,} comments (misses 'lamporna', 'Lampor')",
            "- suggested (first 8): " + "; ".join(f"{s.label} [{s.value}/{s.sentiment}, "
                                                  f"{len(s.pin_ids)}]" for s in fresh[:8]),
        ]
    block = "\n".join(lines)
    print(block)
    if args.record:
        heading = "Themes: suggestions and word-form search"
        intro = ("Written by `bench/themes.py` (see its docstring). Suggestions are computed on "
                 "demand by the working group, never on a resident's request.\n\n")
        old = (REPO / "bench" / "RESULTS.md").read_text()
        previous = old.split(f"## {heading}\n\n", 1)[1].split("\n## ", 1)[0] if f"## {heading}" in old else ""
        runs = previous.split(intro, 1)[-1].strip() if previous else ""
        write_section(heading, intro + block + ("\n\n" + runs if runs else ""))


if __name__ == "__main__":
    main()
