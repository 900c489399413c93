"""Helpers for the analysis tests: many pins in one transaction, logins with a role."""

from __future__ import annotations

import itertools
import random
import re
from datetime import UTC, datetime
from html import unescape

from geoalchemy2.shape import from_shape
from sqlalchemy import insert

from app.extensions import db
from app.models import Answer, Pin, Response
from app.resident.service import new_receipt_code
from app.spatial import WGS84, point, to_sweref

from .conftest import csrf_from

_keys = itertools.count(1)
# A box around the demo area (lat, lng).
BOX = (59.404, 17.915, 59.418, 17.94)


def add_pins(dialogue, specs, *, answers: dict | None = None) -> list[Pin]:
    """One response per spec (lat, lng, value, sentiment[, text, created_at]), committed once."""
    pins = []
    for spec in specs:
        lat, lng, value, sentiment, *rest = spec
        text = rest[0] if rest else "En synpunkt."
        created = rest[1] if len(rest) > 1 else datetime.now(UTC)
        easting, northing = to_sweref(lat, lng)
        response = Response(
            dialogue_id=dialogue.id, survey_version_id=dialogue.survey_version_id,
            idempotency_key=f"analysis-key-{next(_keys):010d}", receipt_code=new_receipt_code(),
            created_at=created,
        )
        for question_id, answer in (answers or {}).items():
            response.answers.append(Answer(question_id=question_id, value=answer))
        pin = Pin(dialogue_id=dialogue.id, geom=from_shape(point(lat, lng), srid=WGS84),
                  sweref_e=easting, sweref_n=northing, value=value, sentiment=sentiment,
                  text=text, moderation_state="published", created_at=created)
        response.pins.append(pin)
        db.session.add(response)
        pins.append(pin)
    db.session.commit()
    return pins


def random_specs(n: int, seed: int = 6) -> list[tuple]:
    """n random pins in BOX with random values and sentiments."""
    rng = random.Random(seed)
    return [
        (rng.uniform(BOX[0], BOX[2]), rng.uniform(BOX[1], BOX[3]),
         rng.choice(("safety", "justice", "development")),
         rng.choice(("positive", "negative", "idea")))
        for _ in range(n)
    ]


def login(client, user, password="rätt-lösenord-123"):
    """Log the user in through the login form."""
    page = client.get("/konto/logga-in").get_data(as_text=True)
    response = client.post("/konto/logga-in", data={
        "csrf_token": csrf_from(page), "email": user.email, "password": password,
    })
    assert response.status_code == 302


def press_compute(client, html: str):
    """Press the hot spot page's compute button as a browser would: the form's action, its CSRF
    token (jobs run at once in the suite), following the redirect back to the page."""
    action = unescape(re.search(r'<form method="post" action="([^"]+heta-punkter/berakna[^"]*)"',
                                html).group(1))
    return client.post(action, data={"csrf_token": csrf_from(html)}, follow_redirects=True)


def download_link(html: str) -> str | None:
    """The hot spot page's GeoJSON download link, if it offers one (else it offers the button)."""
    found = re.search(r'<p class="no-print" id="hotspot-download"><a href="([^"]+)"', html)
    return unescape(found.group(1)) if found else None


def hotspot_grid(client, dialogue_id: int, query: str = "size=100"):
    """The nine-layer hot spot GeoJSON as a planner gets it: open the page, press the compute
    button if the page offers it instead of the link, then follow the link."""
    html = client.get(f"/planering/analys/dialoger/{dialogue_id}/heta-punkter?{query}"
                      ).get_data(as_text=True)
    if download_link(html) is None:
        html = press_compute(client, html).get_data(as_text=True)
    return client.get(download_link(html))


def many_pins(dialogue, n: int) -> None:
    """n random pins, one response each, in multi-row INSERTs (the ORM would take minutes)."""
    now = datetime.now(UTC)
    stamp = next(_keys)
    response_ids = db.session.execute(
        insert(Response).returning(Response.id, sort_by_parameter_order=True),
        [{"dialogue_id": dialogue.id, "survey_version_id": dialogue.survey_version_id,
          "idempotency_key": f"many-{stamp}-{i:010d}", "receipt_code": f"M{stamp:05d}{i:010d}"[:16],
          "language": "sv", "created_at": now} for i in range(n)],
    ).scalars().all()
    rows = []
    for response_id, (lat, lng, value, sentiment) in zip(response_ids, random_specs(n), strict=True):
        easting, northing = to_sweref(lat, lng)
        rows.append({"dialogue_id": dialogue.id, "response_id": response_id, "location_kind": "map",
                     "geom": from_shape(point(lat, lng), srid=WGS84), "sweref_e": easting,
                     "sweref_n": northing, "value": value, "sentiment": sentiment,
                     "text": f"Synpunkt {response_id}", "moderation_state": "published", "flags": [],
                     "created_at": now})
    # With RETURNING, SQLAlchemy sends the rows as multi-row INSERTs of a thousand each; without
    # it, psycopg sends one INSERT per row, and PostgreSQL runs the tally triggers once per row.
    db.session.execute(insert(Pin).returning(Pin.id), rows)
    db.session.commit()
