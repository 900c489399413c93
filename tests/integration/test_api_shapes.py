"""The public API's pins: a drawn route or area is its own LineString or Polygon with its size."""

from __future__ import annotations

import pytest
import shapely

from .shape_helpers import park_area, route_along_a_row


def test_public_pins_give_routes_and_areas_their_geometry_and_size(client, make):
    dialogue = make.dialogue()
    point = make.pin(dialogue)
    route = make.drawn(dialogue, route_along_a_row())
    area = make.drawn(dialogue, park_area(), value="development", sentiment="idea")
    make.drawn(dialogue, route_along_a_row(), state="pending")
    body = client.get(f"/api/v1/dialogues/{dialogue.slug}/pins").json
    features = {f["id"]: f for f in body["features"]}
    assert set(features) == {point.id, route.id, area.id}
    line = features[route.id]
    assert line["geometry"]["type"] == "LineString"
    assert shapely.geometry.shape(line["geometry"]).equals_exact(route_along_a_row(), 1e-7)
    assert line["properties"]["shape_kind"] == "line"
    assert line["properties"]["length_m"] == pytest.approx(250, abs=0.5)
    polygon = features[area.id]
    assert polygon["geometry"]["type"] == "Polygon"
    assert polygon["properties"]["area_m2"] == pytest.approx(20000, abs=1)
    assert features[point.id]["geometry"]["type"] == "Point"
    assert features[point.id]["properties"]["shape_kind"] == "point"
    assert features[point.id]["properties"]["length_m"] is None
