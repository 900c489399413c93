"""Routes and areas leave in every export with their own geometry and size, read back with each
format's own reader (pyogrio and ogrinfo, json, csv, openpyxl, pdftoppm) over the export job."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import subprocess

import numpy as np
import pyogrio
import pytest
import shapely
from geoalchemy2.shape import to_shape
from openpyxl import load_workbook
from PIL import Image

from app.domain import VALUE_COLOURS
from app.export.mapimage import _Frame, _hex_rgb
from app.extensions import db
from app.models import DevelopmentArea
from app.spatial import SWEREF99_TM, WGS84, reproject

from .export_helpers import take_export
from .planner_helpers import login
from .shape_helpers import park_area, route_along_a_row


def drawn_dialogue(make):
    """Two points, two routes (one hidden) and an area; returns the dialogue and the shapes."""
    dialogue = make.dialogue()
    make.pin(dialogue, value="justice", sentiment="positive", text="Bra torg")
    make.pin(dialogue, value="safety", sentiment="negative", text="Mörk tunnel")
    route = make.drawn(dialogue, route_along_a_row(), value="safety", sentiment="negative",
                       text="Min väg hem")
    make.drawn(dialogue, route_along_a_row(), state="hidden", text="Dold sträcka")
    area = make.drawn(dialogue, park_area(), value="development", sentiment="idea",
                      text="Här borde en park ligga")
    return dialogue, {"line": (route.id, route_along_a_row()), "area": (area.id, park_area())}


def _client(app, make, dialogue):
    client = app.test_client()
    login(client, make.user(dialogue.municipality, "working_group"))
    return client


@pytest.mark.parametrize("crs", [3006, 3011])
def test_the_geopackage_has_lines_and_areas_layers_in_the_chosen_crs(app, make, tmp_path, crs):
    dialogue, drawn = drawn_dialogue(make)
    response = take_export(_client(app, make, dialogue), dialogue.id, "gpkg", crs=str(crs))
    assert response.status_code == 200
    path = tmp_path / "out.gpkg"
    path.write_bytes(response.get_data())
    # ogrinfo, GDAL's own tool, lists the new layers with their geometry types and counts.
    listing = subprocess.run(["ogrinfo", "-ro", "-so", "-al", str(path)], capture_output=True,
                             text=True, check=True).stdout
    counts = dict(zip(
        [line.split(": ", 1)[1] for line in listing.splitlines() if line.startswith("Layer name:")],
        [int(line.split(": ", 1)[1]) for line in listing.splitlines()
         if line.startswith("Feature Count:")], strict=True))
    assert counts["lines"] == 1 and counts["areas"] == 1 and counts["pins"] == 2
    assert "Geometry: Multi Line String" in listing and "Geometry: Multi Polygon" in listing
    for layer, kind, size, expected in (("lines", "line", "length_m", 250), ("areas", "area",
                                                                             "area_m2", 20000)):
        frame = pyogrio.read_dataframe(path, layer=layer)
        assert frame.crs.to_epsg() == crs
        [row] = frame.itertuples()
        pin_id, shape = drawn[kind]
        assert row.pin_id == pin_id and row.shape_kind == kind
        assert getattr(row, size) == pytest.approx(expected, abs=0.5)
        # The stored shape, reprojected to the file's CRS, within a centimetre.
        assert row.geometry.geoms[0].equals_exact(reproject(shape, WGS84, crs), 0.01)
    # Each new layer opens in QGIS in the value colours (its row in layer_styles).
    styles = pyogrio.read_dataframe(path, layer="layer_styles", read_geometry=False)
    qml = dict(zip(styles.f_table_name, styles.styleQML, strict=True))
    assert 'class="SimpleLine"' in qml["lines"] and 'class="SimpleFill"' in qml["areas"]


def test_the_geojson_has_linestring_and_polygon_features(app, make):
    dialogue, drawn = drawn_dialogue(make)
    response = take_export(_client(app, make, dialogue), dialogue.id, "geojson")
    features = {f["id"]: f for f in json.loads(response.get_data())["features"]}
    assert len(features) == 4  # the hidden route stays out
    line = features[drawn["line"][0]]
    assert line["geometry"]["type"] == "LineString"
    assert shapely.geometry.shape(line["geometry"]).equals_exact(drawn["line"][1], 1e-7)
    assert line["properties"]["shape_kind"] == "line"
    assert line["properties"]["length_m"] == pytest.approx(250, abs=0.5)
    area = features[drawn["area"][0]]
    assert area["geometry"]["type"] == "Polygon" and area["properties"]["area_m2"] == pytest.approx(
        20000, abs=1)
    points = [f for f in features.values() if f["geometry"]["type"] == "Point"]
    assert {p["properties"]["shape_kind"] for p in points} == {"point"}


def test_the_csv_and_the_workbook_carry_wkt_length_and_area(app, make, tmp_path):
    dialogue, drawn = drawn_dialogue(make)
    client = _client(app, make, dialogue)
    rows = {int(r["pin_id"]): r for r in csv.DictReader(io.StringIO(
        take_export(client, dialogue.id, "csv").get_data().decode("utf-8-sig")))}
    line_id, line = drawn["line"]
    assert rows[line_id]["shape_kind"] == "line" and float(rows[line_id]["length_m"]) == \
        pytest.approx(250, abs=0.5)
    assert shapely.from_wkt(rows[line_id]["wkt"]).equals_exact(line, 1e-7)
    area_id, area = drawn["area"]
    assert float(rows[area_id]["area_m2"]) == pytest.approx(20000, abs=1)
    assert reproject(shapely.from_wkt(rows[area_id]["wkt"]), WGS84, SWEREF99_TM).area == \
        pytest.approx(20000, abs=1)
    points = [r for r in rows.values() if r["shape_kind"] == "point"]
    assert len(points) == 2 and all(r["wkt"] == "" and r["length_m"] == "" for r in points)

    path = tmp_path / "out.xlsx"
    path.write_bytes(take_export(client, dialogue.id, "xlsx").get_data())
    sheet = load_workbook(path, read_only=True).worksheets[0]
    header, *body = [list(r) for r in sheet.iter_rows(values_only=True)]
    at = {name: header.index(name) for name in ("Ritad som", "Längd (m)", "Yta (m²)",
                                               "Sträcka eller område (WKT, WGS84)")}
    by_id = {r[0]: r for r in body}
    assert by_id[line_id][at["Ritad som"]] == "Sträcka"
    assert by_id[line_id][at["Längd (m)"]] == pytest.approx(250, abs=0.5)
    assert by_id[area_id][at["Ritad som"]] == "Område"
    assert by_id[area_id][at["Yta (m²)"]] == pytest.approx(20000, abs=1)
    assert shapely.from_wkt(by_id[area_id][at["Sträcka eller område (WKT, WGS84)"]]).equals_exact(
        area, 1e-7)


def test_the_geopackage_grids_count_routes_and_areas_by_their_shares(app, make, tmp_path):
    dialogue, _drawn = drawn_dialogue(make)
    response = take_export(_client(app, make, dialogue), dialogue.id, "gpkg")
    path = tmp_path / "out.gpkg"
    path.write_bytes(response.get_data())
    grid = pyogrio.read_dataframe(path, layer="grid_100m")
    # Two points count 1 each; the 2 ha area covers two cells' worth; the route's shares add to 1.
    assert grid["total"].sum() == pytest.approx(2 + 2 + 1)
    assert grid["development_idea"].sum() == pytest.approx(2)
    assert sorted(grid["development_idea"][grid["development_idea"] > 0]) == pytest.approx(
        [0.25] * 4 + [0.5] * 2)


def _near(image, colour, tolerance=40) -> int:
    pixels = np.asarray(image.convert("RGB"), dtype=int)
    return int((np.abs(pixels - np.array(colour)).max(axis=2) <= tolerance).sum())


def _pdf_pages(data: bytes, tmp_path, name: str):
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "100", "-png", str(path), str(tmp_path / name)], check=True)
    return [Image.open(p) for p in sorted(tmp_path.glob(f"{name}-*.png"))]


def test_the_report_draws_routes_and_areas_for_readers_of_the_comments(app, make, tmp_path):
    dialogue, drawn = drawn_dialogue(make)
    # The HTML report's safety map: the route's middle is drawn in the safety colour.
    html = take_export(_client(app, make, dialogue), dialogue.id, "report-html").get_data(
        as_text=True)
    assert "De sträckor och områden som invånarna ritade" in html
    assert html.count("den andel av sin längd") == 1  # the method says once how they count
    data = re.search(r'src="data:image/png;base64,([^"]+)"[^>]*><figcaption>Trygghet<', html).group(1)
    picture = Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")
    outline = to_shape(db.session.get(DevelopmentArea, dialogue.area_id).geom)
    middle = drawn["line"][1].interpolate(0.5, normalized=True)
    x, y = _Frame(outline).lat_lng_px(middle.y, middle.x)
    assert picture.getpixel((round(x), round(y))) == _hex_rgb(VALUE_COLOURS["safety"])
    # The PDF: the working group's maps have the route and the area, the steering group's
    # (who may not read single comments) do not.
    pdfs = {}
    for role in ("working_group", "steering_group"):
        client = app.test_client()
        login(client, make.user(dialogue.municipality, role))
        response = take_export(client, dialogue.id, "report-pdf")
        assert response.status_code == 200, role
        pages = _pdf_pages(response.get_data(), tmp_path, role)
        pdfs[role] = {value: sum(_near(p, _hex_rgb(VALUE_COLOURS[value])) for p in pages)
                      for value in ("safety", "development")}
    assert pdfs["working_group"]["safety"] > pdfs["steering_group"]["safety"] + 50
    assert pdfs["working_group"]["development"] > pdfs["steering_group"]["development"] + 50
