"""Benchmark of the grid summary with drawn routes and areas; run by hand, never in the test suite.

    python bench/shapes.py --database-url sqlite:////tmp/bench-shapes.sqlite --pins 100000
    python bench/shapes.py --database-url postgresql+psycopg://postgres@127.0.0.1:5439/pd_bench

Seeds N points into one dialogue (bench/analysis.py's seeding), then times in turns within one run
(median of 9): the grid summary as it was before routes and areas (app/analysis/grid.py at
--baseline, loaded from git), ours, and the bare GROUP BY; then adds --drawn routes and areas and
times ours again, where each is shared over the cells it crosses. Prints a block for RESULTS.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import analysis as seeding  # noqa: E402  (bench/analysis.py: seeding, timing, the bare GROUP BY)

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
REPEAT = 9  # median of 9 turns: the machine is shared


def baseline_grid(revision: str):
    """app/analysis/grid.py as it was at the revision, imported beside ours."""
    source = subprocess.run(["git", "show", f"{revision}:app/analysis/grid.py"], cwd=REPO,
                            check=True, capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "grid_baseline.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("app.analysis._grid_baseline", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def add_drawn(dialogue, n: int, bounds, seed: int = 18) -> None:
    """n drawn answers in the bounds: routes of 200-1500 m and areas of 0.5-5 ha, half each."""
    from geoalchemy2.shape import from_shape
    from shapely import LineString, box

    from app.models import Pin, Response
    from app.spatial import SWEREF99_TM, WGS84, measure_shape, reproject, to_sweref

    rng = np.random.default_rng(seed)
    min_lng, min_lat, max_lng, max_lat = bounds
    for i in range(n):
        e, north = to_sweref(rng.uniform(min_lat, max_lat), rng.uniform(min_lng, max_lng))
        if i % 2:
            length, angle = rng.uniform(200, 1500), rng.uniform(0, np.pi)
            shape = LineString([(e, north), (e + length / 2 * np.cos(angle), north + length / 2 *
                                np.sin(angle)), (e + length * np.cos(angle), north)])
        else:
            side = np.sqrt(rng.uniform(5_000, 50_000))
            shape = box(e, north, e + side, north + side)
        shape = reproject(shape, SWEREF99_TM, WGS84)
        m = measure_shape(shape)
        ke, kn = to_sweref(m.lat, m.lng)
        response = Response(dialogue_id=dialogue.id, survey_version_id=dialogue.survey_version_id,
                            idempotency_key=f"bench-drawn-{dialogue.id}-{i:08d}",
                            receipt_code=f"D{dialogue.id:04d}{i:011d}"[:16])
        response.pins.append(Pin(
            dialogue_id=dialogue.id, geom=f"SRID=4326;POINT({m.lng} {m.lat})", sweref_e=ke,
            sweref_n=kn, value=("safety", "justice", "development")[i % 3], sentiment="negative",
            text="Benchmark route or area.", moderation_state="published",
            shape_kind="line" if i % 2 else "area", shape=from_shape(shape, srid=WGS84),
            length_m=m.length_m, area_m2=m.area_m2))
        db.session.add(response)
    db.session.commit()


def main() -> None:
    """Seed, measure, print the results block."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--pins", type=int, default=100_000)
    parser.add_argument("--drawn", type=int, default=200)
    parser.add_argument("--baseline", default="5f49538", help="git revision of the old grid.py")
    args = parser.parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "SECRET_KEY": "bench"})
    from flask_migrate import upgrade
    from shapely import from_geojson
    from sqlalchemy import text

    from app.analysis.grid import grid_summary
    from app.resident.routes import area_geojson

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
        upgrade()
        old = baseline_grid(args.baseline)
        dialogue, _user, area = seeding.setup_dialogue()
        bounds = from_geojson(area_geojson(area.id)).bounds
        seconds = seeding.seed(dialogue, args.pins, bounds)
        db.session.expire_all()
        lines = [f"### {db.engine.dialect.name}, {args.pins:,} points, then {args.drawn} routes "
                 f"and areas ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
                 f"- machine: {seeding.machine()}; seeding {seconds:.1f} s; baseline grid.py at "
                 f"{args.baseline}"]
        for size in (250, 100):
            (base, _c), (ours, cells), (bare, _r) = seeding.interleaved(repeat=REPEAT, fns=[
                lambda size=size: old.grid_summary(dialogue.id, size),
                lambda size=size: grid_summary(dialogue.id, size),
                lambda size=size: seeding.bare_group_by(dialogue.id, size)])
            lines.append(f"- points only, {size} m ({len(cells):,} cells): before {base * 1000:.0f} ms,"
                         f" ours {ours * 1000:.0f} ms, ratio **{ours / base:.2f}**; bare GROUP BY "
                         f"{bare * 1000:.0f} ms")
        add_drawn(dialogue, args.drawn, bounds)
        for size in (250, 100):
            (base, _c), (ours, cells) = seeding.interleaved(repeat=REPEAT, fns=[
                lambda size=size: old.grid_summary(dialogue.id, size),
                lambda size=size: grid_summary(dialogue.id, size)])
            lines.append(f"- with {args.drawn} routes and areas, {size} m ({len(cells):,} cells): "
                         f"before (each at its one point) {base * 1000:.0f} ms, ours (shared over "
                         f"the cells) {ours * 1000:.0f} ms, ratio **{ours / base:.2f}**")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
