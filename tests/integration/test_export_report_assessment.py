"""The report carries the three assessment maps side by side, the weak leg and the hot spots."""

from __future__ import annotations

import io
import subprocess

import numpy as np
from PIL import Image

from app.domain import VALUES
from app.export.render import report_html, report_pdf
from app.export.report import build_report

from ..analysis_helpers import add_pins
from .test_analysis_assessment import CLEAR, UNCLEAR, _two_places
from .test_analysis_hotspots import _cluster


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3)


def _has(pixels: np.ndarray, hex_colour: str, tolerance: int = 30) -> bool:
    """Whether some pixel is close to the colour as drawn: 215/255 opaque over white."""
    colour = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)])
    target = colour * 215 / 255 + 255 * (1 - 215 / 255)
    return bool((np.abs(pixels.astype(int) - target).sum(axis=1) < tolerance).any())


def test_the_report_has_the_assessment_maps_the_weak_leg_and_the_hotspots(make, app, tmp_path):
    dialogue, _clear, _unclear = _two_places(make)
    # Enough of every kind at the centre that the small-number rule hides none of its counts.
    more = {("safety", "positive"): 5, ("justice", "positive"): 10, ("justice", "negative"): 3,
            ("development", "negative"): 4, **{(v, "idea"): 3 for v in VALUES}}
    # At the other place too: the area's totals are published, so a small count there would hide
    # the centre's matching count as well (complementary suppression).
    other = {("safety", "positive"): 2, ("safety", "negative"): 1, ("justice", "positive"): 1,
             ("justice", "negative"): 2, ("development", "positive"): 1,
             ("development", "negative"): 1, **{(v, "idea"): 3 for v in VALUES}}
    add_pins(dialogue, [(*CLEAR, v, s) for (v, s), n in more.items() for _ in range(n)]
             + [(*UNCLEAR, v, s) for (v, s), n in other.items() for _ in range(n)]
             + _cluster(60, seed=9))
    with app.test_request_context():
        blocks = {b.key: b for b in build_report(dialogue, quotes=False) if b.key}
        html = report_html(dialogue, quotes=False)
        pdf = report_pdf(dialogue, quotes=False)

    side_by_side = Image.open(io.BytesIO(blocks["map-assessment"].png))
    assert side_by_side.width == 1500 and side_by_side.height < 700  # three panels in one row
    pixels = _pixels(blocks["map-assessment"].png)
    assert _has(pixels, "#b2182b") or _has(pixels, "#ef8a62")  # safety at the centre: negative
    assert _has(pixels, "#2166ac") or _has(pixels, "#67a9cf")  # justice there: positive
    assert _has(_pixels(blocks["map-weak-leg"].png), "#0072B2")  # safety's colour: the weak leg
    assert _has(_pixels(blocks["map-hotspots"].png), "#b2182b")  # the cluster of safety problems
    rows = [r for r in blocks["hotspots"].rows[1:] if r[0] == "Trygghet: Ett problem"]
    assert rows and rows[0][1] == "vid Husby centrum" and rows[0][2] == "het punkt"
    assert "Tre kartor över området sida vid sida" in html and "Metod och begränsningar" in html
    # The whole area's counts, as on the statistics page: on safety 1 + 3 + 5 + 2 work well,
    # 11 + 4 + 1 + 60 are problems, 2 + 2 + 3 + 3 ideas (both places, the additions, the cluster).
    assert blocks["assessment"].rows[1][:4] == ["Trygghet", "11", "76", "10"]
    assert "”" not in "".join(b.text for b in blocks.values() if b.kind == "quote")

    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Hur värdena bedöms" in text and "Getis-Ord Gi*" in text and "Det svaga benet" in text
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True,
                            check=True).stdout
    assert len(images.strip().splitlines()) - 2 >= 6
