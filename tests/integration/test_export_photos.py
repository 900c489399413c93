"""Photos in an export: a ZIP with the main file and photos/<pin id>.jpg, read back byte for byte;
only photos of pins that leave with the export; the same permissions as every raw export."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pyogrio
import pytest
from openpyxl import load_workbook
from PIL import Image

from app.extensions import db
from app.models import Photo

from .export_data import rich_dialogue
from .export_helpers import logged, take_api_export, take_export
from .test_export_access import login
from .test_export_formats import export_bytes


def jpeg(colour: tuple[int, int, int]) -> bytes:
    """A small real JPEG, different per colour."""
    out = io.BytesIO()
    Image.new("RGB", (8, 6), colour).save(out, format="JPEG")
    return out.getvalue()


def with_photos(make):
    """The rich dialogue with photos on two published pins, the named-place pin and the hidden pin."""
    dialogue, pins, hidden = rich_dialogue(make)
    photos = {}
    for i, pin in enumerate((pins[0], pins[5], pins[-1], hidden)):
        photo = Photo(data=jpeg((40 * i, 200 - 40 * i, 90)), width=8, height=6)
        pin.photo = photo
        photos[pin.id] = photo.data
    db.session.commit()
    return dialogue, pins, hidden, photos


def open_zip(data: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    return archive


def check_photos(archive: zipfile.ZipFile, paths: dict[int, str | None], expected: dict[int, bytes]):
    """Every pin with a photo points at its JPEG in the ZIP, bytes equal; no other photo inside."""
    inside = {n for n in archive.namelist() if n.startswith("photos/")}
    assert inside == {f"photos/{pin_id}.jpg" for pin_id in expected}
    for pin_id, path in paths.items():
        if pin_id in expected:
            assert path == f"photos/{pin_id}.jpg" and archive.read(path) == expected[pin_id]
        else:
            assert path is None


def test_a_geopackage_with_photos_is_a_zip_with_each_included_pins_jpeg(make, tmp_path):
    dialogue, pins, hidden, photos = with_photos(make)
    archive = open_zip(export_bytes(dialogue, "gpkg", tmp_path, photos=True))
    [main] = [n for n in archive.namelist() if not n.startswith("photos/")]
    assert main.endswith("-epsg3006-" + main.split("-epsg3006-")[1]) and main.endswith(".gpkg")
    path = tmp_path / "main.gpkg"
    path.write_bytes(archive.read(main))
    meta, _, _, fields = pyogrio.raw.read(path, layer="pins")
    columns = dict(zip(meta["fields"], fields, strict=True))
    paths = dict(zip(columns["pin_id"], columns["photo"], strict=True))
    assert set(paths) == {p.id for p in pins}
    check_photos(archive, paths, {k: v for k, v in photos.items() if k != hidden.id})


def test_the_hidden_pins_photo_leaves_only_with_the_hidden_pin(make, tmp_path):
    dialogue, pins, hidden, photos = with_photos(make)
    data = export_bytes(dialogue, "geojson", tmp_path, crs=4326, photos=True, include_hidden=True)
    archive = open_zip(data)
    [main] = [n for n in archive.namelist() if n.endswith(".geojson")]
    features = json.loads(archive.read(main))["features"]
    paths = {f["id"]: f["properties"]["photo"] for f in features}
    assert hidden.id in paths
    check_photos(archive, paths, photos)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_csv_and_excel_with_photos_carry_the_photo_column(make, tmp_path, fmt):
    dialogue, pins, hidden, photos = with_photos(make)
    archive = open_zip(export_bytes(dialogue, fmt, tmp_path, photos=True))
    [main] = [n for n in archive.namelist() if n.endswith("." + fmt)]
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(archive.read(main).decode("utf-8-sig"))))
        paths = {int(r["pin_id"]): r["photo"] or None for r in rows}
    else:
        sheet = load_workbook(io.BytesIO(archive.read(main)), read_only=True)["Synpunkter"]
        header, *rows = list(sheet.values)
        rows = [(*r, *(None,) * (len(header) - len(r))) for r in rows]  # empty trailing cells
        paths = {r[header.index("Synpunktens id")]: r[header.index("Fotofil")] for r in rows}
    assert set(paths) == {p.id for p in pins}
    check_photos(archive, paths, {k: v for k, v in photos.items() if k != hidden.id})


def test_without_photos_nothing_changes(make, tmp_path):
    dialogue, _, _, _ = with_photos(make)
    data = export_bytes(dialogue, "csv", tmp_path)
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert "photo" not in header and "has_photo" in header


@pytest.mark.parametrize(("role", "own", "status"), [
    ("steering_group", True, 403), ("project_leader", False, 404)])
def test_others_get_no_photos(client, make, role, own, status):
    dialogue, _, _, _ = with_photos(make)
    login(client, make.user(dialogue.municipality if own else make.municipality(), role))
    for take in (take_export, take_api_export):
        assert take(client, dialogue.id, "gpkg", photos="1").status_code == status
    assert logged("export") == []


def test_the_working_group_downloads_photos_from_the_page(client, make):
    dialogue, pins, hidden, photos = with_photos(make)
    login(client, make.user(dialogue.municipality, "working_group"))
    page = client.get(f"/planering/dialoger/{dialogue.id}/export/").get_data(as_text=True)
    assert 'name="photos"' in page
    response = take_export(client, dialogue.id, "csv", photos="1")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].endswith(".zip")
    archive = open_zip(response.get_data())
    response.close()
    assert len([n for n in archive.namelist() if n.startswith("photos/")]) == 3
    [event] = logged("export")
    assert event.detail["photos"] is True and event.detail["rows"] == len(pins)


def test_photos_are_refused_with_the_report_and_the_answers(client, make):
    dialogue, _, _, _ = with_photos(make)
    login(client, make.user(dialogue.municipality, "project_leader"))
    for fmt in ("report-html", "answers-csv"):
        response = take_export(client, dialogue.id, fmt, photos="1")
        assert response.status_code == 400
        assert "Foton kan exporteras med kommentarerna" in response.get_data(as_text=True)
    assert logged("export") == []
