"""Ingest with and without the tally triggers: what the running counts cost a resident's submission.

    SPATIALITE_LIBRARY_PATH=mod_spatialite .venv/bin/python bench/tally_ingest.py [--seconds 20]

bench/ingest.py's run (gunicorn, the same submission, the one-INSERT baseline beside it), once on
the schema as migrated and once on the same schema with every `tally_*` trigger dropped, for
PostGIS and SpatiaLite. The baseline column shows how busy the shared machine was in each half.
Writes "Ingest: tally triggers" in bench/RESULTS.md.
"""

from __future__ import annotations

import os

import ingest
from common import DATABASE_LABELS, engine_for, fresh_database, machine, now, write_section
from sqlalchemy import text


def drop_tally_triggers(url: str) -> int:
    """Drop the tally triggers (the counts then go stale); how many were dropped."""
    engine = engine_for(url)
    with engine.begin() as conn:
        if url.startswith("sqlite"):
            names = [(n, None) for (n,) in conn.execute(text(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tally%'"))]
        else:
            names = list(conn.execute(text(
                "SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE 'tally%'")))
        for name, table in names:
            conn.execute(text(f"DROP TRIGGER {name}" + (f" ON {table}" if table else "")))
    engine.dispose()
    return len(names)


def _drop_every_tally_trigger(url: str) -> None:
    assert drop_tally_triggers(url) > 0, "the schema has no tally triggers to drop"


def main() -> None:
    args = ingest.arguments(__doc__, seconds=20, levels="20,50")
    started, host = now(), machine()
    rows: list[tuple] = []
    for name in args.databases.split(","):
        for triggers in (True, False):
            label = DATABASE_LABELS[name] + (", tally triggers" if triggers else ", no tally triggers")
            with fresh_database(name) as url:
                rows += ingest.run_database(label, url, args.level_list, args.seconds, args.workers,
                                            after_prepare=None if triggers else _drop_every_tally_trigger)
    lines = [
        f"Run {started} on {host}; {os.getloadavg()[0]:.1f} "
        f"at the end. `bench/tally_ingest.py --seconds {args.seconds:g} --levels {args.levels}`: "
        "bench/ingest.py's submission (three pins, four answers) through gunicorn "
        f"({args.workers} sync workers), on a fresh database as migrated, then on one with every "
        "`tally_*` trigger dropped; each beside the one-INSERT baseline (which shows how busy the "
        "shared machine was in that half).",
        "",
        "| database | clients | submissions/s | p50 ms | p99 ms | baseline/s | rate ratio | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, clients, ours, base in rows:
        ratio = ours.rate / base.rate if base.rate else float("nan")
        lines.append(f"| {label} | {clients} | {ours.rate:.0f} | {ours.percentile(50):.0f} | "
                     f"{ours.percentile(99):.0f} | {base.rate:.0f} | {ratio:.0%} | {ours.errors} |")
    body = "\n".join(lines)
    print(body)
    write_section("Ingest: tally triggers", body)


if __name__ == "__main__":
    main()
