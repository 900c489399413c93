"""Benchmark of the analysis views at scale; run by hand, never in the test suite.

    python bench/analysis.py --database-url postgresql+psycopg://postgres@127.0.0.1:5439/pd_bench \
        --pins 1000000
    python bench/analysis.py --database-url sqlite:////tmp/bench.sqlite --pins 100000

Seeds N pins into one dialogue (COPY on PostGIS, executemany batches on SpatiaLite), then measures
side by side in one run: our per-value grid summary against a bare hand-written GROUP BY over the
same rows; the analysis page's HTML against the naive page (every point into folium's HeatMap);
and the analysis page rendered in headless Chromium. Prints a Markdown block for RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import select, text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("SPATIALITE_LIBRARY_PATH", "mod_spatialite")

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402

PINS_PER_RESPONSE = 5
PASSWORD = "bench-lösenord-123"


def machine() -> str:
    """nproc, RAM and CPU model of this machine."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    ram_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")))
    return (f"{os.cpu_count()} CPUs ({cpu}), {ram_kb / 1024 / 1024:.1f} GiB RAM, "
            f"Python {platform.python_version()}")


def setup_dialogue():
    """A municipality, the Husby area, the main survey, an open dialogue and a working-group user."""
    from shapely import from_geojson

    from app.areas import store_area
    from app.dialogues import create_dialogue, freeze_survey
    from app.models import Membership, Municipality, User
    from app.surveys import load_definition

    stamp = int(time.time())
    municipality = Municipality(name=f"Benchkommun {stamp}", kommunkod=f"{stamp % 10000:04d}")
    feature = json.loads((REPO / "geodata" / "husby.geojson").read_text())["features"][0]
    area = store_area(municipality, "Husby", from_geojson(json.dumps(feature["geometry"])))
    from app.models import NamedPlace

    for position, place in enumerate(json.loads((REPO / "geodata" / "husby-places.json").read_text())):
        area.named_places.append(NamedPlace(name=place["name"], position=position,
                                            geom=f"SRID=4326;POINT({place['lng']} {place['lat']})"))
    version = freeze_survey(load_definition(REPO / "surveys" / "trygghet-rattvisa-utveckling.yaml"))
    dialogue = create_dialogue(area, version, slug=f"bench-{stamp}", title="Benchmark", status="open")
    user = User(email=f"bench{stamp}@example.se", display_name="Bench")
    user.set_password(PASSWORD)
    user.memberships.append(Membership(municipality=municipality, role="working_group"))
    db.session.add(user)
    db.session.commit()
    return dialogue, user, area


def random_pins(n: int, bounds, seed: int = 6):
    """Columns of n random pins in the bounds: lat, lng, sweref e/n, value, sentiment, time."""
    from app.spatial import SWEREF99_TM, WGS84, transformer

    rng = np.random.default_rng(seed)
    min_lng, min_lat, max_lng, max_lat = bounds
    lng = rng.uniform(min_lng, max_lng, n)
    lat = rng.uniform(min_lat, max_lat, n)
    east, north = transformer(WGS84, SWEREF99_TM).transform(lng, lat)
    values = np.array(["safety", "justice", "development"])[rng.integers(0, 3, n)]
    sentiments = np.array(["positive", "negative", "idea"])[rng.integers(0, 3, n)]
    seconds = rng.integers(0, 30 * 86400, n)
    return lat, lng, east, north, values, sentiments, seconds


def seed(dialogue, n: int, bounds) -> float:
    """Insert n pins (and n / 5 responses); returns the seconds it took."""
    start = time.perf_counter()
    lat, lng, east, north, values, sentiments, seconds = random_pins(n, bounds)
    base = datetime(2026, 10, 1, tzinfo=UTC)
    n_responses = -(-n // PINS_PER_RESPONSE)
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        if db.engine.dialect.name == "postgresql":
            with cursor.copy("COPY response (dialogue_id, survey_version_id, idempotency_key, "
                             "receipt_code, language, created_at) FROM STDIN") as copy:
                for i in range(n_responses):
                    copy.write_row((dialogue.id, dialogue.survey_version_id, f"bench-{dialogue.id}-{i:012d}",
                                    f"B{dialogue.id:04d}{i:011d}"[:16], "sv", base))
            cursor.execute("SELECT id FROM response WHERE dialogue_id = %s ORDER BY id", (dialogue.id,))
            ids = [r[0] for r in cursor.fetchall()]
            with cursor.copy("COPY pin (dialogue_id, response_id, location_kind, geom, sweref_e, "
                             "sweref_n, value, sentiment, text, moderation_state, flags, created_at) "
                             "FROM STDIN") as copy:
                for i in range(n):
                    copy.write_row((dialogue.id, ids[i // PINS_PER_RESPONSE], "map",
                                    f"SRID=4326;POINT({lng[i]:.7f} {lat[i]:.7f})", float(east[i]),
                                    float(north[i]), values[i], sentiments[i], "Benchmark comment.",
                                    "published", "[]", base + timedelta(seconds=int(seconds[i]))))
            raw.commit()
            cursor.execute("ANALYZE response")
            cursor.execute("ANALYZE pin")
            raw.commit()  # statistics gathered inside an uncommitted transaction are lost
        else:
            cursor.executemany(
                "INSERT INTO response (dialogue_id, survey_version_id, idempotency_key, receipt_code, "
                "language, created_at) VALUES (?, ?, ?, ?, 'sv', ?)",
                [(dialogue.id, dialogue.survey_version_id, f"bench-{dialogue.id}-{i:012d}",
                  f"B{dialogue.id:04d}{i:011d}"[:16], base.strftime("%Y-%m-%d %H:%M:%S"))
                 for i in range(n_responses)])
            ids = [r[0] for r in cursor.execute(
                "SELECT id FROM response WHERE dialogue_id = ? ORDER BY id", (dialogue.id,)).fetchall()]
            batch = 20000
            for start_row in range(0, n, batch):
                cursor.executemany(
                    "INSERT INTO pin (dialogue_id, response_id, location_kind, geom, sweref_e, sweref_n, "
                    "value, sentiment, text, moderation_state, flags, created_at) VALUES "
                    "(?, ?, 'map', MakePoint(?, ?, 4326), ?, ?, ?, ?, 'Benchmark comment.', 'published',"
                    " '[]', ?)",
                    [(dialogue.id, ids[i // PINS_PER_RESPONSE], float(lng[i]), float(lat[i]),
                      float(east[i]), float(north[i]), str(values[i]), str(sentiments[i]),
                      (base + timedelta(seconds=int(seconds[i]))).strftime("%Y-%m-%d %H:%M:%S.%f"))
                     for i in range(start_row, min(n, start_row + batch))])
            raw.commit()
            cursor.execute("ANALYZE")
            raw.commit()
    finally:
        raw.close()
    return time.perf_counter() - start


def interleaved(fns, repeat: int = 5) -> list[tuple[float, object]]:
    """Median seconds and last result of each function, run in turns so noise hits all alike."""
    times: list[list[float]] = [[] for _ in fns]
    results: list[object] = [None] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            results[i] = fn()
            times[i].append(time.perf_counter() - start)
    return [(statistics.median(t), r) for t, r in zip(times, results, strict=True)]


def timed(fn, repeat: int = 5) -> tuple[float, object]:
    """Median seconds of repeat calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def bare_group_by(dialogue_id: int, size: int, *, sentiment: bool = True) -> list:
    """The floor: a hand-written GROUP BY per cell and value (and sentiment) over the same rows."""
    keys = "value, sentiment" if sentiment else "value"
    return db.session.execute(text(
        f"SELECT {keys}, floor(sweref_e / :s), floor(sweref_n / :s), count(*) FROM pin "  # noqa: S608
        f"WHERE dialogue_id = :d GROUP BY {keys}, floor(sweref_e / :s), floor(sweref_n / :s)"
    ), {"s": size, "d": dialogue_id}).all()


def naive_page(dialogue) -> str:
    """What the field's tools do: every pin's coordinates into folium's HeatMap, one page."""
    import folium
    from folium.plugins import HeatMap

    from app.maps import area_map
    from app.resident.routes import area_geojson

    points = db.session.execute(text(
        "SELECT ST_Y(geom), ST_X(geom) FROM pin WHERE dialogue_id = :d"), {"d": dialogue.id}).all()
    m = area_map(area_geojson(dialogue.area_id), outline_label="Area")
    HeatMap([[lat, lng] for lat, lng in points]).add_to(m)
    folium.LayerControl().add_to(m)
    return m.get_root().render()


def render_in_chromium(app, dialogue, user) -> str:
    """Load the analysis page in headless Chromium; report load time and whether the map drew."""
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=[
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"])
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda err: errors.append(str(err)))
            page.goto(f"{base}/konto/logga-in")
            page.fill("input[name=email]", user.email)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state()
            start = time.perf_counter()
            page.goto(f"{base}/planering/analys/dialoger/{dialogue.id}", timeout=300_000)
            page.wait_for_selector("canvas.leaflet-heatmap-layer", timeout=120_000)
            seconds = time.perf_counter() - start
            browser.close()
        return f"rendered in {seconds:.2f} s (request + load + heat canvas), JS errors: {len(errors)}"
    finally:
        server.shutdown()


def new_views(app, client, dialogue, area) -> list[str]:
    """The assessment and hotspot views (issue 16) against the bare GROUP BY they need."""
    from shapely import from_geojson

    from app.analysis import hotspots as hs
    from app.analysis.balance_routes import assessment_figures
    from app.analysis.filters import PinFilter
    from app.analysis.grid import grid_summary
    from app.resident.routes import area_geojson

    outline = from_geojson(area_geojson(area.id))
    lines = []
    with app.test_request_context():
        for size in (250, 100):
            def assessment(size=size):
                return assessment_figures(dialogue, PinFilter(), size, 0, quotes_allowed=False)

            def hotspots_cold(size=size):
                hs._cache.clear()
                return hs.find_hotspots(outline, grid_summary(dialogue.id, size), size,
                                        (("safety", "negative"),))

            def hotspots_warm(size=size):
                return hs.find_hotspots(outline, grid_summary(dialogue.id, size), size,
                                        (("safety", "negative"),))

            (bare, _rows), (ours, figures), (cold, result), (warm, _r) = interleaved([
                lambda size=size: bare_group_by(dialogue.id, size), assessment, hotspots_cold,
                hotspots_warm])
            lines.append(
                f"- {size} m: bare GROUP BY {bare * 1000:.0f} ms; assessment view (cells, intervals, "
                f"weak legs, places, labels; {len(figures['cells']):,} cells) {ours * 1000:.0f} ms, "
                f"ratio **{ours / bare:.2f}**; hotspots, one layer, {len(result.cells):,} lattice "
                f"cells, 999 permutations: {cold * 1000:.0f} ms uncached (ratio **{cold / bare:.2f}**),"
                f" {warm * 1000:.0f} ms cached (ratio {warm / bare:.2f})")
    for path, name in ((f"/planering/analys/dialoger/{dialogue.id}/bedomning", "assessment page (250 m)"),
                       (f"/planering/analys/dialoger/{dialogue.id}/bedomning?size=100",
                        "assessment page (100 m)"),
                       (f"/planering/analys/dialoger/{dialogue.id}/heta-punkter", "hotspot page (100 m)")):
        seconds, response = timed(lambda path=path: client.get(path), repeat=3)
        assert response.status_code == 200, (path, response.status_code)
        lines.append(f"- {name}: {len(response.data) / 1e6:.3f} MB in {seconds:.2f} s")
    return lines


def main() -> None:
    """Seed, measure, print the results block."""
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--pins", type=int, default=100_000)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--dialogue", type=int,
                        help="measure an already seeded benchmark dialogue instead of seeding one")
    parser.add_argument("--only-new", action="store_true",
                        help="only the assessment and hotspot views (issue 16)")
    args = parser.parse_args()

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "SECRET_KEY": "bench",
                      "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False,
                      "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False})
    from flask_migrate import upgrade
    from shapely import from_geojson

    from app.analysis.grid import grid_summary
    from app.resident.routes import area_geojson

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
        upgrade()
        if args.dialogue:
            from app.models import Dialogue, Membership, User

            dialogue = db.session.get(Dialogue, args.dialogue)
            area = dialogue.area
            user = db.session.execute(
                select(User).join(Membership).where(
                    Membership.municipality_id == dialogue.municipality_id)).scalars().first()
            seed_seconds = 0.0
        else:
            dialogue, user, area = setup_dialogue()
            bounds = from_geojson(area_geojson(area.id)).bounds
            seed_seconds = seed(dialogue, args.pins, bounds)
        db.session.expire_all()
        lines = [f"### {db.engine.dialect.name}, {args.pins:,} pins ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
                 f"- machine: {machine()}", f"- seeding: {seed_seconds:.1f} s"]
        if args.only_new:
            client = app.test_client()
            client.post("/konto/logga-in", data={"email": user.email, "password": PASSWORD})
            lines += new_views(app, client, dialogue, area)
            print("\n".join(lines))
            return
        for size in (250, 100):
            (ours, cells), (bare, rows), (per_value, _rows) = interleaved([
                lambda size=size: grid_summary(dialogue.id, size),
                lambda size=size: bare_group_by(dialogue.id, size),
                lambda size=size: bare_group_by(dialogue.id, size, sentiment=False),
            ])
            assert sum(c.total for c in cells) == sum(r[-1] for r in rows) == args.pins
            lines.append(f"- grid summary {size} m ({len(cells):,} cells, {len(rows):,} groups of cell, "
                         f"value and sentiment): ours {ours * 1000:.0f} ms, bare GROUP BY of the same "
                         f"groups {bare * 1000:.0f} ms, ratio **{ours / bare:.2f}**; (bare GROUP BY per "
                         f"value only: {per_value * 1000:.0f} ms, ratio {ours / per_value:.2f})")
        client = app.test_client()
        client.post("/konto/logga-in", data={"email": user.email, "password": PASSWORD})
        url = f"/planering/analys/dialoger/{dialogue.id}"
        page_seconds, response = timed(lambda: client.get(url), repeat=3)
        assert response.status_code == 200, response.status_code
        page_bytes = len(response.data)
        naive_seconds, naive = timed(lambda: naive_page(dialogue), repeat=1)
        naive_bytes = len(naive.encode())
        lines.append(f"- analysis page: {page_bytes / 1e6:.3f} MB in {page_seconds:.2f} s; naive page: "
                     f"{naive_bytes / 1e6:.1f} MB in {naive_seconds:.2f} s; ours is "
                     f"{page_bytes / naive_bytes * 100:.2f} % of the naive page")
        if not args.no_browser:
            lines.append(f"- headless Chromium: analysis page {render_in_chromium(app, dialogue, user)}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
