"""Soft hyphens go into the headings a planner and a resident read, never into the data: the page's
title, the maps' alt texts, the CSV and the HTML report's own text keep the plain words."""

from __future__ import annotations

import csv
import io
import re

from app.typography import SOFT_HYPHEN

from .export_helpers import take_export
from .network_helpers import login

TITLE = "Husby: trygghet, rättvisa och utvecklingsmöjligheter"
BROKEN = TITLE.replace("utvecklings", "utvecklings" + SOFT_HYPHEN)


def _headings(html: str) -> list[str]:
    return re.findall(r"<h([1-3])[^>]*>(.*?)</h\1>", html, re.S)


def test_the_analysis_heading_breaks_at_the_joint_and_the_rest_of_the_page_keeps_the_word(client, make):
    dialogue = make.dialogue(title=TITLE)
    make.pin(dialogue, value="development", text="Fler utvecklingsmöjligheter för unga")
    login(client, make.user(dialogue.municipality))
    html = client.get(f"/planering/analys/dialoger/{dialogue.id}/bedomning?lang=sv").get_data(as_text=True)
    headings = [text for _level, text in _headings(html)]
    assert any(BROKEN in text for text in headings)  # the h1
    assert f"Utvecklings{SOFT_HYPHEN}möjligheter" in headings  # the value's own h3
    outside = re.sub(r"<h([1-3])[^>]*>.*?</h\1>", "", html, flags=re.S)
    assert SOFT_HYPHEN not in outside  # <title>, alt texts, tables, data- attributes
    assert TITLE in html.split("<title>", 1)[1].split("</title>", 1)[0]


def test_the_exports_keep_the_plain_words(client, make):
    dialogue = make.dialogue(title=TITLE)
    make.pin(dialogue, value="development", text="Fler utvecklingsmöjligheter för unga")
    login(client, make.user(dialogue.municipality))
    text = take_export(client, dialogue.id, "csv").get_data().decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "Fler utvecklingsmöjligheter för unga" in cells and all(SOFT_HYPHEN not in c for c in cells)
    report = take_export(client, dialogue.id, "report-html").get_data(as_text=True)
    assert BROKEN in _headings(report)[0][1]  # the report's h1, for a phone
    outside = re.sub(r"<h([1-3])[^>]*>.*?</h\1>", "", report, flags=re.S)
    assert SOFT_HYPHEN not in outside and TITLE in outside  # its <title>, tables and alt texts
