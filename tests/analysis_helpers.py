"""Helpers for the analysis tests: many pins in one transaction, logins with a role."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime

from geoalchemy2.shape import from_shape

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
