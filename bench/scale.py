"""Every planner page's time as the pins grow, beside the bare query it needs; run by hand only.

    .venv/bin/python bench/scale.py --database-url postgresql+psycopg://postgres@127.0.0.1:5439/pd_scale

For each size (10,000, 100,000 and 1,000,000 pins by default) one dialogue (slug `scale-N`) is
seeded by COPY (bench/seed.py) unless it is already there with that many pins, so a second run
measures at once. Then every planner page and data route is requested through the app (median of
three, after one warm-up) as a working-group member, and beside it the bare SQL the page cannot do
without if it grouped `pin` itself (its main GROUP BY, or its first page of comments). Add
--record to write the "Scale" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import time
from datetime import timedelta

import psycopg
from common import machine, median_seconds, now, publish
from flask_migrate import upgrade
from seed import seed
from sqlalchemy import func, select

from app.analysis import hotspots
from app.domain import today_in_sweden
from app.extensions import db
from app.models import DevelopmentArea, Dialogue, Pin, User
from tests.factories import Factories
from tests.reliability.server import app_on

EMAIL = "skala@example.se"
PASSWORD = "skala-lösenord-123"  # noqa: S105 - a throwaway account in a benchmark database
_GRID = ("SELECT floor(sweref_e / {s}), floor(sweref_n / {s}), value, sentiment, count(*) FROM pin "
         "WHERE dialogue_id = %(d)s AND moderation_state = 'published' GROUP BY 1, 2, 3, 4")
_FIRST_PAGE = ("SELECT * FROM pin WHERE dialogue_id = %(d)s ORDER BY created_at DESC, id DESC LIMIT 50")
_PER_DIALOGUE = "SELECT moderation_state, count(*) FROM pin WHERE dialogue_id = %(d)s GROUP BY 1"
_VALUES = ("SELECT value, sentiment, count(*) FROM pin WHERE dialogue_id = %(d)s "
           "AND moderation_state = 'published' GROUP BY 1, 2")
# The respondents of one age group (and of one gender), as filters.answer_includes finds them.
_GROUP = ("AND response_id IN (SELECT response_id FROM response_option WHERE dialogue_id = %(d)s "
          "AND question_id = '{q}' AND option_id = '{o}') ")
_AGE_GROUP = _GROUP.format(q="alder", o="age_25_44")
_AGE_AND_GENDER = _AGE_GROUP + _GROUP.format(q="kon", o="man")
# (name, path, the bare query that page needs)
PAGES = (
    ("dialogue list", "/planering/", _PER_DIALOGUE),
    ("dialogue page (settings)", "/planering/dialoger/{id}", _PER_DIALOGUE),
    ("moderation queue", "/planering/dialoger/{id}/moderering", _FIRST_PAGE),
    ("coding (themes)", "/planering/dialoger/{id}/teman", _FIRST_PAGE),
    ("theme suggestions", "/planering/dialoger/{id}/teman/forslag",
     "SELECT * FROM theme_suggestion WHERE dialogue_id = %(d)s"),
    ("analysis page", "/planering/analys/dialoger/{id}", _GRID.format(s=50)),
    ("analysis page, problems only", "/planering/analys/dialoger/{id}?sentiment=negative",
     _GRID.format(s=50)),
    ("analysis page, one day", "/planering/analys/dialoger/{id}?from={day}&to={day}", _GRID.format(s=50)),
    ("analysis page, one age group", "/planering/analys/dialoger/{id}?g_alder=age_25_44",
     _GRID.format(s=50).replace("GROUP BY", _AGE_GROUP + "GROUP BY")),
    ("analysis page, two groups (age and gender)",
     "/planering/analys/dialoger/{id}?g_alder=age_25_44&g_kon=man",
     _GRID.format(s=50).replace("GROUP BY", _AGE_AND_GENDER + "GROUP BY")),
    ("grid (100 m)", "/planering/analys/dialoger/{id}/rutnat?size=100", _GRID.format(s=100)),
    ("statistics", "/planering/analys/dialoger/{id}/statistik", _VALUES),
    ("statistics, one age group", "/planering/analys/dialoger/{id}/statistik?g_alder=age_25_44",
     _VALUES.replace("GROUP BY", _AGE_GROUP + "GROUP BY")),
    ("statistics, two groups (age and gender)",
     "/planering/analys/dialoger/{id}/statistik?g_alder=age_25_44&g_kon=man",
     _VALUES.replace("GROUP BY", _AGE_AND_GENDER + "GROUP BY")),
    ("assessment (250 m)", "/planering/analys/dialoger/{id}/bedomning", _GRID.format(s=250)),
    ("hotspots page (100 m)", "/planering/analys/dialoger/{id}/heta-punkter", _GRID.format(s=100)),
    # The nine-layer download of more than 111 cells is a job's stored result (409 until pressed):
    # what a request computes is one layer, as the page does.
    ("hotspots GeoJSON, one layer (100 m)",
     "/planering/analys/dialoger/{id}/heta-punkter.geojson?layer=safety-negative",
     _GRID.format(s=100)),
    ("steering overview", "/planering/analys/dialoger/{id}/styrgrupp", _GRID.format(s=250)),
    ("export page", "/planering/dialoger/{id}/export/", _PER_DIALOGUE),
    ("population", "/planering/dialoger/{id}/befolkning", _VALUES),
)


NOTES = """

The pages read the tallies (app/models/tally.py, kept by triggers in the writer's transaction), so
their time follows the cells, hours and rows they show, while the GROUP BY over `pin` in brackets
grows with every pin. "One day" filters the map by a date range, which the cell tally cannot
answer: it groups that day's pins through `ix_pin_dialogue_created`, and grows with that day's pins.
The comment lists (moderation, coding) page by keyset and read one page.

**Statistics and the steering overview** read their answer tables from the answer tallies
(`tally_answer`, `tally_answer_pin`, migration b41d7c2e9f05; were 1.9 s and 2.1 s at 1,000,000
pins, when answers per question and pins per demographic group joined `answer` with `response`
or `pin`).

**A demographic-group filter** ("one age group": respondents aged 25-44, a third of the pins)
reads the tallies of pins per group answer (migration c7d3a5e1f824): per hour, per 50 m cell, and
per pair of group answers for the other groups' tables, summed over the answers that include the
option. Before them the statistics page took 3.3 s at 1,000,000 pins (2026-12-01 15:08 UTC, the
same machine): four GROUP BYs over `pin` joined with the matching answers, 0.4-0.8 s each.

**Two groups at once** (men aged 25-44, a twelfth of the pins), like a group with a theme or a
group on a day's map, is beyond the tallies and groups `pin`: its respondents come from
`response_option` by index (the same migration; the JSON text of every answer was matched before,
4.9 s at 1,000,000 pins). The statistics page then groups the filtered pins once for its days,
values and group tables (`stats.pin_counts`: one statement over a CTE, each respondent's options
read from the covering index `ix_response_option_response` once, not once per pin), and once more
for its map of 250 m cells. It took 1.2 s at 1,000,000 pins when each of its four figures grouped
the pins itself and the group tables joined every pin with its respondent's answers (16:22 UTC).
The map with two groups ("analysis page, two groups") groups the same pins into 50 m cells once.
Where a small dialogue takes longer than a big one, the run before the answer tallies traced it
to PostgreSQL's default `random_page_cost = 4` (a small dialogue's query scans instead of using
the index; 1.1, the usual SSD setting, see README, fixed it there).
"""


def page_times(url: str, dialogue_id: int, repeat: int, only: set[str] | None
               ) -> dict[str, tuple[float, int, float]]:
    """(median seconds, body bytes, bare-query seconds) of each page, as a working-group member."""
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with app_on(url, WTF_CSRF_ENABLED=False) as app, psycopg.connect(dsn) as conn:
        dialogue = db.session.get(Dialogue, dialogue_id)
        user = db.session.execute(select(User).where(User.email == EMAIL)).scalar() or Factories().user(
            dialogue.municipality, "working_group", password=PASSWORD, email=EMAIL)
        client = app.test_client()
        login = client.post("/konto/logga-in", data={"email": user.email, "password": PASSWORD})
        assert login.status_code == 302, login.status_code
        results = {}
        for name, pattern, bare in PAGES:
            if only and name not in only:
                continue
            path = pattern.format(id=dialogue.id, day=(today_in_sweden() - timedelta(days=15)).isoformat())
            size = 0

            def get(path=path):
                nonlocal size
                hotspots._cache.clear()  # each request computes its hot spots, as after a new pin
                response = client.get(path)
                size = len(response.get_data())
                assert response.status_code == 200, (path, response.status_code)

            page = median_seconds(get, repeat)
            query = median_seconds(lambda bare=bare: conn.execute(bare, {"d": dialogue_id}).fetchall(),
                                   repeat)
            results[name] = (page, size, query)
            print(f"  {name}: {page * 1000:,.0f} ms, bare query {query * 1000:,.0f} ms", flush=True)
        return results


def dialogue_of_size(url: str, size: int) -> int:
    """The id of the dialogue `scale-<size>` with exactly `size` pins, seeding it if needed."""
    with app_on(url):
        dialogue = db.session.execute(select(Dialogue).where(Dialogue.slug == f"scale-{size}")).scalar()
        if dialogue is not None:
            have = db.session.execute(select(func.count()).where(Pin.dialogue_id == dialogue.id)).scalar()
            if have == size:
                return dialogue.id
            raise SystemExit(f"dialogue scale-{size} has {have:,} pins; use a fresh database")
        other = db.session.execute(select(Dialogue).where(Dialogue.slug.like("scale-%"))).scalar()
        area = db.session.get(DevelopmentArea, other.area_id) if other else None
        dialogue_id = Factories().dialogue(area, slug=f"scale-{size}").id  # one municipality for all
    started = time.perf_counter()
    seed(url, size, dialogue_id)
    print(f"{size:,} pins seeded in {time.perf_counter() - started:.0f} s", flush=True)
    return dialogue_id


def table(sizes: list[int], rows: dict) -> str:
    """The Markdown table: each page at each size, with its bare query, and its growth."""
    header = ("| page | " + " | ".join(f"{s:,} pins: page (bare query)" for s in sizes)
              + " | growth, first to last size |")
    lines = [header, "|---|" + "---|" * (len(sizes) + 1)]
    for name, _pattern, _bare in PAGES:
        if name not in rows[sizes[0]]:
            continue
        cells = [f"{rows[s][name][0] * 1000:,.0f} ms ({rows[s][name][2] * 1000:,.0f} ms), "
                 f"{rows[s][name][1] / 1024:,.0f} KiB" for s in sizes]
        growth = rows[sizes[-1]][name][0] / rows[sizes[0]][name][0]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {growth:.1f}× |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="postgresql+psycopg://... (PostGIS)")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", help="page names to measure, separated by ; (while developing)")
    parser.add_argument("--record", action="store_true", help="write the figures to bench/RESULTS.md")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    only = set(args.only.split(";")) if args.only else None
    started_on = machine()
    with app_on(args.database_url):
        upgrade()
    rows = {}
    for size in sizes:
        dialogue_id = dialogue_of_size(args.database_url, size)
        print(f"{size:,} pins (dialogue {dialogue_id}):", flush=True)
        rows[size] = page_times(args.database_url, dialogue_id, args.repeat, only)
    body = (f"Measured {now()} on {started_on}, PostgreSQL 15 + PostGIS 3.3, `bench/scale.py`: "
            f"median of {args.repeat} requests through the app after one warm-up, as a "
            "working-group member; in brackets the bare SQL over `pin` that the page would need "
            "without the tallies (its main GROUP BY, or for the comment lists their first page), "
            "timed on the same database. Each size is its own dialogue seeded by COPY (five "
            "answers per response: age group, gender and relation to the area, a Likert and a "
            "choice; no themes), all in one database.\n\n" + table(sizes, rows) + NOTES)
    publish("Scale", body, args.record)


if __name__ == "__main__":
    main()
