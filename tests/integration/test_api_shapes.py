"""Public pins: in the API and on the resident's map a drawn route or area is its own LineString or
Polygon (lng/lat, as drawn), the API's with its size."""

from __future__ import annotations

import pytest
import shapely
from shapely import MultiPolygon

from app.domain import VALUE_COLOURS

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


def test_the_resident_map_gets_published_routes_and_areas_as_drawn_in_lng_lat(client, make):
    dialogue = make.dialogue()
    make.pin(dialogue, text="En punkt.")
    make.drawn(dialogue, route_along_a_row(), text="En väg.")
    make.drawn(dialogue, park_area(), value="development", sentiment="idea", text="En park.")
    two_parks = MultiPolygon([park_area(), shapely.affinity.translate(park_area(), 0.004, 0)])
    make.drawn(dialogue, two_parks, value="justice", sentiment="positive", text="Två parker.")
    make.drawn(dialogue, route_along_a_row(), text="Väntar.", state="pending")
    pins = {p["text"]: p for p in client.get(f"/d/{dialogue.slug}/synpunkter.json").get_json()["pins"]}
    assert set(pins) == {"En punkt.", "En väg.", "En park.", "Två parker."}
    assert pins["En punkt."]["kind"] == "point" and pins["En punkt."]["shape"] is None
    for text, kind, drawn, value in [("En väg.", "line", route_along_a_row(), "safety"),
                                     ("En park.", "area", park_area(), "development"),
                                     ("Två parker.", "area", two_parks, "justice")]:
        pin = pins[text]
        assert (pin["kind"], pin["colour"]) == (kind, VALUE_COLOURS[value])
        assert pin["shape"]["type"] == drawn.geom_type
        # Longitude first, as GeoJSON and Leaflet's L.geoJSON want; within 10 cm of the drawing.
        lng, lat = shapely.geometry.shape(pin["shape"]).centroid.coords[0]
        assert 17.8 < lng < 18.0 and 59.3 < lat < 59.5
        assert shapely.geometry.shape(pin["shape"]).equals_exact(drawn, 1e-6), text
