"""Importing a development area from geodata files: what a planner uploads and what we store."""

from __future__ import annotations

import json
import unicodedata
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pyogrio
import pyogrio.raw
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Transformer

from app.geodata import boundaries, sources
from app.geodata.importer import (
    AreaImportError,
    ImportedArea,
    area_from_geojson,
    area_km2,
    read_area,
)
from app.geodata.selection import select_features

REPO_ROOT = Path(__file__).resolve().parents[2]
REALDATA = REPO_ROOT.parent / "shared" / "realdata"
STADSDELAR = REALDATA / "stockholm-stadsdelar"
SIMPLIFIED_SHP = STADSDELAR / "shapefile-simplified" / "stadsdelar.shp"
FULLSIZE_SHP = STADSDELAR / "shapefile-fullsize" / "stadsdelar_utan_vatten.shp"
STADSDELAR_GEOJSON = STADSDELAR / "geojson" / "stadsdelar.geo.json"

TO_3006 = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
FROM_3006 = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)

# A 1 km square in Rinkeby, SWEREF 99 TM metres.
SQUARE_3006 = shapely.box(664_000, 6_585_000, 665_000, 6_586_000)


@pytest.fixture(scope="module")
def realdata() -> Path:
    if not SIMPLIFIED_SHP.exists():
        pytest.skip(f"real geodata not found at {REALDATA} (expected shared/ beside the repo)")
    return REALDATA


def to_3006(geometry):
    return shapely.transform(geometry, lambda c: np.column_stack(TO_3006.transform(*c.T)))


def from_3006(geometry):
    return shapely.transform(geometry, lambda c: np.column_stack(FROM_3006.transform(*c.T)))


def write_layer(path, geometries, crs="EPSG:3006", fields=None, layer=None, driver=None,
                geometry_type="Polygon", append=False):
    """Write a small geodata file with pyogrio; `crs=None` leaves the CRS out on purpose."""
    fields = fields if fields is not None else {"name": [f"OMRÅDE {i}" for i in
                                                         range(len(geometries))]}
    with warnings.catch_warnings():
        # pyogrio warns when asked to write without a CRS: that is the point of some tests.
        warnings.simplefilter("ignore", UserWarning)
        pyogrio.raw.write(
            str(path),
            shapely.to_wkb(np.array(geometries, dtype=object)),
            [np.array(v, dtype=object) for v in fields.values()],
            list(fields),
            geometry_type=geometry_type,
            crs=crs,
            layer=layer,
            driver=driver,
            append=append,
        )
    return path


def geojson_file(path, geometry, properties=None):
    feature = {"type": "Feature", "properties": properties or {"name": "X"},
               "geometry": shapely.geometry.mapping(geometry)}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return path


def import_error(call, *args, **kwargs) -> AreaImportError:
    with pytest.raises(AreaImportError) as info:
        call(*args, **kwargs)
    return info.value


def distance_m(a, b) -> float:
    return to_3006(a).distance(to_3006(b))


# --- real data -------------------------------------------------------------------------------


def test_husby_from_sweref_18_00_shapefile_lands_where_the_geojson_says(realdata):
    from_shp = read_area(SIMPLIFIED_SHP, where={"name": "HUSBY"})
    from_geojson = read_area(STADSDELAR_GEOJSON, where={"name": "HUSBY"})

    assert from_shp.source_crs == "EPSG:3011"  # recognised from ESRI WKT without a code
    assert distance_m(from_shp.geometry.centroid, from_geojson.geometry.centroid) < 1.0
    assert from_shp.feature_count == 1
    assert from_shp.area_km2 == pytest.approx(from_geojson.area_km2, rel=1e-4)
    assert 1.5 < from_shp.area_km2 < 2.5  # Husby is about 1.9 km²
    assert isinstance(from_shp.geometry, shapely.MultiPolygon)
    assert from_shp.geometry.is_valid and not from_shp.geometry.has_z
    assert from_shp.repaired is False and from_shp.notes == []


def test_zipped_shapefile_in_a_subfolder_reads_like_the_plain_one(realdata, tmp_path):
    archive = tmp_path / "stadsdelar.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for part in SIMPLIFIED_SHP.parent.iterdir():
            zf.write(part, f"export/stadsdelar/{part.name}")

    zipped = read_area(archive, where={"name": "rinkeby"})
    plain = read_area(SIMPLIFIED_SHP, where={"name": "RINKEBY"})

    assert zipped.source_crs == "EPSG:3011"
    assert zipped.geometry.equals(plain.geometry)


def test_fullsize_district_keeps_its_islands_and_holes(realdata):
    raw = sources.read_layer(FULLSIZE_SHP)
    source = raw.geometries[raw.fields["name"].index("NORRA DJURGÅRDEN")]

    area = read_area(FULLSIZE_SHP, where={"name": "norra djurgården"})

    polygons = list(area.geometry.geoms)
    assert len(polygons) == len(shapely.get_parts(source)) == 5
    assert sum(len(p.interiors) for p in polygons) == 15
    # Water cut out stays cut out: the area is the land, measured in SWEREF 99 TM.
    assert area.area_km2 == pytest.approx(source.area / 1e6, rel=2e-3)
    without_holes = shapely.union_all([shapely.Polygon(p.exterior) for p in polygons])
    assert area.area_km2 < area_km2(without_holes)


def test_dissolving_several_districts_gives_their_total_area(realdata, tmp_path):
    names = ["HUSBY", "KISTA", "AKALLA"]
    parts = [read_area(SIMPLIFIED_SHP, where={"name": n}) for n in names]
    raw = sources.read_layer(SIMPLIFIED_SHP)
    rows = [raw.fields["name"].index(n) for n in names]
    path = write_layer(tmp_path / "jarva.shp", [raw.geometries[i] for i in rows],
                       crs="EPSG:3011", fields={"name": names})

    merged = read_area(path, dissolve=True)

    assert merged.feature_count == 3
    assert merged.area_km2 == pytest.approx(sum(p.area_km2 for p in parts), rel=1e-3)
    assert "3 objekt slogs ihop till ett område." in merged.notes
    assert merged.geometry.is_valid


def test_dissolving_the_whole_fullsize_city_stays_valid(realdata):
    city = read_area(FULLSIZE_SHP, dissolve=True)
    assert city.feature_count == 117
    assert city.geometry.is_valid
    assert 150 < city.area_km2 < 215  # Stockholm city: 188 km² of land


def test_several_features_without_a_choice_explains_how_to_choose(realdata):
    err = import_error(read_area, SIMPLIFIED_SHP)
    assert err.code == "several_features"
    assert "117 objekt" in str(err)
    assert "--where name=" in str(err) and "--dissolve" in str(err)
    assert "117 features" in err.message("en")


def test_where_ignores_case_spaces_and_how_å_is_encoded(realdata):
    decomposed = unicodedata.normalize("NFD", "  vårberg ")
    area = read_area(SIMPLIFIED_SHP, where={"NAME": decomposed})
    assert area.feature_count == 1


def test_where_without_match_names_the_attribute_and_real_values(realdata):
    err = import_error(read_area, SIMPLIFIED_SHP, where={"name": "Husbyy"})
    assert err.code == "no_match"
    assert str(err).startswith("Inget objekt har name = Husbyy. Menade du HUSBY?")
    assert "ABRAHAMSBERG" in str(err)


def test_where_on_a_missing_attribute_lists_the_attributes(realdata):
    err = import_error(read_area, SIMPLIFIED_SHP, where={"kommun": "Stockholm"})
    assert err.code == "unknown_attribute"
    assert str(err) == "Attributet kommun finns inte i filen. Attribut som finns: name."


# --- formats written here ---------------------------------------------------------------------


def test_geopackage_in_sweref_99_tm_round_trips(realdata, tmp_path):
    husby = read_area(SIMPLIFIED_SHP, where={"name": "HUSBY"})
    path = write_layer(tmp_path / "omrade.gpkg", [to_3006(husby.geometry)],
                       geometry_type="MultiPolygon", fields={"namn": ["Husby"]}, layer="omrade")

    back = read_area(path)

    assert back.source_crs == "EPSG:3006"
    assert back.geometry.symmetric_difference(husby.geometry).area < 1e-12
    assert back.area_km2 == pytest.approx(husby.area_km2, rel=1e-9)


def test_geopackage_with_several_layers_needs_a_layer(tmp_path):
    path = write_layer(tmp_path / "plan.gpkg", [SQUARE_3006], layer="omrade")
    write_layer(path, [SQUARE_3006.buffer(-100)], layer="etapp1", append=True)

    err = import_error(read_area, path)
    assert err.code == "several_layers"
    assert str(err) == "Filen har 2 lager: omrade, etapp1. Välj ett med --layer."
    assert read_area(path, layer="etapp1").area_km2 == pytest.approx(0.64, rel=1e-3)
    assert import_error(read_area, path, layer="etapp9").code == "layer_not_found"


def test_kml_is_read_as_wgs84(tmp_path):
    square = from_3006(SQUARE_3006)
    path = write_layer(tmp_path / "omrade.kml", [square], crs="EPSG:4326", driver="KML",
                       fields={"Name": ["Rinkeby torg"]})

    area = read_area(path)

    assert area.geometry.equals_exact(shapely.MultiPolygon([square]), tolerance=1e-7)
    assert area.area_km2 == pytest.approx(1.0, rel=1e-3)


def test_kmz_is_read_from_inside_the_zip(tmp_path):
    kml = write_layer(tmp_path / "doc.kml", [from_3006(SQUARE_3006)], crs="EPSG:4326",
                      driver="KML", fields={"Name": ["Rinkeby torg"]})
    kmz = tmp_path / "omrade.kmz"
    with zipfile.ZipFile(kmz, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(kml, "doc.kml")
    assert read_area(kmz).area_km2 == pytest.approx(1.0, rel=1e-3)


def test_z_coordinates_are_dropped_with_a_note(tmp_path):
    square = shapely.force_3d(from_3006(SQUARE_3006), 42.0)
    area = read_area(geojson_file(tmp_path / "z.geojson", square))
    assert not area.geometry.has_z
    assert any("Z" in note for note in area.notes)


# --- refusals ---------------------------------------------------------------------------------


def test_shapefile_without_prj_is_refused(tmp_path):
    path = write_layer(tmp_path / "utan_prj.shp", [SQUARE_3006], crs=None)
    assert not path.with_suffix(".prj").exists()
    err = import_error(read_area, path)
    assert err.code == "no_crs"
    assert str(err).startswith("Filen anger inte vilket koordinatsystem den använder.")
    assert err.message("en").startswith("The file does not say which coordinate system it uses.")


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("trasig.geojson", b'{"type": "FeatureCollection", "features": [', "unreadable"),
        ("trasig.gpkg", b"SQLite format 2\x00" + b"\x00" * 100, "unreadable"),
        ("trasig.zip", b"PK\x03\x04 not really a zip", "unreadable"),
        ("omrade.dwg", b"AC1032", "unknown_format"),
    ],
)
def test_unreadable_or_unknown_files_are_refused(tmp_path, name, content, code):
    path = tmp_path / name
    path.write_bytes(content)
    err = import_error(read_area, path)
    assert err.code == code
    assert name.split(".")[0] in str(err) or "dwg" in str(err)


def test_missing_file_is_refused(tmp_path):
    assert import_error(read_area, tmp_path / "finns_inte.shp").code == "not_found"


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "tom.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}')
    assert str(import_error(read_area, path)) == "Filen innehåller inga objekt."

    path.write_text('{"type": "FeatureCollection", "features": '
                    '[{"type": "Feature", "properties": {}, "geometry": null}]}')
    assert str(import_error(read_area, path)) == "Filen innehåller inga geometrier."


@pytest.mark.parametrize(
    ("geometry", "what"),
    [
        (shapely.Point(17.9, 59.4), "punkter"),
        (shapely.LineString([(17.9, 59.4), (17.95, 59.41)]), "linjer"),
    ],
)
def test_points_and_lines_are_not_an_area(tmp_path, geometry, what):
    err = import_error(read_area, geojson_file(tmp_path / "fel.geojson", geometry))
    assert err.code == "not_polygon"
    assert str(err).endswith(f"men filen innehåller {what}.")


def bowtie_3006():
    x, y = 664_000, 6_585_000
    return shapely.Polygon([(x, y), (x + 500, y + 500), (x + 500, y), (x, y + 500)])


def test_self_intersecting_area_is_refused_with_its_location(tmp_path):
    path = write_layer(tmp_path / "fluga.gpkg", [bowtie_3006()])
    err = import_error(read_area, path)
    assert err.code == "invalid_geometry"
    message = str(err)
    assert "korsar sig själv" in message and "--repair" in message
    # The crossing is at the middle of the bow tie; the message gives it as lat/lng.
    lng, lat = FROM_3006.transform(664_250, 6_585_250)
    assert f"lat {lat:.5f}, lng {lng:.5f}" in message


def test_repair_mends_the_area_and_says_so(tmp_path):
    path = write_layer(tmp_path / "fluga.gpkg", [bowtie_3006()])
    area = read_area(path, repair=True)
    assert area.repaired is True
    assert "Geometrin reparerades med make_valid." in area.notes
    assert area.geometry.is_valid and len(area.geometry.geoms) == 2
    assert area.area_km2 == pytest.approx(0.125, rel=1e-3)  # two triangles of 250 m × 250 m


def test_repair_leaves_a_valid_area_alone(tmp_path):
    area = read_area(write_layer(tmp_path / "ok.gpkg", [SQUARE_3006]), repair=True)
    assert area.repaired is False and area.notes == []


def test_swapped_axes_are_recognised_as_the_likely_cause(tmp_path):
    swapped = shapely.transform(from_3006(SQUARE_3006), lambda c: c[:, ::-1])
    err = import_error(read_area, geojson_file(tmp_path / "latlng.geojson", swapped))
    assert err.code == "outside_sweden"
    assert err.params["likely_cause"] == "swapped_axes"
    assert "utanför Sverige" in str(err) and "bytt plats" in str(err)


def test_metres_declared_as_degrees_point_at_the_crs(tmp_path):
    # SWEREF 99 TM metres in a GeoJSON, which by definition is WGS84 degrees.
    err = import_error(read_area, geojson_file(tmp_path / "meter.geojson", SQUARE_3006))
    assert err.code == "outside_sweden"
    assert err.params["likely_cause"] == "wrong_crs"
    assert "Troligen är koordinatsystemet fel" in str(err)
    assert "ser ut som meter" in str(err)


def test_area_in_helsinki_is_outside_sweden():
    helsinki = shapely.box(24.90, 60.15, 24.98, 60.19)
    err = import_error(area_from_geojson, shapely.geometry.mapping(helsinki))
    assert err.code == "outside_sweden"
    assert "(lng 24.90–24.98, lat 60.15–60.19)" in str(err)


@pytest.mark.parametrize(
    ("side_m", "code", "shown"),
    [(5, "too_small", "25 m²"), (100_000, "too_large_area", "10\u00a0000 km²")],
)
def test_absurd_sizes_are_refused_with_the_size(tmp_path, side_m, code, shown):
    x, y = 600_000, 6_600_000
    path = write_layer(tmp_path / "storlek.gpkg", [shapely.box(x, y, x + side_m, y + side_m)])
    err = import_error(read_area, path)
    assert err.code == code
    assert shown in str(err)


def test_too_many_vertices_are_refused():
    angles = np.linspace(0, 2 * np.pi, 200_001)
    x, y = SQUARE_3006.centroid.coords[0]
    circle = from_3006(shapely.Polygon(np.column_stack([x + 500 * np.cos(angles),
                                                        y + 500 * np.sin(angles)])))
    err = import_error(area_from_geojson, shapely.geometry.mapping(circle))
    assert err.code == "too_many_vertices"
    assert "200\u00a0001 hörnpunkter" in str(err)


def test_file_over_50_mb_is_refused_before_reading(tmp_path):
    path = tmp_path / "stor.geojson"
    with path.open("wb") as f:
        f.truncate(51 * 1024 * 1024)  # sparse: nothing real to read
    err = import_error(read_area, path)
    assert err.code == "too_large"
    assert "51 MB" in str(err)


@pytest.fixture
def gdal_must_not_open(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("GDAL opened a file that should have been refused")

    monkeypatch.setattr(sources.pyogrio, "list_layers", refuse)
    monkeypatch.setattr(sources.pyogrio.raw, "read", refuse)


def test_zip_bomb_is_refused_before_gdal_opens_it(tmp_path, gdal_must_not_open):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("omrade.shp", b"\x00" * (5 * 1024 * 1024))
    err = import_error(read_area, archive)
    assert err.code == "zip_bomb"
    assert "misstänkt zip-bomb" in str(err)


def test_zip_unpacking_too_large_is_refused(tmp_path, monkeypatch, gdal_must_not_open):
    monkeypatch.setattr(sources, "MAX_UNZIPPED_BYTES", 1000)
    archive = tmp_path / "stor.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("omrade.shp", bytes(range(256)) * 8)
    err = import_error(read_area, archive)
    assert err.code == "zip_bomb"
    assert "packas upp till" in str(err)


def test_zip_without_geodata_says_so(tmp_path):
    archive = tmp_path / "bilder.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("karta.png", b"\x89PNG not a map")
    assert import_error(read_area, archive).code == "zip_empty"


def test_several_features_matching_where_need_dissolve(tmp_path):
    path = write_layer(tmp_path / "dubbel.gpkg", [SQUARE_3006, SQUARE_3006.buffer(-100)],
                       fields={"name": ["Rinkeby", "rinkeby "]})
    err = import_error(read_area, path, where={"name": "RINKEBY"})
    assert err.code == "several_matches"
    assert "2 objekt matchar name = RINKEBY" in str(err) and "--dissolve" in str(err)
    assert err.message("en").startswith("2 features match name = RINKEBY.")
    assert read_area(path, where={"name": "RINKEBY"}, dissolve=True).feature_count == 2


# --- polygons drawn on a web map ----------------------------------------------------------------


def test_drawn_polygon_as_geometry_feature_or_collection():
    ring = shapely.geometry.mapping(from_3006(SQUARE_3006))
    feature = {"type": "Feature", "properties": {}, "geometry": ring}
    collection = {"type": "FeatureCollection", "features": [feature]}

    results = [area_from_geojson(g) for g in (ring, feature, json.dumps(collection))]

    assert all(isinstance(r, ImportedArea) for r in results)
    assert all(r.geometry.equals(results[0].geometry) for r in results)
    assert results[0].source_crs == "OGC:CRS84"
    assert results[0].area_km2 == pytest.approx(1.0, rel=1e-3)


def test_drawn_polygon_keeps_its_hole():
    with_hole = from_3006(SQUARE_3006.difference(SQUARE_3006.centroid.buffer(200)))
    area = area_from_geojson(shapely.geometry.mapping(with_hole))
    assert len(area.geometry.geoms[0].interiors) == 1
    assert area.geometry.geoms[0].exterior.is_ccw  # RFC 7946 winding


def test_drawn_garbage_is_unreadable():
    for garbage in ("{not json", {"type": "Polygon", "coordinates": "x"}, {"foo": 1}, [1, 2]):
        assert import_error(area_from_geojson, garbage).code == "unreadable"


# --- properties -------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(index=st.integers(0, 289), side=st.floats(20, 2_000))
def test_square_drawn_anywhere_in_sweden_measures_its_true_area(index, side):
    # A square at a point inside one of the 290 municipalities, in SWEREF 99 TM metres.
    municipality = boundaries._municipalities()[0][index]
    east, north = municipality.exact.representative_point().coords[0]
    square = shapely.box(east, north, east + side, north + side)
    area = area_from_geojson(shapely.geometry.mapping(from_3006(square)),
                             kommunkod=municipality.kommunkod)
    assert area.area_km2 == pytest.approx(side * side / 1e6, rel=1e-3)
    assert area.geometry.is_valid and area.municipality == municipality.name


SWEDISH_NAME = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäöéü -", min_size=1, max_size=20)


@given(name=SWEDISH_NAME.filter(str.strip), pad=st.sampled_from(["", " ", "  \t"]))
def test_where_matches_any_casing_and_padding_of_a_swedish_name(name, pad):
    fields = {"name": ["ANNAT", name]}
    assert select_features(fields, 2, {"name": pad + name.upper() + pad}, False) == [1]
