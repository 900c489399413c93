"""The moderation queue and the coding page at scale, against the one-page queue they replaced.

    .venv/bin/python bench/moderation.py --database-url postgresql+psycopg://postgres@127.0.0.1:PORT/db

Add --record to write the figures to bench/RESULTS.md.

Seeds one dialogue with 100,000 pins by COPY (bench/seed.py), marks every 7th waiting and every
50th flagged for a link, then times through the app (median of five, after one warm-up), as a
working-group member: the queue's first page, the page after 1,000 pages' worth of comments
(a cursor from the keyset), the queue filtered by a flag and by value and state, and the coding
page. Beside them, the baselines: the query the old queue ran (every pin of the dialogue loaded
as ORM objects, no template), and OFFSET paging to the same deep page.
"""

from __future__ import annotations

import argparse

import psycopg
from common import machine, median_seconds, now, write_section
from flask_migrate import upgrade
from seed import seed
from sqlalchemy import case, select

from app.extensions import db
from app.models import Dialogue, Pin
from app.planner import queue
from tests.factories import Factories
from tests.reliability.server import app_on

PASSWORD = "moderering-lösenord-123"  # noqa: S105 - a throwaway account in a benchmark database


def mark(url: str, dialogue_id: int) -> None:
    """Every 7th pin waiting, every 50th flagged for a link, as a real queue would have them."""
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("UPDATE pin SET moderation_state = 'pending' WHERE dialogue_id = %s AND id %% 7 = 0",
                    (dialogue_id,))
        cur.execute("UPDATE pin SET flags = '[\"link\"]', text = text || ' www.exempel.se' "
                    "WHERE dialogue_id = %s AND id %% 50 = 0", (dialogue_id,))
        cur.execute("ANALYZE pin")


def measure(url: str, dialogue_id: int) -> list[tuple[str, float, int]]:
    """(what, median seconds, body bytes) for each page and baseline."""
    rows = []
    with app_on(url, WTF_CSRF_ENABLED=False) as app:
        dialogue = db.session.get(Dialogue, dialogue_id)
        user = Factories().user(dialogue.municipality, "working_group", password=PASSWORD)
        client = app.test_client()
        assert client.post("/konto/logga-in", data={"email": user.email, "password": PASSWORD}
                           ).status_code == 302
        deep = queue.page(dialogue_id, queue.Filters(), size=50_000).next_cursor
        base = f"/planering/dialoger/{dialogue_id}"
        pages = [
            ("queue, first page", f"{base}/moderering"),
            ("queue, after 50,000 comments (keyset)", f"{base}/moderering?after={deep}"),
            ("queue, flag = link", f"{base}/moderering?flag=link"),
            ("queue, waiting + safety", f"{base}/moderering?state=pending&value=safety"),
            ("coding page, first page", f"{base}/teman"),
            ("coding page, after 50,000 comments", f"{base}/teman?after={deep}"),
        ]
        for name, path in pages:
            size = 0

            def get(path=path):
                nonlocal size
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
                size = len(response.get_data())

            rows.append((name, median_seconds(get, 5), size))
        rank = case((Pin.moderation_state == "pending", 0), else_=1)

        def old_queue():
            db.session.execute(select(Pin).where(Pin.dialogue_id == dialogue_id)
                               .order_by(rank, Pin.created_at.desc(), Pin.id.desc())).scalars().all()
            db.session.rollback()

        def offset_page():
            db.session.execute(select(Pin).where(Pin.dialogue_id == dialogue_id)
                               .order_by(rank, Pin.created_at.desc(), Pin.id.desc())
                               .offset(50_000).limit(50)).scalars().all()
            db.session.rollback()

        rows.append(("baseline: the old queue's query (all pins as objects, no page)",
                     median_seconds(old_queue, 3), 0))
        rows.append(("baseline: OFFSET 50,000 LIMIT 50 (query only)", median_seconds(offset_page, 5), 0))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="postgresql+psycopg://... (PostGIS)")
    parser.add_argument("--pins", type=int, default=100_000)
    parser.add_argument("--record", action="store_true", help="write the figures to bench/RESULTS.md")
    args = parser.parse_args()
    with app_on(args.database_url):
        upgrade()
    dialogue_id, seeded = seed(args.database_url, args.pins, None)
    mark(args.database_url, dialogue_id)
    rows = measure(args.database_url, dialogue_id)
    lines = [f"{args.pins:,} pins on PostGIS, seeded in {seeded:.1f} s; {now()}; {machine()}.", "",
             "| page | median | body |", "|---|---|---|"]
    for name, seconds, size in rows:
        lines.append(f"| {name} | {seconds * 1000:,.0f} ms | "
                     + (f"{size / 1024:,.0f} KiB" if size else "–") + " |")
    text = "\n".join(lines)
    print(text)
    if args.record:
        write_section("Moderation and coding at 100,000 pins", text)


if __name__ == "__main__":
    main()
