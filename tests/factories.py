"""Factory functions that put real rows in the test database (Indico-style make_* helpers)."""

from __future__ import annotations

import itertools
import json
from datetime import timedelta
from pathlib import Path

from geoalchemy2.shape import from_shape
from shapely import Polygon, from_geojson

from app.areas import store_area
from app.dialogues import create_dialogue, freeze_survey
from app.domain import today_in_sweden
from app.extensions import db
from app.models import Membership, Municipality, Pin, Response, User
from app.resident.service import new_receipt_code
from app.spatial import WGS84, measure_shape, point, to_sweref

REPO = Path(__file__).resolve().parents[1]
DEMO_AREA = REPO / "geodata" / "husby.geojson"
MAIN_SURVEY = REPO / "surveys" / "trygghet-rattvisa-utveckling.yaml"
_sequence = itertools.count(1)


def husby_polygon():
    """Our demo area around Husby (WGS84)."""
    feature = json.loads(DEMO_AREA.read_text())["features"][0]
    return from_geojson(json.dumps(feature["geometry"]))


# A point inside the demo area, and one just outside it (lat, lng).
INSIDE = (59.4108, 17.9259)
OUTSIDE = (59.4300, 17.9259)


class Factories:
    """make.municipality(), make.area(), make.dialogue(), make.pin(), make.user()."""

    def municipality(self, name: str | None = None, kommunkod: str | None = None, **fields):
        n = next(_sequence)
        # 9xxx is no real kommunkod, so an area anywhere in Sweden is accepted for a test
        # municipality; tests of the municipality check name a real one (0180 Stockholm).
        municipality = Municipality(
            name=name or f"Testkommun {n}", kommunkod=kommunkod or f"{9000 + n % 1000:04d}",
            **fields
        )
        db.session.add(municipality)
        db.session.commit()
        return municipality

    def area(self, municipality=None, geometry=None, name: str = "Husby"):
        area = store_area(municipality or self.municipality(), name, geometry or husby_polygon())
        db.session.commit()
        return area

    def survey_version(self, path: Path = MAIN_SURVEY):
        from app.surveys import load_definition

        version = freeze_survey(load_definition(path), source_name=path.name)
        db.session.commit()
        return version

    def dialogue(self, area=None, *, status: str = "open", version=None, **fields):
        n = next(_sequence)
        fields.setdefault("slug", f"dialog-{n}")
        fields.setdefault("title", f"Dialog {n}")
        fields.setdefault("opens_on", today_in_sweden() - timedelta(days=1))
        fields.setdefault("closes_on", today_in_sweden() + timedelta(days=30))
        dialogue = create_dialogue(
            area or self.area(), version or self.survey_version(), status=status, **fields
        )
        db.session.commit()
        return dialogue

    def pin(self, dialogue, lat: float = INSIDE[0], lng: float = INSIDE[1], *, value="safety",
            sentiment="negative", text="Mörkt här på kvällen.", state="published", **fields):
        """A response with one map pin (coordinates not checked: that is the service's job)."""
        easting, northing = to_sweref(lat, lng)
        response = Response(
            dialogue_id=dialogue.id, survey_version_id=dialogue.survey_version_id,
            idempotency_key=f"test-key-{next(_sequence):08d}-0000", receipt_code=new_receipt_code(),
        )
        pin = Pin(
            dialogue_id=dialogue.id, geom=from_shape(point(lat, lng), srid=WGS84),
            sweref_e=easting, sweref_n=northing, value=value, sentiment=sentiment, text=text,
            moderation_state=state, **fields,
        )
        response.pins.append(pin)
        db.session.add(response)
        db.session.commit()
        return pin

    def drawn(self, dialogue, shape, *, value="safety", sentiment="negative",
              text="Hit går jag inte efter mörkrets inbrott.", state="published", **fields):
        """A response with one drawn line or area (WGS84 Shapely geometry; not checked)."""
        kind = "line" if shape.geom_type in ("LineString", "MultiLineString") else "area"
        measures = measure_shape(shape)
        pin = self.pin(dialogue, measures.lat, measures.lng, value=value, sentiment=sentiment,
                       text=text, state=state, shape_kind=kind, shape=from_shape(shape, srid=WGS84),
                       length_m=measures.length_m, area_m2=measures.area_m2, **fields)
        return pin

    def user(self, municipality=None, role: str | None = "working_group", *,
             password: str = "rätt-lösenord-123", **fields):
        n = next(_sequence)
        fields.setdefault("email", f"planerare{n}@example.se")
        fields.setdefault("display_name", f"Planerare {n}")
        user = User(**fields)
        user.set_password(password)
        if municipality is not None and role:
            user.memberships.append(Membership(municipality=municipality, role=role))
        db.session.add(user)
        db.session.commit()
        return user


def square(lat: float, lng: float, half_side_deg: float = 0.01) -> Polygon:
    """A small square polygon around a point (WGS84)."""
    d = half_side_deg
    return Polygon([(lng - d, lat - d), (lng + d, lat - d), (lng + d, lat + d), (lng - d, lat + d)])
