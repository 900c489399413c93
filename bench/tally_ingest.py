"""Ingest with and without the tally triggers: what the running counts cost a resident's submission.

    SPATIALITE_LIBRARY_PATH=mod_spatialite .venv/bin/python bench/tally_ingest.py [--seconds 20]

bench/ingest.py's run (gunicorn, the same submission, the one-INSERT baseline beside it), once on
the schema as migrated and once on the same schema with every `tally_*` trigger dropped, for
PostGIS and SpatiaLite. The baseline column shows how busy the shared machine was in each half.
Writes "Ingest: tally triggers" in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
from pathlib import Path

import ingest
from common import machine, now, write_section
from sqlalchemy import create_engine, text

from tests.reliability.server import ThrowawayPostgres


def drop_tally_triggers(url: str) -> int:
    """Drop the tally triggers (the counts then go stale); how many were dropped."""
    sqlite = url.startswith("sqlite")
    engine = create_engine(url, module=__import__("sqlean")) if sqlite else create_engine(url)
    with engine.begin() as conn:
        if sqlite:
            names = [(n, None) for (n,) in conn.execute(text(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tally%'"))]
        else:
            names = list(conn.execute(text(
                "SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE 'tally%'")))
        for name, table in names:
            conn.execute(text(f"DROP TRIGGER {name}" + (f" ON {table}" if table else "")))
    engine.dispose()
    return len(names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--levels", default="20,50")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--databases", default="postgis,spatialite")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    levels = [int(n) for n in args.levels.split(",")]
    started, host = now(), machine()
    rows: list[tuple] = []
    original_prepare = ingest.prepare
    for name in args.databases.split(","):
        for triggers in (True, False):
            def prepare(url: str, triggers=triggers) -> str:
                slug = original_prepare(url)
                if not triggers:
                    assert drop_tally_triggers(url) > 0
                return slug
            ingest.prepare = prepare
            label = ("PostGIS" if name == "postgis" else "SpatiaLite") + \
                (", tally triggers" if triggers else ", no tally triggers")
            if name == "postgis":
                pg = ThrowawayPostgres()
                try:
                    rows += ingest.run_database(label, pg.url, levels, args.seconds, args.workers)
                finally:
                    pg.destroy()
            else:
                with tempfile.TemporaryDirectory() as tmp:
                    url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
                    rows += ingest.run_database(label, url, levels, args.seconds, args.workers)
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
