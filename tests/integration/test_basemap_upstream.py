"""Upstream base maps (XYZ, WMTS in SWEREF 99 18 00): checked, proxied, cached on disk, refused plainly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import BaseMap, Dialogue

from ..basemap_helpers import TILE_TEMPLATE
from ..wmts_server import EPSG, MARK, ORIGIN, RESOLUTIONS, WMTSServer, tile_png


@pytest.fixture
def stockholm(make):
    municipality = make.municipality("Stockholm", "0180")
    return make.dialogue(make.area(municipality)).slug


def _add_wmts(runner, url: str, *extra: str):
    return runner.invoke(args=["basemap", "add-wmts", url, "--layer", "topo", "--kommunkod", "0180",
                               "--name", "Stadskartan", "--attribution", "Stockholms stad", *extra])


def _husby_tile(z: int) -> tuple[int, int]:
    """(column, row) of the upstream's tile over Husby centrum in matrix z."""
    span = RESOLUTIONS[z] * 256
    return int((MARK[0] - ORIGIN[0]) // span), int((ORIGIN[1] - MARK[1]) // span)


def _count(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(BaseMap)).scalar_one()


def test_a_sweref_wmts_is_read_from_its_capabilities_and_its_tiles_come_through_our_cache(
        app, runner, client, stockholm, upstream):
    result = _add_wmts(runner, upstream.capabilities_url)
    assert result.exit_code == 0, result.output
    with app.app_context():
        basemap = db.session.execute(select(BaseMap)).scalar_one()
        assert (basemap.kind, basemap.crs, basemap.min_zoom, basemap.max_zoom) == ("wmts", EPSG, 0, 7)
        assert [m["resolution"] for m in basemap.tile_matrix] == pytest.approx(RESOLUTIONS)
        assert basemap.tile_matrix[0]["origin"] == [100_000.0, 6_650_000.0]  # easting, northing
        assert "apikey=hemlig-nyckel" in basemap.source
        basemap_id = basemap.id
    page = client.get(f"/d/{stockholm}").get_data(as_text=True)
    assert "hemlig-nyckel" not in page and upstream.url not in page  # the key stays on the server
    assert f"L.CRS.Platsdialog{basemap_id}" in page
    base = TILE_TEMPLATE.search(page).group(1)
    crs = client.get(re.search(r'src="(/kartor/[^"]+/crs\.js)"', page).group(1)).get_data(as_text=True)
    assert '"EPSG:3011"' in crs and "+lon_0=18" in crs and "[100000.0, 6650000.0]" in crs

    before = len(upstream.tile_requests())
    col, row = _husby_tile(6)
    answer = client.get(f"{base}/6/{col}/{row}")
    assert answer.status_code == 200 and answer.mimetype == "image/png"
    assert answer.data == tile_png(6, row, col)
    assert len(upstream.tile_requests()) == before + 1
    assert f"TILEMATRIX=6&TILEROW={row}&TILECOL={col}" in upstream.tile_requests()[-1]
    again = client.get(f"{base}/6/{col}/{row}")
    assert again.data == answer.data
    assert len(upstream.tile_requests()) == before + 1  # from our disk cache, not upstream
    cached = list((Path(app.instance_path) / "tile-cache").glob(f"{basemap_id}-*/6/{col}/{row}.tile"))
    assert len(cached) == 1
    assert client.get(f"{base}/9/0/0").status_code == 200  # past the last matrix: an empty tile
    assert len(upstream.tile_requests()) == before + 1


def test_an_upstream_that_is_down_gives_the_outline_view_and_a_notice(app, runner, client, stockholm,
                                                                       upstream):
    assert _add_wmts(runner, upstream.capabilities_url).exit_code == 0
    page = client.get(f"/d/{stockholm}").get_data(as_text=True)
    base = TILE_TEMPLATE.search(page).group(1)
    upstream.stop()
    col, row = _husby_tile(5)
    answer = client.get(f"{base}/5/{col}/{row}")
    assert answer.status_code == 503 and answer.headers["Cache-Control"] == "no-store"
    page = client.get(f"/d/{stockholm}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert TILE_TEMPLATE.search(html) is None  # the outline view
    notice = re.search(r'<p class="basemap-notice"[^>]*>([^<]+)</p>', html)
    assert notice and " hidden" not in notice.group(0)
    assert "Bakgrundskartan kan inte visas just nu" in notice.group(1)


@pytest.mark.parametrize(("mode", "sentence"), [
    ("no-matrix-set", "har ingen användbar tile matrix set"),
    ("html", "svarade med en webbsida (HTML)"),
])
def test_a_capabilities_document_without_a_usable_matrix_set_or_an_html_answer_is_refused(
        app, runner, stockholm, mode, sentence):
    server = WMTSServer(mode)
    try:
        result = _add_wmts(runner, server.capabilities_url)
    finally:
        server.stop()
    assert result.exit_code == 1
    assert sentence in result.output and "Traceback" not in result.output
    assert "hemlig-nyckel" not in result.output
    assert _count(app) == 0


def test_an_xyz_server_is_proxied_and_cached_and_an_html_one_refused(app, runner, client, stockholm,
                                                                      upstream):
    result = runner.invoke(args=["basemap", "add-xyz", f"{upstream.url}/xyz/{{z}}/{{x}}/{{y}}.png",
                                 "--kommunkod", "0180", "--name", "XYZ", "--attribution", "Testservern"])
    assert result.exit_code == 0, result.output
    page = client.get(f"/d/{stockholm}/svara").get_data(as_text=True)
    assert upstream.url not in page
    base = TILE_TEMPLATE.search(page).group(1)
    before = len(upstream.tile_requests())
    first = client.get(f"{base}/15/18015/9622")
    assert first.status_code == 200 and first.data == tile_png(0, 0, 0)
    client.get(f"{base}/15/18015/9622")
    assert len(upstream.tile_requests()) == before + 1

    html_server = WMTSServer("html")
    try:
        refused = runner.invoke(args=["basemap", "add-xyz", f"{html_server.url}/{{z}}/{{x}}/{{y}}.png",
                                      "--kommunkod", "0180", "--name", "Fel", "--attribution", "X"])
    finally:
        html_server.stop()
    assert refused.exit_code == 1 and "svarade med en webbsida (HTML)" in refused.output
    assert _count(app) == 1


def test_an_unreachable_server_is_refused(app, runner, stockholm):
    server = WMTSServer()
    url = server.capabilities_url
    server.stop()
    result = _add_wmts(runner, url)
    assert result.exit_code == 1 and "svarar inte" in result.output
    assert _count(app) == 0
    with app.app_context():
        assert db.session.execute(select(Dialogue.basemap_id)).scalar_one() is None
