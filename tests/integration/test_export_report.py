"""The written report "Underlag inför samråd": the right counts, in Swedish, as HTML and as PDF."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from app.export.render import report_html, report_pdf
from app.export.report import balance

from .export_data import rich_dialogue


def table(html: str, table_id: str) -> dict[str, list[str]]:
    """A table of the report as first cell -> the other cells."""
    body = re.search(rf'<table id="{table_id}">(.*?)</table>', html, re.S).group(1)
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        found = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in found]
        rows[cells[0]] = cells[1:]
    return rows


def test_the_report_counts_respondents_pins_and_values(make, app):
    dialogue, pins, hidden = rich_dialogue(make)
    with app.test_request_context():
        html = report_html(dialogue)
    assert html.startswith("<!doctype html>") and '<html lang="sv">' in html
    assert "Underlag inför samråd" in html
    facts = table(html, "facts")
    assert facts["Svarande"] == ["10"]  # one response per pin, the hidden one too
    assert facts["Kommentarer på kartan"] == ["9"]  # hidden is not counted
    assert facts["Utvecklingsområde"] == ["Husby"]
    values = table(html, "values")
    assert values["Trygghet"][-2:] == ["3", "33\xa0%"]
    assert values["Rättvisa"][-2] == "3" and values["Utvecklingsmöjligheter"][-2] == "3"
    assert "Uppmärksamhetsindex" in html and ": 1,00." in html  # 3/3/3 is an even attention share
    # Three count maps, the three assessment maps side by side, the weak leg, the hotspots.
    assert html.count('src="data:image/png;base64,') == 6
    assert table(html, "demographic-alder")["25–44 år"] == ["1", "10\xa0%"]


def test_the_report_quotes_only_published_comments_and_published_feedback(make, app):
    dialogue, pins, hidden = rich_dialogue(make)
    with app.test_request_context():
        html = report_html(dialogue)
    assert table(html, "themes")["Belysning"] == ["2"]
    assert "Namn och telefonnummer" not in html  # the hidden pin is in the theme but never quoted
    assert "Vi byter belysning i tunneln." in html
    assert "Utkast som inte är publicerat." not in html


def test_the_pdf_report_says_the_same_in_swedish(make, app, tmp_path):
    dialogue, _, _ = rich_dialogue(make)
    with app.test_request_context():
        data = report_pdf(dialogue)
    assert data.startswith(b"%PDF")
    path = Path(os.environ.get("PLATSDIALOG_KEEP_REPORT", tmp_path / "report.pdf"))
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Underlag inför samråd" in text and "Svarande" in text
    assert re.search(r"Kommentarer på kartan\s+9", text)
    assert "Vi byter belysning i tunneln." in text


def test_balance_is_one_for_equal_values_and_zero_for_one_value():
    assert balance({"safety": 4, "justice": 4, "development": 4}) == pytest.approx(1.0)
    assert balance({"safety": 4, "justice": 0, "development": 0}) == 0.0
    assert balance({"safety": 0, "justice": 0, "development": 0}) == 0.0
    assert 0.5 < balance({"safety": 8, "justice": 1, "development": 1}) < 0.7
