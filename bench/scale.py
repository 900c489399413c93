"""How the main pages' time grows with the number of pins; run by hand, never in the test suite.

    /work/venv/bin/python bench/scale.py --database-url postgresql+psycopg://postgres@127.0.0.1:5439/pd_scale

For each size (10,000, 100,000 and 1,000,000 pins by default) a fresh dialogue is seeded by COPY
(bench/seed.py), then the pages a resident and a working group open are requested through the app
(median of three, after one warm-up): the resident landing page, the analysis page, the grid
summary, the statistics, and a streamed CSV export read to the end. Writes the "Scale" section.
"""

from __future__ import annotations

import argparse
import statistics
import time

from common import machine, now, write_section
from flask_migrate import upgrade
from seed import seed

from app.extensions import db
from app.models import Dialogue
from tests.factories import Factories
from tests.reliability.server import app_on

PASSWORD = "skala-lösenord-123"  # noqa: S105 - a throwaway account in a benchmark database
PAGES = (
    ("resident landing page", "/d/{slug}"),
    ("analysis page", "/planering/analys/dialoger/{id}"),
    ("grid summary (100 m)", "/planering/analys/dialoger/{id}/rutnat"),
    ("statistics", "/planering/analys/dialoger/{id}/statistik"),
    ("CSV export (streamed, read to the end)", "/planering/dialoger/{id}/export/csv"),
)


def page_times(url: str, dialogue_id: int, repeat: int = 3) -> dict[str, tuple[float, int]]:
    """Median seconds and body size of each page for one dialogue, as a working-group member."""
    with app_on(url, WTF_CSRF_ENABLED=False) as app:
        dialogue = db.session.get(Dialogue, dialogue_id)
        user = Factories().user(dialogue.municipality, "working_group", password=PASSWORD)
        client = app.test_client()
        login = client.post("/konto/logga-in", data={"email": user.email, "password": PASSWORD})
        assert login.status_code == 302, login.status_code
        results = {}
        for name, pattern in PAGES:
            path = pattern.format(slug=dialogue.slug, id=dialogue.id)
            seconds, size = [], 0
            for attempt in range(repeat + 1):
                started = time.perf_counter()
                response = client.get(path)
                size = len(response.get_data())
                elapsed = time.perf_counter() - started
                assert response.status_code == 200, (path, response.status_code)
                if attempt:  # the first request warms caches and the connection pool
                    seconds.append(elapsed)
            results[name] = (statistics.median(seconds), size)
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="postgresql+psycopg://... (PostGIS)")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--record", action="store_true", help="write the figures to bench/RESULTS.md")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with app_on(args.database_url):
        upgrade()
    rows = {}
    for size in sizes:
        dialogue_id, seeded = seed(args.database_url, size, None)
        rows[size] = page_times(args.database_url, dialogue_id)
        print(f"{size:,} pins seeded in {seeded:.1f} s: "
              + ", ".join(f"{name} {t * 1000:.0f} ms" for name, (t, _) in rows[size].items()), flush=True)
    header = "| page | " + " | ".join(f"{s:,} pins" for s in sizes) + " | growth, first to last size |"
    lines = [header, "|---|" + "---|" * (len(sizes) + 1)]
    for name, _ in PAGES:
        cells = [f"{rows[s][name][0] * 1000:,.0f} ms ({rows[s][name][1] / 1024:,.0f} KiB)" for s in sizes]
        growth = rows[sizes[-1]][name][0] / rows[sizes[0]][name][0]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {growth:.1f}× |")
    body = (f"Measured {now()} on {machine()}, PostGIS, `bench/scale.py` (median of three requests "
            "through the app after one warm-up, as a working-group member; each size is its own "
            "dialogue seeded by COPY).\n\n" + "\n".join(lines) + "\n\nThe pins grow "
            f"{sizes[-1] // sizes[0]:,}×. Pages that aggregate in the database grow with the rows "
            "scanned, while their size stays bounded; the CSV export grows with the rows it writes.")
    print(body)
    if args.record:
        write_section("Scale", body)


if __name__ == "__main__":
    main()
