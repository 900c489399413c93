"""The report's blocks as a standalone HTML document and as a PDF (fpdf2, DejaVu fonts)."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import TYPE_CHECKING

from flask import render_template
from flask_babel import force_locale

from ..models import Dialogue
from .report import Block, build_report

if TYPE_CHECKING:
    from fpdf import FPDF

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core (scripts/setup.sh)


def report_html(dialogue: Dialogue, quotes: bool = True) -> str:
    """The report as one HTML file, maps inlined, in Swedish."""
    with force_locale("sv"):
        blocks = build_report(dialogue, quotes)
        return render_template("export/report.html", blocks=blocks, title=blocks[0].text)


def _new_pdf() -> FPDF:
    """An A4 document with page numbers. fpdf2 (with fontTools, ~50 MB) is imported only here,
    so every other export process (a GeoPackage of a million pins) stays within its memory."""
    from fpdf import FPDF

    class _Pdf(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("DejaVu", size=8)
            self.cell(0, 8, f"{self.page_no()}", align="C")

    return _Pdf(format="A4")


def report_pdf(dialogue: Dialogue, quotes: bool = True) -> bytes:
    """The report as a PDF (A4), in Swedish."""
    with force_locale("sv"):
        blocks = build_report(dialogue, quotes)
    return blocks_pdf(blocks)


def blocks_pdf(blocks: list[Block]) -> bytes:
    """An A4 PDF in Swedish of report blocks, the first a heading that is also the title."""
    pdf = _new_pdf()
    pdf.set_title(blocks[0].text)
    pdf.set_lang("sv")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_page()
    for n, block in enumerate(blocks):
        _draw(pdf, block, first=n == 0)
    return bytes(pdf.output())


def _draw(pdf: FPDF, block: Block, first: bool) -> None:
    width = pdf.epw
    if block.kind == "heading":
        pdf.set_font("DejaVu", "B", 18 if first else 13)
        pdf.ln(2 if first else 4)
        pdf.multi_cell(width, 8, block.text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    elif block.kind in ("paragraph", "quote"):
        pdf.set_font("DejaVu", size=10)
        indent = 8 if block.kind == "quote" else 0
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(width - indent, 5.5, block.text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
    elif block.kind == "table":
        pdf.set_font("DejaVu", size=9)
        with pdf.table(width=width, line_height=5.5, first_row_as_headings=True,
                       text_align="LEFT") as table:
            for row in block.rows:
                table.row(row)
        pdf.ln(3)
    elif block.kind == "image":
        shown = width * 0.8  # two maps fit on a page
        if pdf.get_y() + 8 + shown * 0.71 > pdf.h - 20:
            pdf.add_page()
        pdf.set_font("DejaVu", "B", 10)
        pdf.multi_cell(width, 6, block.text, new_x="LMARGIN", new_y="NEXT")
        pdf.image(io.BytesIO(block.png), w=shown, alt_text=block.text)
        pdf.ln(3)


def b64(data: bytes) -> str:
    """Base64 text of bytes, for data URIs in the HTML report."""
    return base64.b64encode(data).decode("ascii")
