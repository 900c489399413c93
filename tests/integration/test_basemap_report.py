"""The report's maps are composed on the server from the base map's tiles: the PDF shows them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
from PIL import Image

from app.export.render import report_pdf

from ..basemap_helpers import add_demo_basemap
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
