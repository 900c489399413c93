"""Ingest benchmark: resident submissions over HTTP against gunicorn, next to a one-INSERT baseline.

    SPATIALITE_LIBRARY_PATH=mod_spatialite /work/venv/bin/python bench/ingest.py [--seconds 15]

For PostGIS and SpatiaLite in turn: a fresh database (a throwaway PostgreSQL cluster, a temporary
SpatiaLite file), the app under gunicorn, and beside it a minimal Flask app (bench/baseline_app.py)
doing one INSERT on the same database with the same server and worker count. Each level of
concurrent clients runs for --seconds against both; the figures go to bench/RESULTS.md ("Ingest").
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import requests
from common import (
    DATABASE_LABELS,
    Measurement,
    engine_for,
    fresh_database,
    hammer,
    machine,
    merge,
    now,
    write_section,
)
from sqlalchemy import text

from tests.factories import Factories
from tests.reliability import client, load
from tests.reliability.server import app_on, gunicorn, migrate

TARGET_RATE, TARGET_P99 = 0.60, 4.0
# A few answers of the main template besides consent (which the client adds), as a resident gives.
ANSWERS = {"trygg_kvall": 2, "undviker_platser": "ja", "undviker_varfor": ["belysning"]}
PINS_PER_SUBMISSION = 3  # one on each value's map question


def open_sessions(base_url: str, slug: str, n: int) -> list[requests.Session]:
    """n residents' sessions (questionnaire page, cookie, CSRF token), a few at a time.

    Opened once per database, before any clock starts, and reused by every level and slice: the
    questionnaire page is heavy, and 200 clients fetching it at once time out on a busy machine.
    """
    def one(_i: int) -> requests.Session:
        for attempt in range(5):
            try:
                return client.open_session(base_url, slug, timeout=120)
            except requests.RequestException:
                if attempt == 4:
                    raise
        raise AssertionError("unreachable")

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(one, range(n)))


def app_sender(base_url: str, slug: str, sessions: list[requests.Session]):
    taken = iter(sessions)
    lock = threading.Lock()

    def make():
        with lock:
            session = next(taken)

        def send(n: int) -> int:
            pins = [load.pin_for(PINS_PER_SUBMISSION * n + i) for i in range(PINS_PER_SUBMISSION)]
            response = client.submit(session, base_url, slug, str(uuid.uuid4()), pins, ANSWERS)
            return response.status_code
        return send
    return make


def baseline_sender(base_url: str):
    def make():
        session = requests.Session()

        def send(n: int) -> int:
            return session.post(f"{base_url}/insert", data={
                "key": str(uuid.uuid4()), "body": load.pin_for(n)["comment"]}, timeout=60).status_code
        return send
    return make


def prepare(url: str) -> str:
    """Schema, one open dialogue on the demo area, and the baseline's table; returns the slug."""
    migrate(url)
    with app_on(url):
        slug = Factories().dialogue(slug="bench").slug
    engine = engine_for(url)
    key = "id INTEGER PRIMARY KEY" if url.startswith("sqlite") else "id serial PRIMARY KEY"
    with engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE bench_baseline ({key}, key varchar(64) UNIQUE, body text)"))
    engine.dispose()
    return slug


def run_database(name: str, url: str, levels: list[int], seconds: float, workers: int,
                 after_prepare: Callable[[str], object] | None = None) -> list[tuple]:
    """Each level of clients against the app and the baseline on a fresh database; rows for the
    report. after_prepare(url) runs on the prepared database before the servers start."""
    slug = prepare(url)
    if after_prepare:
        after_prepare(url)
    rows = []
    with gunicorn(url, workers=workers) as app_url, \
            gunicorn(url, workers=workers, app="bench.baseline_app:app") as base_url:
        sessions = open_sessions(app_url, slug, max(levels))
        for clients in levels:
            # Alternate app and baseline in slices, so a neighbour's burst on this shared machine
            # falls on both sides rather than on one.
            slices = max(1, round(seconds / 5))
            ours_parts, base_parts = [], []
            for _ in range(slices):
                ours_parts.append(hammer(app_sender(app_url, slug, sessions), clients, seconds / slices))
                base_parts.append(hammer(baseline_sender(base_url), clients, seconds / slices))
            ours, base = merge(ours_parts), merge(base_parts)
            rows.append((name, clients, ours, base))
            print(f"{name:10} {clients:4} clients: {ours.rate:7.1f}/s p50 {ours.percentile(50):6.0f} ms "
                  f"p99 {ours.percentile(99):6.0f} ms | baseline {base.rate:7.1f}/s "
                  f"p50 {base.percentile(50):6.0f} p99 {base.percentile(99):6.0f} | refused {ours.refused} "
                  f"errors {ours.errors}", flush=True)
    return rows


def verdict(ours: Measurement, base: Measurement) -> tuple[float, float, str]:
    rate = ours.rate / base.rate if base.rate else float("nan")
    p99 = ours.percentile(99) / base.percentile(99)
    ok = rate >= TARGET_RATE and p99 <= TARGET_P99
    return rate, p99, "met" if ok else "**missed**"


def report(rows: list[tuple], seconds: float, workers: int, started: str, host: str,
           load_after: float) -> str:
    lines = [
        f"Run {started} on {host}, {load_after:.1f} at the end. A submission is the questionnaire's "
        "whole response as JSON to `/d/<slug>/svar` (consent and three more answers, three pins, "
        "one on each value's map question), with the page's CSRF token and an idempotency key. "
        f"`bench/ingest.py --seconds {seconds:g}`: gunicorn, {workers} sync "
        "workers, clients are Python threads with `requests` on the same machine (they share its "
        "2 cores with the server and the database). Each level runs the app and the baseline "
        f"for {seconds:g} s each, alternating in 5 s slices (the machine is shared: the load average "
        "of other engineers' work is in the line above). Latencies are of requests that stored; "
        "each client's session (questionnaire page + CSRF token) is opened once, before any clock "
        "starts, and reused by every level. "
        "Baseline: `bench/baseline_app.py`, one INSERT per request on the same "
        "database, server and worker count. PostGIS is a throwaway PostgreSQL 15 cluster started "
        "with fsync=off, synchronous_commit=off (the same for both sides). SpatiaLite: a file in "
        "/tmp, WAL, busy_timeout 15 s.",
        "",
        "| database | clients | submissions/s | p50 ms | p99 ms | baseline/s | base p50 | base p99 "
        "| rate ratio | p99 ratio | target (≥60 %, ≤4×) | refused / errors |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, clients, ours, base in rows:
        rate, p99, ok = verdict(ours, base)
        lines.append(
            f"| {name} | {clients} | {ours.rate:.0f} | {ours.percentile(50):.0f} | {ours.percentile(99):.0f} "
            f"| {base.rate:.0f} | {base.percentile(50):.0f} | {base.percentile(99):.0f} | {rate:.0%} "
            f"| {p99:.1f}× | {ok if clients == 50 else '–'} | {ours.refused or 0} / {ours.errors} |"
        )
    return "\n".join(lines)


def arguments(doc: str, *, seconds: float, levels: str) -> argparse.Namespace:
    """The ingest benchmarks' command line (--seconds, --levels, --workers, --databases); levels
    as numbers. Also makes a kill stop the servers and the throwaway cluster (the finally blocks)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=seconds)
    parser.add_argument("--levels", default=levels)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--databases", default="postgis,spatialite")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    args.level_list = [int(n) for n in args.levels.split(",")]
    return args


def main() -> None:
    args = arguments(__doc__, seconds=15, levels="10,50,200")
    started, host = now(), machine()
    rows: list[tuple] = []
    for name in args.databases.split(","):
        with fresh_database(name) as url:
            rows += run_database(DATABASE_LABELS[name], url, args.level_list, args.seconds, args.workers)
    body = report(rows, args.seconds, args.workers, started, host, os.getloadavg()[0])
    print(body)
    write_section("Ingest", body + "\n\nShortfalls and their causes: see \"Ingest: shortfalls\" below.")

if __name__ == "__main__":
    main()
