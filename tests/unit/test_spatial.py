"""The spatial helpers: reprojection, measuring, coordinate checks."""

import math

import pytest
from shapely import MultiPolygon, Point, Polygon

from app.spatial import (
    SWEREF99_TM,
    WGS84,
    area_km2,
    as_multipolygon,
    folium_bounds,
    from_sweref,
    reproject,
    to_sweref,
    valid_lat_lng,
)


def test_sweref_round_trip_is_below_a_millimetre():
    lat, lng = 59.4108, 17.9259
    easting, northing = to_sweref(lat, lng)
    back_lat, back_lng = from_sweref(easting, northing)
    assert math.dist((lat, lng), (back_lat, back_lng)) < 1e-8


def test_sweref_99_tm_is_metres_with_false_easting_500000_at_15_degrees_east():
    # SWEREF 99 TM is UTM zone 33 on SWEREF 99: the central meridian 15° E has easting 500 000 m.
    easting, northing = to_sweref(62.0, 15.0)
    assert easting == pytest.approx(500_000, abs=0.01)
    # One degree of latitude is about 111.4 km at 62° N.
    _, northing_north = to_sweref(63.0, 15.0)
    assert northing_north - northing == pytest.approx(111_400, rel=0.005)


def test_area_of_a_square_kilometre_drawn_in_sweref_is_one():
    corners = [(670_000, 6_590_000), (671_000, 6_590_000), (671_000, 6_591_000), (670_000, 6_591_000)]
    square_m = Polygon(corners)
    square_wgs84 = reproject(square_m, SWEREF99_TM, WGS84)
    assert area_km2(square_wgs84) == pytest.approx(1.0, rel=1e-6)


@pytest.mark.parametrize(
    "lat, lng",
    [
        (float("nan"), 18.0),
        (59.0, float("inf")),
        (1e308, 18.0),
        ("59.4", "abc"),
        (None, 18.0),
        (17.9259, 59.4108),  # swapped axes: far outside Sweden
        (48.85, 2.35),  # Paris
    ],
)
def test_invalid_or_foreign_coordinates_are_refused(lat, lng):
    assert valid_lat_lng(lat, lng) is None


def test_coordinates_as_text_from_a_form_are_accepted():
    assert valid_lat_lng("59.4108", "17.9259") == (59.4108, 17.9259)


def test_polygon_becomes_multipolygon_and_points_are_refused():
    polygon = Polygon([(0, 0), (1, 0), (1, 1)])
    assert isinstance(as_multipolygon(polygon), MultiPolygon)
    with pytest.raises(TypeError):
        as_multipolygon(Point(0, 0))


def test_folium_bounds_are_lat_lng_south_west_then_north_east():
    polygon = Polygon([(17.9, 59.4), (17.95, 59.4), (17.95, 59.42)])
    assert folium_bounds(polygon) == [[59.4, 17.9], [59.42, 17.95]]
