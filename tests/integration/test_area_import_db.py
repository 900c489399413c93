"""`platsdialog area import`: real files into the spatial database, or nothing at all."""

import json

import pytest
from shapely import from_geojson
from shapely.geometry import shape
from sqlalchemy import func, select

from app.extensions import db
from app.models import DevelopmentArea
from app.spatial import SWEREF99_TM, WGS84, reproject


def _stored_area(name: str):
    geojson = db.session.execute(
        select(func.ST_AsGeoJSON(DevelopmentArea.geom)).where(DevelopmentArea.name == name)
    ).scalar_one()
    return from_geojson(geojson)


def test_husby_from_the_stockholm_shapefile_lands_where_the_geojson_says(make, runner, realdata):
    make.municipality(name="Stockholm", kommunkod="0180")
    shapefile = realdata / "stockholm-stadsdelar" / "shapefile-simplified"
    shp = next(shapefile.glob("*.shp"))
    result = runner.invoke(
        args=["area", "import", str(shp), "--kommunkod", "0180", "--name", "Husby",
              "--where", "name=HUSBY"]
    )
    assert result.exit_code == 0, result.output
    assert "Husby" in result.output and "km²" in result.output

    stored = _stored_area("Husby")
    features = json.loads(next((realdata / "stockholm-stadsdelar" / "geojson").glob("*.json")).read_text())
    reference = next(shape(f["geometry"]) for f in features["features"] if f["properties"]["name"] == "HUSBY")
    stored_centroid = reproject(stored, WGS84, SWEREF99_TM).centroid
    reference_centroid = reproject(reference, WGS84, SWEREF99_TM).centroid
    assert stored_centroid.distance(reference_centroid) < 1.0
    area = db.session.execute(select(DevelopmentArea).where(DevelopmentArea.name == "Husby")).scalar_one()
    assert area.area_km2 == pytest.approx(reproject(reference, WGS84, SWEREF99_TM).area / 1e6, rel=1e-3)


def test_a_failed_import_says_why_and_stores_nothing(make, runner, tmp_path):
    make.municipality(kommunkod="0180")
    points = tmp_path / "punkter.geojson"
    points.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [17.9, 59.4]}}
    ]}))
    result = runner.invoke(args=["area", "import", str(points), "--kommunkod", "0180", "--name", "X"])
    assert result.exit_code == 1
    assert "polygon" in result.output.lower()
    assert db.session.execute(select(func.count()).select_from(DevelopmentArea)).scalar_one() == 0


def test_import_for_an_unknown_municipality_is_refused(app_context, runner, realdata):
    shp = next((realdata / "stockholm-stadsdelar" / "shapefile-simplified").glob("*.shp"))
    result = runner.invoke(args=["area", "import", str(shp), "--kommunkod", "0999", "--name", "X",
                                 "--where", "name=HUSBY"])
    assert result.exit_code != 0
    assert "0999" in result.output
    assert db.session.execute(select(func.count()).select_from(DevelopmentArea)).scalar_one() == 0


@pytest.mark.parametrize(("where", "expected"), [
    ("oslo", "utanför Sverige"), ("copenhagen", "utanför Sverige"),
    ("sweref-16-30", "i SWEREF 99 18 00 (EPSG:3011) skulle den ligga i Stockholm"),
])
def test_cli_refuses_a_district_abroad_or_in_the_wrong_zone_and_stores_nothing(
        make, runner, realdata, tmp_path, where, expected):
    from ..shifted_files import COPENHAGEN, OSLO, mislabelled_districts, moved_district

    make.municipality(name="Stockholm", kommunkod="0180")
    shp = {"oslo": lambda: moved_district(tmp_path, OSLO),
           "copenhagen": lambda: moved_district(tmp_path, COPENHAGEN),
           "sweref-16-30": lambda: mislabelled_districts(tmp_path, 3010)}[where]()
    result = runner.invoke(args=["area", "import", str(shp), "--kommunkod", "0180", "--name", "X",
                                 "--where", "name=HUSBY"])
    assert result.exit_code == 1
    assert expected in result.output
    assert db.session.execute(select(func.count()).select_from(DevelopmentArea)).scalar_one() == 0


def test_cli_says_where_the_imported_area_lies(make, runner, realdata):
    make.municipality(name="Stockholm", kommunkod="0180")
    shp = realdata / "stockholm-stadsdelar" / "shapefile-simplified" / "stadsdelar.shp"
    result = runner.invoke(args=["area", "import", str(shp), "--kommunkod", "0180",
                                 "--name", "Husby", "--where", "name=HUSBY"])
    assert result.exit_code == 0, result.output
    assert "hörnpunkter" in result.output and "i Stockholm" in result.output
