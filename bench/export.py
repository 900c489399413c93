"""Benchmark: GeoPackage export of a large dialogue on PostGIS, side by side with GDAL's ogr2ogr.

Run by hand (never in the test suite):

    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5439/pd_export \\
        /work/venv/bin/python bench/export.py --pins 1000000

Seeds a dialogue with N pins (two per response, a third of them coded into a theme) with SQL on
the server, then runs `platsdialog export ID --format gpkg` and `ogr2ogr -f GPKG ... -sql` for the
same rows, each in its own process, and reads each one's peak memory from os.wait4's rusage. The
figures are appended to bench/RESULTS.md. The seeded rows are deleted afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def measure(command: list[str], env: dict | None = None) -> tuple[float, float, float]:
    """Wall seconds, peak resident memory (MB) and CPU seconds (user + system) of one child.

    On a shared machine the wall time depends on everyone else's load; the CPU time does not.
    """
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{command[0]} failed: {process.stderr.read().decode()[-2000:]}")
    # ru_maxrss is in KiB on Linux
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def seed(app, pins: int) -> int:
    """A municipality, area, dialogue and N pins with responses and themes; the dialogue id."""
    from app.areas import store_area
    from app.dialogues import create_dialogue, freeze_survey
    from app.extensions import db
    from app.models import Municipality
    from app.surveys import load_definition
    from tests.factories import MAIN_SURVEY, husby_polygon

    with app.app_context():
        municipality = Municipality(name="Benchkommun", kommunkod="9999")
        db.session.add(municipality)
        area = store_area(municipality, "Husby", husby_polygon())
        version = freeze_survey(load_definition(MAIN_SURVEY))
        dialogue = create_dialogue(area, version, slug="bench", title="Bench", status="open")
        db.session.commit()
        responses = (pins + 1) // 2
        for statement in (
            "INSERT INTO response (dialogue_id, survey_version_id, idempotency_key, receipt_code,"
            " language, created_at) SELECT :d, :v, 'bench-key-' || lpad(g::text, 12, '0'),"
            " 'B' || lpad(g::text, 12, '0'), 'sv', now() FROM generate_series(1, :r) g",
            "INSERT INTO pin (dialogue_id, response_id, location_kind, geom, sweref_e, sweref_n,"
            " value, sentiment, text, moderation_state, flags, created_at)"
            " SELECT :d, r.id + (g % 2) * 0, 'map', p.geom, ST_X(ST_Transform(p.geom, 3006)),"
            " ST_Y(ST_Transform(p.geom, 3006)),"
            " (ARRAY['safety','justice','development'])[1 + g % 3],"
            " (ARRAY['positive','negative','idea'])[1 + (g / 3) % 3],"
            " 'Kommentar nummer ' || g || ' om platsen, med å, ä och ö.',"
            " (ARRAY['published','published','pending','hidden'])[1 + g % 4], '[]', now()"
            " FROM generate_series(0, :n - 1) g"
            " JOIN response r ON r.dialogue_id = :d"
            " AND r.receipt_code = 'B' || lpad((g / 2 + 1)::text, 12, '0')"
            " CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(17.915 + random() * 0.02,"
            " 59.405 + random() * 0.01), 4326) AS geom) p",
            "INSERT INTO theme (dialogue_id, name) VALUES (:d, 'Belysning'), (:d, 'Mötesplatser')",
            "INSERT INTO pin_theme (pin_id, theme_id) SELECT p.id, t.id FROM pin p"
            " JOIN theme t ON t.dialogue_id = :d AND t.name = 'Belysning'"
            " WHERE p.dialogue_id = :d AND p.id % 3 = 0",
            "ANALYZE",
        ):
            db.session.execute(text(statement), {"d": dialogue.id, "v": version.id, "r": responses,
                                                 "n": pins})
            db.session.commit()
        return dialogue.id


def remove(app, dialogue_id: int) -> None:
    """Delete everything the benchmark seeded."""
    from app.extensions import db

    with app.app_context():
        for statement in ("DELETE FROM dialogue WHERE id = :d",
                          "DELETE FROM development_area WHERE municipality_id IN"
                          " (SELECT id FROM municipality WHERE kommunkod = '9999')",
                          "DELETE FROM municipality WHERE kommunkod = '9999'"):
            db.session.execute(text(statement), {"d": dialogue_id})
        db.session.commit()


@dataclass(frozen=True)
class Seeded:
    url: str
    out: Path
    dialogue_id: int
    seconds: float
    env: dict

    def heading(self, title: str, script: str, pins: int) -> str:
        """The report's heading and machine line, the same in every export benchmark."""
        return (f"\n## {title} ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)\n\n"
                f"Machine: {platform.machine()}, {os.cpu_count()} cores (shared), Python "
                f"{platform.python_version()}, `bench/{script} --pins {pins}`; seeding took "
                f"{self.seconds:.0f} s.")


@contextlib.contextmanager
def seeded(pins: int, out: str) -> Iterator[Seeded]:
    """A dialogue of `pins` pins on BENCH_DATABASE_URL, timed while seeded, removed afterwards."""
    url = os.environ.get("BENCH_DATABASE_URL",
                         "postgresql+psycopg://postgres@127.0.0.1:5439/pd_export")
    from app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    Path(out).mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    dialogue_id = seed(app, pins)
    seconds = time.perf_counter() - started
    try:
        yield Seeded(url, Path(out), dialogue_id, seconds,
                     {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench"})
    finally:
        remove(app, dialogue_id)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pins", type=int, default=1_000_000)
    parser.add_argument("--out", default="/tmp/platsdialog-bench")
    args = parser.parse_args()
    with seeded(args.pins, args.out) as run:
        url, out, dialogue_id, env = run.url, run.out, run.dialogue_id, run.env
        ours_path, gdal_path = out / "ours.gpkg", out / "ogr2ogr.gpkg"
        for path in (ours_path, gdal_path):
            path.unlink(missing_ok=True)
        ours = measure([sys.executable, "-c", "from app.cli import main; main()", "export",
                        str(dialogue_id), "--format", "gpkg", "--output", str(ours_path)], env)
        u = make_url(url)
        pg = f"PG:host={u.host} port={u.port} user={u.username} dbname={u.database}"
        sql = ("SELECT p.id AS pin_id, p.response_id, p.value, p.sentiment, p.text,"
               " (SELECT string_agg(t.name, '; ') FROM pin_theme pt JOIN theme t ON t.id = pt.theme_id"
               " WHERE pt.pin_id = p.id) AS themes, p.moderation_state, p.location_kind,"
               " np.name AS named_place, p.place_description, p.photo_id IS NOT NULL AS has_photo,"
               " p.created_at, ST_Transform(p.geom, 3006) AS geom FROM pin p"
               " LEFT JOIN named_place np ON np.id = p.named_place_id"
               f" WHERE p.dialogue_id = {dialogue_id} AND p.moderation_state IN ('published', 'pending')")
        gdal = measure(["ogr2ogr", "-f", "GPKG", str(gdal_path), pg, "-sql", sql, "-nln", "pins"])
        import pyogrio

        rows_ours = pyogrio.read_info(ours_path, layer="pins")["features"]
        rows_gdal = pyogrio.read_info(gdal_path, layer="pins")["features"]
    report = (
        run.heading(f"Export: GeoPackage of {args.pins:,} pins on PostGIS vs ogr2ogr", "export.py",
                    args.pins) + "\n"
        f"Rows exported: ours {rows_ours:,} (pins layer, plus area, named_places, grid_100m), "
        f"ogr2ogr {rows_gdal:,} (same pins, same columns, hidden left out).\n\n"
        "| tool | wall time (s) | CPU time (s) | peak RSS (MB) |\n|---|---:|---:|---:|\n"
        f"| `platsdialog export --format gpkg` (whole process) | {ours[0]:.1f} | {ours[2]:.1f} "
        f"| {ours[1]:.0f} |\n"
        f"| `ogr2ogr -f GPKG ... -sql` | {gdal[0]:.1f} | {gdal[2]:.1f} | {gdal[1]:.0f} |\n\n"
        f"Time ratio ours / ogr2ogr: **{ours[0] / gdal[0]:.2f}** (target <= 1.5; CPU time ratio "
        f"{ours[2] / gdal[2]:.2f}); "
        f"peak memory **{ours[1]:.0f} MB** (target <= 300 MB).\n"
    )
    print(report)
    with open(REPO / "bench" / "RESULTS.md", "a", encoding="utf-8") as results:
        results.write(report)


if __name__ == "__main__":
    main()
