"""The population comparison in the exports, each read back with its own reader."""

from __future__ import annotations

import re
import subprocess

import pyogrio
import pyogrio.raw
from openpyxl import load_workbook

from .export_helpers import take_export
from .planner_helpers import login
from .test_population import _add_respondents, _import, expected, population_csv


def _download(client, url: str, path):
    """The export's bytes written to path (the streamed response closed, as a browser does)."""
    dialogue_id, fmt = re.match(r"/planering/dialoger/(\d+)/export/([\w-]+)", url).groups()
    response = take_export(client, int(dialogue_id), fmt)
    assert response.status_code == 200
    path.write_bytes(response.get_data())
    response.close()
    return path


def _compared_dialogue(client, make):
    dialogue = make.dialogue()
    _add_respondents(dialogue)
    login(client, make.user(dialogue.municipality, role="project_leader"))
    assert _import(client, dialogue.id, population_csv()).status_code == 302
    return dialogue.id


def test_the_excel_workbook_has_the_comparison_and_the_weighted_counts(client, make, tmp_path):
    dialogue_id = _compared_dialogue(client, make)
    path = _download(client, f"/planering/dialoger/{dialogue_id}/export/xlsx", tmp_path / "e.xlsx")
    book = load_workbook(path, read_only=True)
    rows = list(book["Referensbefolkning"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:4] == ("question", "dimension", "group", "label")
    table = {(r[0], r[2]): dict(zip(header, r, strict=True)) for r in body}
    want = expected()
    for question in ("alder", "kon"):
        groups, score = want[question]
        for group, (resp_share, pop_share, ratio) in groups.items():
            row = table[(question, group)]
            assert abs(row["share_of_respondents"] - resp_share) < 1e-4
            assert abs(row["share_of_population"] - pop_share) < 1e-4
            assert abs(row["ratio"] - ratio) < 1e-4
            assert abs(row["representation_score"] - score) < 1e-4
    weighted = {(r[0], r[1]): r for r in book["Viktat"].iter_rows(values_only=True) if r and r[0]}
    for (value, sentiment), w in want["weighted"].items():
        assert abs(weighted[(value, sentiment)][3] - w) < 0.01
    method = next(r[1] for r in book["Viktat"].iter_rows(values_only=True) if r and r[0] == "method")
    assert "Poststratifiering på alder × kon" in method and "Testbefolkning" in method


def test_the_geopackage_has_the_comparison_as_a_table(client, make, tmp_path):
    dialogue_id = _compared_dialogue(client, make)
    path = _download(client, f"/planering/dialoger/{dialogue_id}/export/gpkg", tmp_path / "e.gpkg")
    layers = dict(pyogrio.list_layers(path))
    assert layers["population"] is None  # a table without geometry
    assert "themes" in pyogrio.read_info(path, layer="pins")["fields"]
    _meta, _fids, geometry, values = pyogrio.raw.read(path, layer="population")
    assert geometry is None
    fields = list(pyogrio.read_info(path, layer="population")["fields"])
    rows = [dict(zip(fields, row, strict=True)) for row in zip(*values, strict=True)]
    groups, _score = expected()["kon"]
    women = next(r for r in rows if (r["question"], r["group"]) == ("kon", "kvinna"))
    assert abs(women["ratio"] - groups["kvinna"][2]) < 1e-4


def test_the_report_shows_the_comparison_in_html_and_pdf(client, make, tmp_path):
    dialogue_id = _compared_dialogue(client, make)
    html = _download(client, f"/planering/dialoger/{dialogue_id}/export/report-html",
                     tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Vilka som svarat, jämfört med vilka som bor där" in html
    assert "Representationstal" in html and "Viktad nettobedömning" in html
    path = _download(client, f"/planering/dialoger/{dialogue_id}/export/report-pdf", tmp_path / "r.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Representationstal" in text and "Poststratifiering" in text
