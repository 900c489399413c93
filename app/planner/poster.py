"""A printable poster (A4 or A3 PDF): the dialogue's title, a short text, the QR code and link.

The QR code is drawn as vector squares from segno's module matrix, so it stays sharp at any
print size; the text is DejaVu (Debian's fonts-dejavu-core, as the report uses) in Swedish.
"""

from __future__ import annotations

import segno
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from ..export.render import FONT_DIR
from ..models import Dialogue

SIZES = {"a4": "A4", "a3": "A3"}
SHORT_TEXT_CHARS = 420
INK = (26, 26, 26)
ACCENT = (0, 90, 156)  # app.css --accent


def short_text(text: str, limit: int = SHORT_TEXT_CHARS) -> str:
    """The description cut at a word before the limit, with an ellipsis when it was cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + " …"


def poster_pdf(dialogue: Dialogue, url: str, size: str = "a4") -> bytes:
    """The poster as a one-page PDF in the given paper size (a4 or a3)."""
    from fpdf import FPDF  # imported here, as in export.render: fpdf2 is large

    pdf = FPDF(format=SIZES[size])
    scale = pdf.w / 210  # every measure below is for A4 and grows with the paper
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(dialogue.title)
    pdf.set_lang("sv")
    pdf.set_margins(18 * scale, 18 * scale)
    pdf.add_page()
    width = pdf.epw
    with force_locale("sv"):
        heading = _("Have your say about the place")
        call = _("Scan the code with your phone's camera, or type the address:")
        when = (_("Open for answers until %(date)s.", date=format_date(dialogue.closes_on, "long"))
                if dialogue.closes_on else "")
        footer = _("Anonymous. No account needed. %(municipality)s.",
                   municipality=dialogue.municipality.name)
    pdf.set_fill_color(*ACCENT)
    pdf.rect(0, 0, pdf.w, 10 * scale, style="F")
    pdf.set_y(22 * scale)
    pdf.set_text_color(*ACCENT)
    pdf.set_font("DejaVu", "B", 16 * scale)
    pdf.multi_cell(width, 8 * scale, heading, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.set_font("DejaVu", "B", 30 * scale)
    pdf.multi_cell(width, 13 * scale, dialogue.title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4 * scale)
    text = short_text(dialogue.description or "")
    if text:
        pdf.set_font("DejaVu", "", 13 * scale)
        pdf.multi_cell(width, 6.5 * scale, text, new_x="LMARGIN", new_y="NEXT")
    _qr(pdf, url, top=max(pdf.get_y() + 8 * scale, 125 * scale), side=95 * scale)
    pdf.set_font("DejaVu", "", 12 * scale)
    pdf.multi_cell(width, 6 * scale, call, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 15 * scale)
    pdf.set_text_color(*ACCENT)
    pdf.multi_cell(width, 8 * scale, url, align="C", link=url, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    if when:
        pdf.set_font("DejaVu", "", 12 * scale)
        pdf.ln(2 * scale)
        pdf.multi_cell(width, 6 * scale, when, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(pdf.h - 22 * scale)
    pdf.set_font("DejaVu", "", 10 * scale)
    pdf.multi_cell(width, 5 * scale, footer, align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _qr(pdf, url: str, top: float, side: float) -> None:
    """The QR code of the link, centred, as black squares on white with its quiet zone."""
    qr = segno.make(url, error="m")
    matrix = [list(row) for row in qr.matrix]
    border = 4  # modules of quiet zone, as the standard asks
    module = side / (len(matrix) + 2 * border)
    left = (pdf.w - side) / 2
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(left, top, side, side, style="F")
    pdf.set_fill_color(0, 0, 0)
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):  # one rectangle per run of dark modules: fewer shapes, no seams
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                pdf.rect(left + (border + start) * module, top + (border + y) * module,
                         (x - start) * module, module, style="F")
            else:
                x += 1
    pdf.set_y(top + side + 4)
