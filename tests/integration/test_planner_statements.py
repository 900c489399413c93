"""Every planner page sends as many SQL statements with 50 comments as with 5: no N+1.

The pages are every GET route of the planner's blueprints, filled from one municipality's world
(isolation_world.py). Between the two visits 45 comments are added, each with a theme and an answer.
"""

from __future__ import annotations

import pytest
from flask import Flask

from app.extensions import db
from app.models import Feedback, Theme

from .isolation_world import build_world, fill
from .query_count import count_queries  # noqa: F401  (a fixture)
from .sessions import Session

BLUEPRINTS = ("planner.", "analysis.", "export.", "users.")
# Files, not pages: their cost is measured in bench/.
SKIP = {"planner.dialogue_qr", "planner.heatmap"}
# Query arguments a page needs to answer at once: the nine-layer hot spot grid of the area is a job.
ARGS = {"analysis.hotspots_geojson": {"layer": "safety-negative"}}


def planner_pages(app: Flask, world) -> list[str]:
    """The URL of every GET page of the planner's blueprints for this world's objects."""
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(BLUEPRINTS) or rule.endpoint in SKIP:
            continue
        if "GET" not in rule.methods or "/export/" in rule.rule and rule.rule.count("<") > 1:
            continue
        values = fill(rule, world)
        if values is None:
            continue
        with app.test_request_context():
            from flask import url_for
            urls.append(url_for(rule.endpoint, **values, **ARGS.get(rule.endpoint, {})))
    return sorted(set(urls))


def _more_comments(make, world, count: int) -> None:
    theme = db.session.get(Theme, world.theme.id)
    dialogue = world.dialogue
    for n in range(count):
        pin = make.pin(dialogue, text=f"Kommentar {n}", state=("pending", "published")[n % 2],
                       value=("safety", "justice", "development")[n % 3])
        theme = db.session.get(Theme, theme.id)
        theme.pins.append(db.session.get(type(pin), pin.id))
        db.session.add(Feedback(dialogue_id=dialogue.id, pin_id=pin.id, text=f"Svar {n}",
                                published=True))
        db.session.commit()


def test_no_planner_page_sends_more_statements_for_more_comments(app, make, count_queries):  # noqa: F811
    world = build_world(make, "A")
    _more_comments(make, world, 4)  # 5 comments
    session = Session(app, world.project_leader)
    pages = planner_pages(app, world)
    assert any("/moderering" in url for url in pages) and any("/teman" in url for url in pages)

    def statements(url: str) -> int:
        session.send("GET", url, {})  # warm: the first visit may load caches
        with count_queries() as sent:
            response = session.send("GET", url, {})
        assert response.status_code < 400, (url, response.status_code)
        return len(sent)

    before = {url: statements(url) for url in pages}
    _more_comments(make, world, 45)  # 50 comments
    after = {url: statements(url) for url in pages}
    grown = {url: (before[url], after[url]) for url in pages if after[url] > before[url]}
    assert grown == {}, f"statements with 5 -> 50 comments: {grown}"


@pytest.mark.parametrize("path", ["moderering", "teman"])
def test_the_queue_and_coding_pages_send_a_fixed_small_number_of_statements(
        app, make, count_queries, path):  # noqa: F811
    world = build_world(make, "B")
    _more_comments(make, world, 49)
    session = Session(app, world.project_leader)
    url = f"/planering/dialoger/{world.dialogue.id}/{path}"
    session.send("GET", url, {})
    with count_queries() as sent:
        assert session.send("GET", url, {}).status_code == 200
    assert len(sent) <= 14, "\n".join(sent)
