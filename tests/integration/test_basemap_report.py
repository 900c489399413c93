"""The report's maps are composed on the server from the base map's tiles: the PDF shows them."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from sqlalchemy import select

from app.export.mapimage import _Frame, value_map_png
from app.export.render import report_pdf
from app.extensions import db
from app.models import BaseMap

from ..basemap_helpers import add_demo_basemap
from ..factories import square
from ..wmts_server import GROUND, LINE, MARK_LAT_LNG, WMTSServer
from .export_data import rich_dialogue

LAND = (244, 241, 234)  # the demo base map's land colour (scripts/build_demo_basemap.py)
BORDER = (150, 138, 160)  # its district borders


def _pages(pdf: bytes, tmp_path: Path, name: str) -> list[Image.Image]:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(tmp_path / name)], check=True)
    return [Image.open(p).convert("RGB") for p in sorted(tmp_path.glob(f"{name}-*.png"))]


def _near(image: Image.Image, colour: tuple[int, int, int], tolerance: int = 6) -> int:
    pixels = np.asarray(image, dtype=int)
    return int((np.abs(pixels - np.array(colour)).max(axis=2) <= tolerance).sum())


def test_the_pdf_maps_show_the_base_map_under_the_grid(make, app, tmp_path):
    dialogue, _, _ = rich_dialogue(make)
    with app.test_request_context():
        plain = report_pdf(dialogue)
    add_demo_basemap(name="Demokarta")
    with app.test_request_context():
        on_tiles = report_pdf(dialogue)
    plain_land = sum(_near(page, LAND) for page in _pages(plain, tmp_path, "plain"))
    pages = _pages(on_tiles, tmp_path, "tiles")
    land = sum(_near(page, LAND) for page in pages)
    borders = sum(_near(page, BORDER, 20) for page in pages)
    print(plain_land, land, borders)
    assert land > 20_000  # three maps of land from the tiles
    assert land > 10 * plain_land  # without a base map the maps are on white
    assert borders > 100  # district borders of the tiles are drawn too
    text = subprocess.run(["pdftotext", str(tmp_path / "tiles.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Underlag inför samråd" in text


@pytest.fixture
def sweref_upstream():
    server = WMTSServer()
    yield server
    server.stop()


def _sweref_basemap(upstream) -> None:
    from app.basemap.upstream import add_wmts_basemap

    add_wmts_basemap(upstream.capabilities_url, "topo", municipality_id=None, name="Stadskartan",
                     attribution="Stockholms stad (test)")
    db.session.commit()


def test_the_pdf_maps_show_a_sweref_wmts_base_map_under_the_grid(make, app, tmp_path, sweref_upstream):
    dialogue, _, _ = rich_dialogue(make)
    _sweref_basemap(sweref_upstream)
    with app.test_request_context():
        pdf = report_pdf(dialogue)
    ground = sum(_near(page, GROUND) for page in _pages(pdf, tmp_path, "sweref"))
    assert ground > 20_000  # three maps on the WMTS's ground colour, not on white
    assert sweref_upstream.tile_requests()  # the tiles came from the municipality's WMTS...
    fetched = len(sweref_upstream.tile_requests())
    with app.test_request_context():
        report_pdf(dialogue)
    assert len(sweref_upstream.tile_requests()) == fetched  # ...once: the second report uses the cache


def test_a_sweref_tile_is_resampled_to_where_its_place_is(make, app, sweref_upstream):
    """The WMTS's red dot at a known place lands on that place's pixel of our Web Mercator picture."""
    _sweref_basemap(sweref_upstream)
    lat, lng = MARK_LAT_LNG
    with app.test_request_context():
        basemap = db.session.execute(select(BaseMap)).scalar_one()
        outline = square(lat, lng, 0.0006)  # about 130 m across: the finest matrices are used
        png = value_map_png(outline, [], "safety", "#000000", basemap=basemap)
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
    red = (pixels[..., 0] > 180) & (pixels[..., 1] < 110) & (pixels[..., 2] < 110)
    rows, columns = np.nonzero(red)
    assert len(rows) > 20
    expected_x, expected_y = _Frame(outline).lat_lng_px(lat, lng)
    assert abs(columns.mean() - expected_x) < 2 and abs(rows.mean() - expected_y) < 2
    # The WMTS's 100 m easting lines of SWEREF 99 18 00 run straight up the picture: Husby is
    # near the zone's central meridian, where the two projections' north agree.
    line = (np.abs(pixels - np.array(LINE)).max(axis=2) <= 40)
    assert (line.sum(axis=0) > 0.5 * pixels.shape[0]).any()


def test_when_the_sweref_upstream_is_down_the_report_map_is_drawn_on_white(make, app, sweref_upstream):
    _sweref_basemap(sweref_upstream)
    sweref_upstream.stop()
    with app.test_request_context():
        basemap = db.session.execute(select(BaseMap)).scalar_one()
        png = value_map_png(square(*MARK_LAT_LNG, 0.003), [], "safety", "#000000", basemap=basemap)
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
    assert _near(Image.fromarray(pixels.astype(np.uint8)), GROUND) == 0
    assert _near(Image.fromarray(pixels.astype(np.uint8)), (255, 255, 255), 0) > 0.5 * pixels[..., 0].size
