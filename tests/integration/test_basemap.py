"""Base maps: `platsdialog basemap add` checks a tile file, and its tiles come from our origin."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import Writer
from sqlalchemy import func, select

from app.extensions import db
from app.models import BaseMap, Dialogue

from ..basemap_helpers import (
    DEMO_BASEMAP,
    TILE_TEMPLATE,
    add_demo_basemap,
    demo_tiles,
    write_gpkg,
    write_mbtiles,
)
from .planner_helpers import login, post


def _stored_files(app) -> list[Path]:
    folder = Path(app.instance_path) / "basemaps"
    return sorted(folder.iterdir()) if folder.exists() else []


def _tile_base(html: str) -> str | None:
    match = TILE_TEMPLATE.search(html)
    return match.group(1) if match else None


@pytest.fixture
def stockholm(make):
    """Stockholm (0180) with the Husby area and an open dialogue; the dialogue's id."""
    municipality = make.municipality("Stockholm", "0180")
    return make.dialogue(make.area(municipality)).id


def test_a_pmtiles_file_is_added_and_every_tile_answer_comes_from_our_origin(app, runner, client, stockholm):
    before = len(_stored_files(app))
    result = runner.invoke(args=["basemap", "add", "--kommunkod", "0180", "--name", "Topografisk",
                                 "--licence", "CC0 1.0", str(DEMO_BASEMAP)])
    assert result.exit_code == 0, result.output
    assert "Topografisk" in result.output and "standardkarta" in result.output
    with app.app_context():
        basemap = db.session.execute(select(BaseMap)).scalar_one()
        assert (basemap.kind, basemap.min_zoom, basemap.max_zoom) == ("pmtiles", 10, 17)
        assert basemap.is_default and "Stockholms stad" in basemap.attribution
        slug = db.session.get(Dialogue, stockholm).slug
    assert len(_stored_files(app)) == before + 1

    page = client.get(f"/d/{slug}").get_data(as_text=True)
    base = _tile_base(page)
    assert base, "the landing page has no base map layer"
    assert "Stockholms stad (CC0)" in page  # the attribution the map shows
    (z, x, y), expected = next(iter(demo_tiles(zooms=[16]).items()))
    answer = client.get(f"{base}/{z}/{x}/{y}")
    assert answer.status_code == 200 and answer.mimetype == "image/png"
    assert answer.data == expected
    assert "max-age=86400" in answer.headers["Cache-Control"] and "public" in answer.headers["Cache-Control"]
    again = client.get(f"{base}/{z}/{x}/{y}", headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    # Where the file has no tile (the far north), a transparent tile: the map's background shows.
    empty = client.get(f"{base}/12/2200/900")
    assert empty.status_code == 200
    assert Image.open(io.BytesIO(empty.data)).getextrema()[-1] == (0, 0)
    assert client.get(f"{base}/30/0/0").status_code == 404
    assert client.get(f"/kartor/{basemap.id}/000000000000/{z}/{x}/{y}").status_code == 404


@pytest.mark.parametrize("kind", ["mbtiles", "gpkg"])
def test_mbtiles_and_geopackage_tiles_are_answered_in_xyz_order(app, runner, client, stockholm, tmp_path,
                                                                kind):
    tiles = demo_tiles(zooms=[12, 15, 16])
    path = (write_mbtiles(tmp_path / "karta.mbtiles", tiles) if kind == "mbtiles"
            else write_gpkg(tmp_path / "karta.gpkg", tiles))
    result = runner.invoke(args=["basemap", "add", "--kommunkod", "0180", "--name", "Fil",
                                 "--attribution", "Testkommunen", str(path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        slug = db.session.get(Dialogue, stockholm).slug
    base = _tile_base(client.get(f"/d/{slug}/svara").get_data(as_text=True))
    for (z, x, y), data in list(tiles.items())[::7]:
        assert client.get(f"{base}/{z}/{x}/{y}").data == data


def _vector_pmtiles(path: Path) -> Path:
    with path.open("wb") as f:
        writer = Writer(f)
        writer.write_tile(zxy_to_tileid(14, 9000, 4700), b"\x1a\x00")
        writer.finalize({"tile_type": TileType.MVT, "tile_compression": Compression.GZIP,
                         "min_lon_e7": 179000000, "min_lat_e7": 593000000, "max_lon_e7": 180000000,
                         "max_lat_e7": 595000000, "center_zoom": 14, "center_lon_e7": 0,
                         "center_lat_e7": 0}, {})
    return path


def _bad_file(kind: str, tmp_path: Path) -> Path:
    if kind == "not a tile file":
        path = tmp_path / "karta.pmtiles"
        path.write_bytes(b"<html>Not found</html>")
    elif kind == "damaged":
        path = tmp_path / "karta.pmtiles"
        path.write_bytes(DEMO_BASEMAP.read_bytes()[:2000])
    elif kind == "vector tiles":
        path = _vector_pmtiles(tmp_path / "vektor.pmtiles")
    elif kind == "too coarse":
        path = write_mbtiles(tmp_path / "grov.mbtiles", demo_tiles(zooms=[10, 11]))
    elif kind == "elsewhere":  # tiles of Kiruna: they do not cover Husby
        path = write_mbtiles(tmp_path / "kiruna.mbtiles", demo_tiles(zooms=[15]),
                             bounds=(20.1, 67.8, 20.4, 67.9))
    else:  # a GeoPackage pyramid in SWEREF 99 TM, which a tile file cannot be
        path = write_gpkg(tmp_path / "sweref.gpkg", demo_tiles(zooms=[15]), epsg=3006)
    return path


@pytest.mark.parametrize(("kind", "sentence"), [
    ("not a tile file", "Filen är inte en PMTiles-, MBTiles- eller GeoPackage-fil med rutor."),
    ("damaged", "Rutfilen gick inte att läsa"),
    ("vector tiles", "vektorrutor"),
    ("too coarse", "zoomnivå 12"),
    ("elsewhere", "täcker inte kommunens område Husby."),
    ("sweref geopackage", "EPSG:3006"),
])
def test_a_bad_tile_file_is_refused_in_swedish_and_nothing_is_stored(app, runner, stockholm, tmp_path,
                                                                     kind, sentence):
    path = _bad_file(kind, tmp_path)
    before = _stored_files(app)
    result = runner.invoke(args=["basemap", "add", "--kommunkod", "0180", "--name", "Karta",
                                 "--attribution", "Någon", str(path)])
    assert result.exit_code == 1
    assert sentence in result.output
    assert "Traceback" not in result.output
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(BaseMap)).scalar_one() == 0
    assert _stored_files(app) == before


def test_a_tile_file_missing_several_areas_names_each_in_alphabetical_order(runner, make, tmp_path):
    stockholm = make.municipality("Stockholm", "0180")
    make.area(stockholm, name="Husby")
    make.area(stockholm, name="Akalla")  # drawn later, named first
    path = _bad_file("elsewhere", tmp_path)
    result = runner.invoke(args=["basemap", "add", "--kommunkod", "0180", "--name", "Karta",
                                 "--attribution", "Någon", str(path)])
    assert result.exit_code == 1
    assert "täcker inte kommunens områden Akalla, Husby." in result.output


def test_a_municipality_without_a_base_map_keeps_the_outline_view(app, client, make):
    slug = make.dialogue().slug
    page = client.get(f"/d/{slug}").get_data(as_text=True)
    assert _tile_base(page) is None
    assert "L.control.scale({imperial: false})" in page  # the metric scale bar all the same


def test_the_planner_chooses_the_dialogues_base_map_from_the_municipalitys_list(app, client, make, tmp_path):
    municipality = make.municipality()
    other = make.municipality()
    dialogue = make.dialogue(make.area(municipality))
    ids = {"dialogue": dialogue.id, "slug": dialogue.slug}
    user = make.user(municipality, role="project_leader")
    site = add_demo_basemap(name="Demokarta för alla")
    own = add_demo_basemap(municipality.id, name="Kommunens egen")
    foreign = add_demo_basemap(other.id, name="Grannkommunens")
    login(client, user)
    settings_url = f"/planering/dialoger/{ids['dialogue']}"
    page = client.get(settings_url).get_data(as_text=True)
    assert "Kommunens egen" in page and "Demokarta för alla" in page
    assert "Grannkommunens" not in page
    assert "Stockholms stad (CC0)" in page  # the attribution beside each choice

    def choose(basemap_id: int):
        return post(client, settings_url, {"title": "Husby", "slug": ids["slug"], "languages": "sv",
                                           "moderation": "post", "phase": "2", "basemap_id": str(basemap_id)})

    assert choose(site).status_code == 302
    landing = client.get(f"/d/{ids['slug']}").get_data(as_text=True)
    assert _tile_base(landing).startswith(f"/kartor/{site}/")
    refused = choose(foreign)
    assert refused.status_code == 422
    assert "Välj en av kommunens bakgrundskartor." in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Dialogue, ids["dialogue"]).basemap_id == site
    assert choose(0).status_code == 302  # back to the default: the municipality's own
    assert _tile_base(client.get(f"/d/{ids['slug']}").get_data(as_text=True)).startswith(f"/kartor/{own}/")


def test_removing_a_base_map_falls_back_to_the_default(app, runner, client, make):
    municipality = make.municipality(kommunkod="0180")
    dialogue = make.dialogue(make.area(municipality))
    slug, dialogue_id = dialogue.slug, dialogue.id
    site = add_demo_basemap(name="Alla")
    own = add_demo_basemap(municipality.id, name="Egen")
    before = len(_stored_files(app))
    with app.app_context():
        db.session.get(Dialogue, dialogue_id).basemap_id = own
        db.session.commit()
    assert _tile_base(client.get(f"/d/{slug}").get_data(as_text=True)).startswith(f"/kartor/{own}/")
    result = runner.invoke(args=["basemap", "remove", str(own)])
    assert result.exit_code == 0, result.output
    assert _tile_base(client.get(f"/d/{slug}").get_data(as_text=True)).startswith(f"/kartor/{site}/")
    assert len(_stored_files(app)) == before - 1
    listing = runner.invoke(args=["basemap", "list", "--kommunkod", "0180"]).output
    assert "Alla" in listing and "Egen" not in listing


def test_the_demo_shows_its_base_map(app_context, runner, client):
    assert runner.invoke(args=["demo", "--pins", "10"]).exit_code == 0
    page = client.get("/d/husby-demo").get_data(as_text=True)
    assert _tile_base(page)
    assert "Stockholms stad (CC0)" in page


def test_an_unknown_file_path_is_refused(app, runner, stockholm, tmp_path):
    result = runner.invoke(args=["basemap", "add", "--kommunkod", "0180", "--name", "X",
                                 str(tmp_path / "saknas.pmtiles")])
    assert result.exit_code == 1 and "Det finns ingen fil" in result.output
    shutil.rmtree(tmp_path, ignore_errors=True)
