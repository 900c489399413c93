"""Seed a dialogue with many pins quickly (COPY on PostGIS), for the scale and export benchmarks.

    /work/venv/bin/python bench/seed.py --database-url postgresql+psycopg://... --pins 1000000

Pins lie inside the Husby demo area, three to a response (which has five answers: three demographic,
a Likert and a single choice), values and sentiments cycling, spread over 30 days. Without
--dialogue a fresh open dialogue on the demo area is made first. The database must already have
the schema (`platsdialog db upgrade`).
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime, timedelta

import numpy as np
import psycopg
import shapely
from common import machine, now, publish

from app.domain import SENTIMENTS, VALUES
from app.spatial import SWEREF99_TM, WGS84, transformer
from tests.factories import Factories, husby_polygon
from tests.reliability.server import app_on

PINS_PER_RESPONSE = 3
AGES = ("age_16_24", "age_25_44", "age_45_64")
CHOICES = ("ja", "nej", "vet_inte")
GENDERS = ("kvinna", "man", "annan", "vill_inte_svara")
RELATIONS = ('["bor"]', '["bor", "arbetar"]', '["arbetar"]', '["studerar"]', '["besoker"]')


def points_inside(n: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """n random (lng, lat) points inside the demo area, made in vectorised batches."""
    area = husby_polygon()
    shapely.prepare(area)
    min_x, min_y, max_x, max_y = area.bounds
    rng = np.random.default_rng(seed)
    xs, ys, have = [], [], 0
    while have < n:
        x = rng.uniform(min_x, max_x, 2 * n)
        y = rng.uniform(min_y, max_y, 2 * n)
        inside = shapely.contains_xy(area, x, y)
        xs.append(x[inside])
        ys.append(y[inside])
        have += int(inside.sum())
    return np.concatenate(xs)[:n], np.concatenate(ys)[:n]


def seed(url: str, pins: int, dialogue_id: int | None) -> tuple[int, float]:
    """COPY `pins` pins (and their responses) into a dialogue; returns (dialogue id, seconds)."""
    with app_on(url):
        if dialogue_id is None:
            dialogue = Factories().dialogue(slug=f"seed-{int(time.time())}")
        else:
            from app.extensions import db
            from app.models import Dialogue
            dialogue = db.session.get(Dialogue, dialogue_id)
        dialogue_id, version_id = dialogue.id, dialogue.survey_version_id
    started = time.perf_counter()
    lng, lat = points_inside(pins)
    easting, northing = (a.tolist() for a in transformer(WGS84, SWEREF99_TM).transform(lng, lat))
    lng, lat = lng.tolist(), lat.tolist()
    responses = -(-pins // PINS_PER_RESPONSE)
    base = datetime.now(UTC) - timedelta(days=30)
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        first = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM response").fetchone()[0]
        stamp = int(time.time())
        with cur.copy("COPY response (id, dialogue_id, survey_version_id, idempotency_key, receipt_code, "
                      "language, created_at) FROM STDIN") as copy:
            for r in range(responses):
                rid = first + r
                copy.write_row((rid, dialogue_id, version_id, f"seed-{stamp}-{rid:012d}",
                                f"S{stamp % 100000:05d}{rid:010d}"[:16], "sv",
                                base + timedelta(seconds=r * 2_592_000 // responses)))
        # Five answers per response: age group, gender and relation to the area (the demographic
        # ones, the last a multiple choice), a Likert and a single choice.
        with cur.copy("COPY answer (response_id, question_id, value) FROM STDIN") as copy:
            for r in range(responses):
                rid = first + r
                copy.write_row((rid, "alder", f'"{AGES[rid % 3]}"'))
                copy.write_row((rid, "kon", f'"{GENDERS[rid // 3 % 4]}"'))
                copy.write_row((rid, "relation", RELATIONS[rid // 2 % 5]))
                copy.write_row((rid, "trygg_kvall", str(1 + rid % 5)))
                copy.write_row((rid, "undviker_platser", f'"{CHOICES[rid % 3]}"'))
        with cur.copy("COPY pin (dialogue_id, response_id, location_kind, geom, sweref_e, sweref_n, value, "
                      "sentiment, text, moderation_state, flags, created_at) FROM STDIN") as copy:
            for i in range(pins):
                r = i // PINS_PER_RESPONSE
                copy.write_row((dialogue_id, first + r, "map", f"SRID=4326;POINT({lng[i]!r} {lat[i]!r})",
                                easting[i], northing[i], VALUES[i % 3],
                                SENTIMENTS[(i // 3) % 3], f"Synpunkt {i}", "published", "[]",
                                base + timedelta(seconds=r * 2_592_000 // responses)))
        cur.execute("SELECT setval('response_id_seq', (SELECT max(id) FROM response))")
        cur.execute("ANALYZE response")
        cur.execute("ANALYZE pin")
    return dialogue_id, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="postgresql+psycopg://... (PostGIS)")
    parser.add_argument("--pins", type=int, default=1_000_000)
    parser.add_argument("--dialogue", type=int, help="seed this dialogue instead of a new one")
    parser.add_argument("--record", action="store_true", help="write the timing to bench/RESULTS.md")
    args = parser.parse_args()
    if not args.database_url.startswith("postgresql"):
        raise SystemExit("seed.py uses PostgreSQL COPY; give a postgresql+psycopg:// URL")
    dialogue_id, seconds = seed(args.database_url, args.pins, args.dialogue)
    line = (f"Seeded {args.pins:,} pins into dialogue {dialogue_id} in {seconds:.1f} s "
            f"({args.pins / seconds:,.0f} pins/s, COPY, indexes in place) at {now()} on {machine()}. "
            "The GiST and B-tree indexes are kept up to date during the COPY; dropping and "
            "rebuilding them would be faster, but a seed into a live database must not do that.")
    publish("Seed", line, args.record)


if __name__ == "__main__":
    main()
