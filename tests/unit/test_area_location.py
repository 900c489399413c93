"""An imported area must lie in Sweden and in its municipality; if not, the refusal names the cause.

The files are Stockholm's real districts moved into Norway and Denmark, or labelled with the
neighbouring SWEREF 99 zone, the mistakes a planner's GIS export makes.
"""

from __future__ import annotations

import pytest
import shapely

from app.geodata import boundaries
from app.geodata.importer import AreaImportError, area_from_geojson, read_area

from ..shifted_files import COPENHAGEN, OSLO, SIMPLIFIED, mislabelled_districts, moved_district


@pytest.fixture(autouse=True)
def _realdata():
    if not SIMPLIFIED.exists():
        pytest.skip(f"real geodata not found at {SIMPLIFIED.parent}")


def refusal(**kwargs) -> AreaImportError:
    with pytest.raises(AreaImportError) as info:
        read_area(**kwargs)
    return info.value


@pytest.mark.parametrize(("to", "shown"), [(OSLO, "lat 59.9"), (COPENHAGEN, "lat 55.6")],
                         ids=["oslo", "copenhagen"])
@pytest.mark.parametrize("kommunkod", ["0180", None])
def test_a_district_moved_abroad_is_refused_as_outside_sweden(tmp_path, to, shown, kommunkod):
    path = moved_district(tmp_path, to)
    err = refusal(path=path, kommunkod=kommunkod)
    assert err.code == "outside_sweden"
    assert "utanför Sverige" in str(err) and shown in str(err)
    assert "outside Sweden" in err.message("en")


def test_copenhagen_lies_outside_sweden_although_inside_its_bounding_box(tmp_path):
    # The old check was a bounding box (lng 10-24.3, lat 55-69.2): Copenhagen is inside it.
    err = refusal(path=moved_district(tmp_path, COPENHAGEN))
    assert boundaries.place(shapely.box(12.56, 55.67, 12.58, 55.68)).in_sweden is False
    assert err.params["likely_cause"] == "elsewhere"


def test_the_wrong_sweref_zone_is_named_with_where_the_area_would_lie(tmp_path):
    path = mislabelled_districts(tmp_path, 3010)
    err = refusal(path=path, where={"name": "HUSBY"}, kommunkod="0180")
    assert err.code == "outside_municipality"
    assert err.params["likely_crs"] == "EPSG:3011"
    text = str(err)
    assert "inte i Stockholm" in text
    assert "Filen säger SWEREF 99 16 30 (EPSG:3010); i SWEREF 99 18 00 (EPSG:3011) skulle den " \
           "ligga i Stockholm" in text
    assert "The file says SWEREF 99 16 30 (EPSG:3010); in SWEREF 99 18 00 (EPSG:3011) it " \
           "would lie in Stockholm" in err.message("en")


def test_an_area_in_another_municipality_is_refused_without_a_false_guess(tmp_path):
    husby = read_area(SIMPLIFIED, where={"name": "HUSBY"})  # lies in Stockholm
    with pytest.raises(AreaImportError) as info:
        area_from_geojson(shapely.geometry.mapping(husby.geometry), kommunkod="1480")  # Göteborg
    err = info.value
    assert err.code == "outside_municipality"
    assert "Området ligger i Stockholm, inte i Göteborg" in str(err)
    assert err.params["likely_cause"] == "wrong_municipality"


@pytest.mark.parametrize("name", ["HUSBY", "SKEPPSHOLMEN", "HANSTA", "LILLA ESSINGEN", "DJURGÅRDEN"])
def test_real_districts_at_the_edges_of_stockholm_are_accepted(name):
    # The shipped boundaries are simplified: islands and border districts must still pass.
    area = read_area(SIMPLIFIED, where={"name": name}, kommunkod="0180")
    assert area.municipality == "Stockholm" and area.vertex_count > 4


def test_every_stockholm_district_is_placed_in_stockholm():
    import pyogrio.raw

    meta, _index, _geometries, fields = pyogrio.raw.read(SIMPLIFIED)
    names = list(fields[meta["fields"].tolist().index("name")])
    refused = []
    for name in names:
        try:
            read_area(SIMPLIFIED, where={"name": name}, kommunkod="0180")
        except AreaImportError as err:
            refused.append((name, str(err)))
    assert refused == []


def test_an_unknown_kommunkod_checks_sweden_only():
    area = read_area(SIMPLIFIED, where={"name": "HUSBY"}, kommunkod="9999")  # the demo's code
    assert area.municipality == "Stockholm"
