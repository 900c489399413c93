"""Every export format read back with an independent reader: each pin once, attributes and
coordinates equal to what is stored (after reprojection, within 1 cm)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
from contextlib import closing
from datetime import timedelta
from zoneinfo import ZoneInfo

import pyogrio
import pytest
import shapely
from flask_babel import force_locale
from geoalchemy2.shape import to_shape
from openpyxl import load_workbook
from pyproj import Transformer

from app.export.service import FORMATS, ExportRefused, produce
from app.export.source import ExportOptions
from app.extensions import db
from app.models import Pin

from .export_data import HOSTILE, rich_dialogue


def stored_points(pins) -> dict[int, tuple[float, float]]:
    """pin id -> (lng, lat) as stored."""
    out = {}
    for pin in pins:
        db.session.refresh(pin)
        if pin.geom is not None:
            shape = to_shape(pin.geom)
            out[pin.id] = (shape.x, shape.y)
    return out


def export_bytes(dialogue, key, tmp_path, **options) -> bytes:
    with force_locale("sv"):  # as the CLI does; a request uses the planner's language
        export = produce(dialogue, FORMATS[key], ExportOptions(**options))
        if export.chunks is not None:
            return "".join(export.chunks).encode("utf-8")
    data = export.path.read_bytes()
    export.path.unlink()
    return data


@pytest.mark.parametrize("crs", [3006, 4326, 3011])
def test_the_geopackage_holds_every_pin_once_in_the_chosen_crs(make, tmp_path, crs):
    dialogue, pins, hidden = rich_dialogue(make)
    path = tmp_path / "out.gpkg"
    path.write_bytes(export_bytes(dialogue, "gpkg", tmp_path, crs=crs))
    layers = {name for name, _ in pyogrio.list_layers(path)}
    assert layers == {"area", "pins", "lines", "areas", "named_places", "grid_100m", "grid_250m",
                      "layer_styles"}
    meta, _, geometry, fields = pyogrio.raw.read(path, layer="pins")
    assert meta["crs"] == f"EPSG:{crs}"
    columns = dict(zip(meta["fields"], fields, strict=True))
    ids = list(columns["pin_id"])
    assert sorted(ids) == sorted(p.id for p in pins) and hidden.id not in ids
    to_target = Transformer.from_crs(4326, crs, always_xy=True)
    points = stored_points(pins)
    by_id = {p.id: p for p in pins}
    for i, pin_id in enumerate(ids):
        pin = by_id[pin_id]
        assert columns["value"][i] == pin.value and columns["text"][i] == pin.text
        assert columns["sentiment"][i] == pin.sentiment
        assert columns["moderation_state"][i] == pin.moderation_state
        assert columns["location_kind"][i] == pin.location_kind
        if pin_id in points:
            x, y = shapely.from_wkb(geometry[i]).coords[0]
            ex, ey = to_target.transform(*points[pin_id])
            tolerance = 1e-7 if crs == 4326 else 0.01  # 1e-7 degrees is about 1 cm
            assert abs(x - ex) <= tolerance and abs(y - ey) <= tolerance
        else:
            assert geometry[i] is None and columns["named_place"][i] == "Husby centrum"
    assert columns["themes"][ids.index(pins[0].id)] == "Belysning"
    grid_meta, _, _, grid = pyogrio.raw.read(path, layer="grid_100m")
    totals = dict(zip(grid_meta["fields"], grid, strict=True))["total"]
    assert sum(totals) == 8  # the map pins that leave; the hidden one and the named place do not


def test_ogrinfo_finds_the_geopackage_valid_with_epsg_3006(make, tmp_path):
    dialogue, _, _ = rich_dialogue(make)
    path = tmp_path / "out.gpkg"
    path.write_bytes(export_bytes(dialogue, "gpkg", tmp_path))
    result = subprocess.run(["ogrinfo", "-so", str(path), "pins"], capture_output=True, text=True,
                            check=True)
    assert 'ID["EPSG",3006]' in result.stdout and "Feature Count: 9" in result.stdout
    assert "Warning" not in result.stderr and "ERROR" not in result.stderr
    check = subprocess.run(["ogrinfo", "-q", "-sql", "PRAGMA integrity_check", str(path)],
                           capture_output=True, text=True, check=True)
    assert "ok" in check.stdout
    with closing(sqlite3.connect(path)) as gpkg:  # the spatial index: every map pin (8 of 9)
        assert gpkg.execute("SELECT count(*) FROM rtree_pins_geom").fetchone() == (8,)
        assert ("pins", "gpkg_rtree_index") in gpkg.execute(
            "SELECT table_name, extension_name FROM gpkg_extensions").fetchall()


def test_hidden_pins_leave_only_when_asked_and_are_flagged(make, tmp_path):
    dialogue, pins, hidden = rich_dialogue(make)
    data = json.loads(export_bytes(dialogue, "geojson", tmp_path, crs=4326, include_hidden=True))
    flagged = {f["id"]: f["properties"]["hidden"] for f in data["features"]}
    assert flagged[hidden.id] is True and not any(flagged[p.id] for p in pins)


def test_both_grids_carry_counts_per_value_and_sentiment_assessment_and_balance(make, tmp_path):
    dialogue, pins, _ = rich_dialogue(make)
    path = tmp_path / "out.gpkg"
    path.write_bytes(export_bytes(dialogue, "gpkg", tmp_path))
    map_pins = [p for p in pins if p.location_kind == "map"]
    values = ("safety", "justice", "development")
    grids = {}
    for size in (100, 250):
        meta, _, geometry, fields = pyogrio.raw.read(path, layer=f"grid_{size}m")
        assert meta["crs"] == "EPSG:3006"
        grid = grids[size] = dict(zip(meta["fields"], fields, strict=True))
        assert grid["total"].sum() == len(map_pins) == 8
        assert {v: grid[v].sum() for v in values} == {"safety": 3, "justice": 2, "development": 3}
        assert grid["safety_negative"].sum() == 1 and grid["development_idea"].sum() == 2
        for i, wkb in enumerate(geometry):
            assert shapely.from_wkb(wkb).area == pytest.approx(size * size)
            assert grid["total"][i] == sum(grid[f"{v}_{s}"][i] for v in values
                                           for s in ("positive", "negative", "idea"))
            pos, neg = grid["safety_positive"][i], grid["safety_negative"][i]
            if pos + neg:
                assert grid["safety_assessment"][i] == pytest.approx((pos - neg) / (pos + neg))
            else:
                assert grid["safety_assessment"][i] != grid["safety_assessment"][i]  # NULL
            assert 0 <= grid["attention_balance"][i] <= 1
    assert len(grids[250]["total"]) <= len(grids[100]["total"])
    assert set(grids[250]["cell_e"] % 250) == {0} and set(grids[250]["cell_n"] % 250) == {0}


def test_the_geopackage_stores_qgis_styles_in_the_value_colours_for_its_layers(make, tmp_path):
    dialogue, _, _ = rich_dialogue(make)
    path = tmp_path / "out.gpkg"
    path.write_bytes(export_bytes(dialogue, "gpkg", tmp_path))
    info = subprocess.run(["ogrinfo", "-so", str(path), "layer_styles"], capture_output=True,
                          text=True, check=True)
    assert "Feature Count: 7" in info.stdout and "styleQML: String" in info.stdout
    assert "useAsDefault: Integer(Boolean)" in info.stdout
    with closing(sqlite3.connect(path)) as gpkg:
        layers = {name for (name,) in gpkg.execute(
            "SELECT table_name FROM gpkg_contents WHERE data_type = 'features'")}
        styles = {name: (column, qml, default) for name, column, qml, default in gpkg.execute(
            "SELECT f_table_name, f_geometry_column, styleQML, useAsDefault FROM layer_styles")}
        geometry_columns = dict(gpkg.execute(
            "SELECT table_name, column_name FROM gpkg_geometry_columns"))
    assert set(styles) == layers == {"area", "pins", "lines", "areas", "named_places", "grid_100m",
                                     "grid_250m"}
    for name, (column, qml, default) in styles.items():
        assert column == geometry_columns[name] and default == 1
        assert qml.startswith("<!DOCTYPE qgis") and "<renderer-v2" in qml
    pins_qml = styles["pins"][1]
    assert 'attr="value"' in pins_qml
    for colour in ("0,114,178,255", "213,94,0,255", "0,158,115,255"):  # domain.VALUE_COLOURS
        assert f'v="{colour}"' in pins_qml and f'v="{colour}"' in styles["grid_250m"][1]
    assert 'attr="dominant"' in styles["grid_100m"][1]


def test_the_geojson_has_seven_decimals_about_a_centimetre(make, tmp_path):
    dialogue, pins, _ = rich_dialogue(make)
    data = json.loads(export_bytes(dialogue, "geojson", tmp_path, crs=4326))
    numbers = [c for f in data["features"] if f["geometry"] for c in f["geometry"]["coordinates"]]
    assert numbers and all(len(repr(c).split(".")[1]) <= 7 for c in numbers)


def test_the_geojson_is_rfc_7946_wgs84_lon_lat_without_a_crs_member(make, tmp_path):
    dialogue, pins, hidden = rich_dialogue(make)
    raw = export_bytes(dialogue, "geojson", tmp_path, crs=4326)
    data = json.loads(raw)
    assert "crs" not in data and data["type"] == "FeatureCollection"
    points = stored_points(pins)
    assert sorted(f["id"] for f in data["features"]) == sorted(p.id for p in pins)
    for feature in data["features"]:
        if feature["id"] in points:
            assert tuple(feature["geometry"]["coordinates"]) == pytest.approx(points[feature["id"]],
                                                                                abs=1e-7)
        else:
            assert feature["geometry"] is None
    path = tmp_path / "out.geojson"
    path.write_bytes(raw)
    info = pyogrio.read_info(path)
    assert info["features"] == len(pins) and info["crs"] == "EPSG:4326"


def test_the_geojson_refuses_another_crs(make, tmp_path):
    dialogue, _, _ = rich_dialogue(make)
    with pytest.raises(ExportRefused):
        produce(dialogue, FORMATS["geojson"], ExportOptions(crs=3006))


def read_csv(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for å, ä, ö
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_pins_csv_has_both_coordinate_systems_and_every_pin_once(make, tmp_path):
    dialogue, pins, _ = rich_dialogue(make)
    rows = read_csv(export_bytes(dialogue, "csv", tmp_path))
    assert sorted(int(r["pin_id"]) for r in rows) == sorted(p.id for p in pins)
    to_sweref = Transformer.from_crs(4326, 3006, always_xy=True)
    points = stored_points(pins)
    for row in rows:
        pin_id = int(row["pin_id"])
        if pin_id in points:
            lng, lat = points[pin_id]
            assert float(row["lng"]) == pytest.approx(lng, abs=1e-9)
            assert float(row["lat"]) == pytest.approx(lat, abs=1e-9)
            e, n = to_sweref.transform(lng, lat)
            assert abs(float(row["sweref99tm_e"]) - e) < 0.01
            assert abs(float(row["sweref99tm_n"]) - n) < 0.01
        else:
            assert row["lat"] == "" and row["named_place"] == "Husby centrum"


def test_csv_cells_that_look_like_formulas_are_neutralised(make, tmp_path):
    dialogue, pins, _ = rich_dialogue(make)
    rows = read_csv(export_bytes(dialogue, "csv", tmp_path))
    texts = {r["text"] for r in rows}
    for hostile in HOSTILE:
        assert "'" + hostile in texts and hostile not in texts
    assert not any(r[k][:1] in ("=", "+", "-", "@", "\t", "\r") for r in rows for k in r)


def test_the_answers_csv_is_one_row_per_response_with_question_columns(make, tmp_path):
    dialogue, pins, _ = rich_dialogue(make)
    rows = read_csv(export_bytes(dialogue, "answers-csv", tmp_path))
    assert len(rows) == len(pins) + 1  # each pin has its own response, plus the hidden one's
    assert {"alder", "relation", "trygg_kvall", "undviker_platser"} <= set(rows[0])
    assert "karta_trygghet" not in rows[0]
    named = next(r for r in rows if r["relation"])
    assert named["relation"] == "bor; arbetar" and named["alder"] == "age_25_44"
    assert named["ar_i_omradet"] == "-1"  # a negative number stays a number
    assert "'=cmd|' /C calc'!A0" in {r["undviker_platser"] for r in rows}


def test_the_excel_workbook_opens_right_swedish_names_dates_percent_frozen_filtered(
        make, tmp_path):
    dialogue, pins, _ = rich_dialogue(make)
    path = tmp_path / "out.xlsx"
    path.write_bytes(export_bytes(dialogue, "xlsx", tmp_path))
    book = load_workbook(path)
    assert book.sheetnames == ["Synpunkter", "Svar", "Sammanfattning", "Metod", "Kolumner"]
    for sheet in book.worksheets:  # every sheet: the header stays, and can be filtered
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}" \
            f"{sheet.max_row}"
    sheet = book["Synpunkter"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Synpunktens id", "Svarande (pseudonym)", "Värde", "Värde (nyckel)"]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2)]
    assert sorted(r["Synpunktens id"].value for r in rows) == sorted(p.id for p in pins)
    # Formula safety by cell type: the hostile texts are text cells, shown as typed.
    texts = {r["Synpunkt"].value: r["Synpunkt"].data_type for r in rows}
    for hostile in HOSTILE:
        assert texts[hostile] == "s"
    assert not any("'" + h in texts for h in HOSTILE)
    assert all(cell.data_type != "f" for r in sheet.iter_rows() for cell in r)
    created = rows[0]["Skapad (svensk tid)"]
    assert created.is_date and created.number_format == "yyyy-mm-dd hh:mm"
    db.session.refresh(pins[0])
    stockholm = pins[0].created_at.astimezone(ZoneInfo("Europe/Stockholm")).replace(tzinfo=None)
    first = next(r for r in rows if r["Synpunktens id"].value == pins[0].id)
    assert abs(first["Skapad (svensk tid)"].value - stockholm) < timedelta(seconds=1)
    assert {r["Värde"].value for r in rows} == {"Trygghet", "Rättvisa", "Utvecklingsmöjligheter"}
    points = stored_points(pins)
    for row in rows:
        if row["Synpunktens id"].value in points:
            assert (row["Longitud (WGS84)"].value, row["Latitud (WGS84)"].value) == pytest.approx(
                points[row["Synpunktens id"].value], abs=1e-9)
    summary = {r[1].value: (r[5].value, r[6]) for r in book["Sammanfattning"].iter_rows(min_row=2)}
    assert {k: v[0] for k, v in summary.items()} == {"safety": 3, "justice": 3, "development": 3}
    share = summary["safety"][1]
    assert share.value == pytest.approx(1 / 3) and share.number_format == "0.0%"
    answers = book["Svar"]
    assert answers.max_row == len(pins) + 2
    cells = [c for r in answers.iter_rows(min_row=2) for c in r if c.value == "=cmd|' /C calc'!A0"]
    assert len(cells) == 1 and cells[0].data_type == "s"
    assert answers.cell(2, 2).is_date
    keys = {(r[0].value, r[1].value): r[2].value for r in book["Kolumner"].iter_rows(min_row=2)}
    assert keys[("Synpunkter", "Synpunktens id")] == "pin_id"
    assert keys[("Synpunkter", "Latitud (WGS84)")] == "lat"


def test_an_empty_dialogue_exports_empty_layers(make, tmp_path):
    dialogue = make.dialogue()
    path = tmp_path / "empty.gpkg"
    path.write_bytes(export_bytes(dialogue, "gpkg", tmp_path))
    assert pyogrio.read_info(path, layer="pins")["features"] == 0
    assert read_csv(export_bytes(dialogue, "csv", tmp_path)) == []


def test_pins_of_other_dialogues_never_leave_with_this_one(make, tmp_path):
    dialogue, pins, _ = rich_dialogue(make)
    other = make.dialogue(area=dialogue.area)
    make.pin(other, text="Annan dialog")
    rows = read_csv(export_bytes(dialogue, "csv", tmp_path))
    assert "Annan dialog" not in {r["text"] for r in rows}
    assert db.session.query(Pin).count() == len(pins) + 2
