"""A municipality's WMS as a base map: read with OWSLib, asked for one tile's box at a time by our
server, cached on disk, served from our origin; refused plainly when it cannot be used."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from PIL import Image
from pyproj import Transformer
from sqlalchemy import func, select

from app.basemap.wms import SWEREF_ORIGIN, SWEREF_RESOLUTIONS
from app.extensions import db
from app.models import BaseMap
from app.spatial import MERCATOR_HALF

from ..basemap_helpers import TILE_TEMPLATE
from ..wmts_server import EPSG, GROUND, MARK, MARK_LAT_LNG, WMTSServer


@pytest.fixture
def stockholm(make):
    municipality = make.municipality("Stockholm", "0180")
    return make.dialogue(make.area(municipality)).slug


def _add_wms(runner, url: str, *extra: str):
    return runner.invoke(args=["basemap", "add-wms", url, "--layer", "topo", "--kommunkod", "0180",
                               "--name", "Kommunkartan", "--attribution", "Stockholms stad", *extra])


def _count(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(BaseMap)).scalar_one()


def _red_centre(png: bytes) -> tuple[float, float]:
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
    rows, columns = np.nonzero((pixels[..., 0] > 180) & (pixels[..., 1] < 100) & (pixels[..., 2] < 100))
    assert len(rows), "no red mark in the tile"
    return float(columns.mean()), float(rows.mean())


def _where(z: int) -> tuple[int, int, float, float]:
    """Column, row and the mark's pixel in our SWEREF tile of matrix z over the mark."""
    span = SWEREF_RESOLUTIONS[z] * 256
    col, row = int((MARK[0] - SWEREF_ORIGIN[0]) // span), int((SWEREF_ORIGIN[1] - MARK[1]) // span)
    return (col, row, (MARK[0] - SWEREF_ORIGIN[0] - col * span) / SWEREF_RESOLUTIONS[z],
            (SWEREF_ORIGIN[1] - row * span - MARK[1]) / SWEREF_RESOLUTIONS[z])


def _mark_tile() -> tuple[int, int, int, float, float]:
    """A streets-level matrix (0.25-2 m per pixel) whose tile has the mark away from its edges."""
    z = next(z for z in (13, 12, 14, 11) if all(10 < v < 246 for v in _where(z)[2:]))
    return (z, *_where(z))


def test_a_sweref_wms_becomes_tiles_of_our_own_grid_cached_and_served_from_our_origin(
        app, runner, client, stockholm, upstream):
    result = _add_wms(runner, upstream.wms_capabilities_url)
    assert result.exit_code == 0, result.output
    assert "Kommunkartan" in result.output and "wms" in result.output
    with app.app_context():
        basemap = db.session.execute(select(BaseMap)).scalar_one()
        assert (basemap.kind, basemap.crs) == ("wms", EPSG)  # the layer's own SWEREF 99 zone first
        assert [m["resolution"] for m in basemap.tile_matrix] == SWEREF_RESOLUTIONS
        assert "apikey=hemlig-nyckel" in basemap.source and "map=stadskarta" in basemap.source
        basemap_id = basemap.id
    page = client.get(f"/d/{stockholm}").get_data(as_text=True)
    assert "hemlig-nyckel" not in page and upstream.url not in page
    assert f"L.CRS.Platsdialog{basemap_id}" in page  # the browser map runs in SWEREF 99 18 00
    base = TILE_TEMPLATE.search(page).group(1)

    z, col, row, expected_x, expected_y = _mark_tile()
    before = len(upstream.tile_requests())
    answer = client.get(f"{base}/{z}/{col}/{row}")
    assert answer.status_code == 200 and answer.mimetype == "image/png"
    assert answer.headers["ETag"] and "max-age" in answer.headers["Cache-Control"]
    # The red mark is where the place is in our grid: the GetMap box was the tile's, axes right.
    x, y = _red_centre(answer.data)
    assert abs(x - expected_x) < 1.5 and abs(y - expected_y) < 1.5
    asked = {k: v[0] for k, v in parse_qs(urlsplit(upstream.tile_requests()[-1]).query).items()}
    assert (asked["REQUEST"], asked["CRS"], asked["WIDTH"], asked["LAYERS"]) == ("GetMap", "EPSG:3011", "256",
                                                                                 "topo")
    assert len(upstream.tile_requests()) == before + 1
    assert client.get(f"{base}/{z}/{col}/{row}").data == answer.data
    assert len(upstream.tile_requests()) == before + 1  # the second answer came from our disk cache


def test_a_wms_in_web_mercator_is_asked_for_z_x_y_boxes(app, runner, client, stockholm, upstream):
    assert _add_wms(runner, upstream.wms_capabilities_url, "--crs", "3857").exit_code == 0
    with app.app_context():
        basemap = db.session.execute(select(BaseMap)).scalar_one()
        assert (basemap.kind, basemap.crs, basemap.tile_matrix) == ("wms", 3857, None)
    page = client.get(f"/d/{stockholm}").get_data(as_text=True)
    assert "L.CRS.Platsdialog" not in page
    base = TILE_TEMPLATE.search(page).group(1)
    z = 17
    mx, my = Transformer.from_crs(4326, 3857, always_xy=True).transform(MARK_LAT_LNG[1], MARK_LAT_LNG[0])
    size = 2 * MERCATOR_HALF / 2**z
    col, row = int((mx + MERCATOR_HALF) // size), int((MERCATOR_HALF - my) // size)
    answer = client.get(f"{base}/{z}/{col}/{row}")
    assert answer.status_code == 200
    x, y = _red_centre(answer.data)
    assert abs(x - (mx + MERCATOR_HALF - col * size) / size * 256) < 1.5
    assert abs(y - (MERCATOR_HALF - my - row * size) / size * 256) < 1.5
    pixels = np.asarray(Image.open(io.BytesIO(answer.data)).convert("RGB"), dtype=int)
    assert (np.abs(pixels - np.array(GROUND)).max(axis=2) <= 3).mean() > 0.9


@pytest.mark.parametrize(("mode", "extra", "sentence"), [
    ("no-crs", (), "har inget användbart koordinatsystem"),
    ("ok", ("--crs", "3010"), "erbjuds inte i EPSG:3010"),
    ("html", (), "svarade med en webbsida (HTML)"),
])
def test_a_wms_without_a_usable_crs_or_answering_html_is_refused_in_swedish(
        app, runner, stockholm, mode, extra, sentence):
    server = WMTSServer(mode)
    try:
        result = _add_wms(runner, server.wms_capabilities_url, *extra)
    finally:
        server.stop()
    assert result.exit_code == 1
    assert sentence in result.output and "Traceback" not in result.output
    assert "hemlig-nyckel" not in result.output
    assert _count(app) == 0


def test_a_missing_layer_is_named_with_the_ones_there_are(app, runner, stockholm, upstream):
    result = runner.invoke(args=["basemap", "add-wms", upstream.wms_capabilities_url, "--layer", "ortofoto",
                                 "--kommunkod", "0180", "--name", "X", "--attribution", "Y"])
    assert result.exit_code == 1
    assert "ortofoto" in result.output and "topo" in result.output
    assert _count(app) == 0


def test_a_wms_1_1_1_server_is_asked_with_srs_and_an_east_first_box(app, runner, client, stockholm):
    server = WMTSServer("wms-1.1.1")
    try:
        result = _add_wms(runner, server.wms_capabilities_url)
        assert result.exit_code == 0, result.output
        with app.app_context():
            basemap = db.session.execute(select(BaseMap)).scalar_one()
            assert (basemap.kind, basemap.crs, basemap.image_format) == ("wms", EPSG, "png")
        base = TILE_TEMPLATE.search(client.get(f"/d/{stockholm}").get_data(as_text=True)).group(1)
        z, col, row, expected_x, expected_y = _mark_tile()
        answer = client.get(f"{base}/{z}/{col}/{row}")
        assert answer.status_code == 200
        x, y = _red_centre(answer.data)
        assert abs(x - expected_x) < 1.5 and abs(y - expected_y) < 1.5
        asked = {k: v[0] for k, v in parse_qs(urlsplit(server.tile_requests()[-1]).query).items()}
        assert (asked["VERSION"], asked["SRS"]) == ("1.1.1", "EPSG:3011") and "CRS" not in asked
    finally:
        server.stop()
