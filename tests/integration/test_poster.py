"""The printable poster: an A4 or A3 PDF that renders, with the title, the text, the link and a QR
code (checked with poppler's pdfinfo, pdftotext and pdftoppm)."""

from __future__ import annotations

import re
import subprocess

import pytest
from PIL import Image

from .planner_helpers import login

PAGE_POINTS = {"a4": (595, 842), "a3": (842, 1191)}


def _dark_box(png) -> tuple[int, int, int, int] | None:
    """The bounding box of pure black pixels: only the QR code is drawn in pure black."""
    image = Image.open(png).convert("L")
    mask = image.point(lambda v: 255 if v < 16 else 0)
    return mask.getbbox()


@pytest.mark.parametrize("paper", ["a4", "a3"])
def test_the_poster_renders_with_title_text_link_and_qr_code(client, make, tmp_path, paper):
    municipality = make.municipality("Husby kommun")
    dialogue = make.dialogue(make.area(municipality), title="Husby torg i framtiden",
                             description="Vad gör torget tryggt, rättvist och fullt av "
                                         "möjligheter? Berätta för oss på kartan. " * 12)
    login(client, make.user(municipality, "steering_group"))
    response = client.get(f"/planering/dialoger/{dialogue.id}/affisch-{paper}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert f"affisch-{paper}.pdf" in response.headers["Content-Disposition"]
    path = tmp_path / "poster.pdf"
    path.write_bytes(response.data)

    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages: +1$", info, re.M)
    size = next(line for line in info.splitlines() if line.startswith("Page size:"))
    width, height = (round(float(n)) for n in size.split(":")[1].split("pts")[0].split(" x "))
    assert (width, height) == PAGE_POINTS[paper]
    assert paper.upper() in size

    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(text.split())
    assert "Husby torg i framtiden" in flat
    assert "Vad gör torget tryggt" in flat and "…" in flat  # the text, shortened for a poster
    assert f"/d/{dialogue.slug}" in flat and "Husby kommun" in flat

    subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", str(path),
                    str(tmp_path / "page")], check=True)
    page = tmp_path / "page.png"
    box = _dark_box(page)
    assert box is not None, "no QR code on the rendered page"
    left, top, right, bottom = box
    side_mm = (right - left) / 60 * 25.4
    expected = 95 * (width / PAGE_POINTS["a4"][0])
    assert 0.7 * expected < side_mm < expected and abs((right - left) - (bottom - top)) <= 3
    image = Image.open(page).convert("L").crop(box)
    histogram = image.histogram()
    dark = sum(histogram[:128]) / (image.width * image.height)
    assert 0.3 < dark < 0.7  # a QR code's modules, not a black square or nothing
    corner = image.crop((0, 0, image.width // 35, image.height // 35))  # under one module
    assert corner.getextrema()[1] < 128  # the top-left finder pattern's dark outer ring


def test_the_poster_page_links_both_sizes(client, make):
    municipality = make.municipality()
    dialogue = make.dialogue(make.area(municipality))
    login(client, make.user(municipality))
    page = client.get(f"/planering/dialoger/{dialogue.id}/affisch").get_data(as_text=True)
    assert f"/planering/dialoger/{dialogue.id}/affisch-a4.pdf" in page
    assert f"/planering/dialoger/{dialogue.id}/affisch-a3.pdf" in page
    assert client.get(f"/planering/dialoger/{dialogue.id}/affisch-a5.pdf").status_code == 404
