"""The Excel workbook: sheets and columns in the reader's language, each with its English key.

Opens right in Excel: a frozen header row and an autofilter on every sheet, dates as dates (in
Swedish time), shares as percentages, numbers as numbers. Formula safety is by cell type: a text
that begins with = + - @ is written as a text cell (inline string), never a formula, so it shows
as typed, without the apostrophe that CSV needs. Written in openpyxl's write-only mode, row by
row, so 100,000 pins take flat memory (bench/export.py measures it).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from ..domain import MUNICIPAL_TIMEZONE, SENTIMENT_LABELS, SENTIMENTS, VALUE_LABELS
from ..models import Dialogue
from .source import ExportOptions, iter_pins, iter_responses, photo_name
from .tabular import (
    FORMULA_STARTS,
    answer_columns,
    answer_text,
    measure_value,
    shape_wkt,
    value_summary,
)

DATE_FORMAT = "yyyy-mm-dd hh:mm"
STATE_LABELS = {"published": _l("Published"), "pending": _l("Waiting for moderation"),
                "hidden": _l("Hidden")}
SHAPE_LABELS = {"point": _l("Point"), "line": _l("Route"), "area": _l("Drawn area")}
LOCATION_LABELS = {"map": _l("On the map"), "named_place": _l("A named place"),
                   "described": _l("Described in words")}

# (English key as in the CSV, the column's name for a person, width in characters)
PIN_COLUMNS = (
    ("pin_id", _l("Comment id"), 10), ("response", _l("Respondent (pseudonym)"), 18),
    ("value_label", _l("Value"), 24), ("value", _l("Value (key)"), 12),
    ("sentiment_label", _l("Kind of comment"), 16), ("sentiment", _l("Kind (key)"), 11),
    ("text", _l("Comment"), 60), ("themes", _l("Themes"), 20),
    ("moderation_state", _l("Moderation"), 18), ("location_kind", _l("Where"), 18),
    ("shape_kind", _l("Drawn as"), 12),
    ("named_place", _l("Named place"), 18), ("place_description", _l("Place in words"), 24),
    ("has_photo", _l("Photo"), 8), ("created_at", _l("Created (Swedish time)"), 17),
    ("hidden", _l("Hidden"), 8), ("lat", _l("Latitude (WGS84)"), 13),
    ("lng", _l("Longitude (WGS84)"), 13), ("sweref99tm_e", _l("Easting (SWEREF 99 TM)"), 14),
    ("sweref99tm_n", _l("Northing (SWEREF 99 TM)"), 14),
    ("length_m", _l("Length (m)"), 11), ("area_m2", _l("Area (m²)"), 11),
    ("wkt", _l("Route or area (WKT, WGS84)"), 40),
)
PHOTO_COLUMN = ("photo", _l("Photo file"), 18)


def local_time(moment: datetime | None) -> datetime | None:
    """A UTC moment (naive or aware) as naive Swedish local time, which Excel shows as is."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(MUNICIPAL_TIMEZONE).replace(tzinfo=None)


class _Sheet:
    """A write-only sheet with a bold, frozen header row, an autofilter and column widths."""

    def __init__(self, book: Workbook, title: str, header: list[str], widths: Iterable[int] = ()):
        self.ws: WriteOnlyWorksheet = book.create_sheet(title[:31])
        self.width = len(header)
        self.rows = 1
        self.ws.freeze_panes = "A2"
        for i, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = width
        bold = Font(bold=True)
        self.ws.append([self._styled(text, font=bold) for text in header])

    def _styled(self, value, number_format: str | None = None, font: Font | None = None):
        cell = WriteOnlyCell(self.ws, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # a text, whatever it begins with: never a formula
        if number_format:
            cell.number_format = number_format
        if font:
            cell.font = font
        return cell

    def cell(self, value, number_format: str | None = None):
        """A value as a cell: text that could be read as a formula becomes a text cell."""
        if number_format or (isinstance(value, str) and value.startswith(FORMULA_STARTS)):
            return self._styled(value, number_format)
        return value

    def append(self, row: list) -> None:
        """One row of values or cells."""
        self.ws.append(row)
        self.rows += 1

    def close(self) -> None:
        """Put the autofilter over the header and every row (call after the last row)."""
        self.ws.auto_filter.ref = f"A1:{get_column_letter(self.width)}{self.rows}"


def _nan_to_none(value):
    return None if value is None or value != value else float(value)


def _labels(labels: dict) -> dict[str, str]:
    """Lazy labels turned into text once per export, not once per row."""
    return {key: str(label) for key, label in labels.items()}


def _pin_cells(sheet: _Sheet, pin: dict, photos: bool, labels: dict[str, dict[str, str]]) -> list:
    c = sheet.cell
    row = [
        pin["pin_id"], c(pin["response"]), labels["value"].get(pin["value"], pin["value"]),
        pin["value"], labels["sentiment"].get(pin["sentiment"], pin["sentiment"]),
        pin["sentiment"], c(pin["text"]), c(pin["themes"]),
        labels["state"].get(pin["moderation_state"], pin["moderation_state"]),
        labels["location"].get(pin["location_kind"], pin["location_kind"]),
        labels["shape"].get(pin["shape_kind"], pin["shape_kind"]), c(pin["named_place"]),
        c(pin["place_description"]), int(pin["has_photo"]),
        c(local_time(pin["created_at"]), DATE_FORMAT), int(pin["moderation_state"] == "hidden"),
        # Plain numbers: Excel shows up to 11 digits as they are, and a cell style per number
        # would cost a third of the time at 100,000 pins.
        _nan_to_none(pin["lat"]), _nan_to_none(pin["lng"]),
        _nan_to_none(pin["sweref_e"]), _nan_to_none(pin["sweref_n"]),
        measure_value(pin["length_m"]), measure_value(pin["area_m2"]), shape_wkt(pin["shape"]),
    ]
    if photos:
        row.append(photo_name(pin["pin_id"]) if pin["has_photo"] else None)
    return row


def write_xlsx(dialogue: Dialogue, options: ExportOptions, path: Path, method: list[tuple]) -> int:
    """Write the sheets comments, answers, summary, method and columns; return the pins."""
    book = Workbook(write_only=True)
    columns = [*PIN_COLUMNS, *((PHOTO_COLUMN,) if options.photos else ())]
    pins = _Sheet(book, _("Comments"), [str(label) for _key, label, _w in columns],
                  [w for _k, _l2, w in columns])
    labels = {"value": _labels(VALUE_LABELS), "sentiment": _labels(SENTIMENT_LABELS),
              "state": _labels(STATE_LABELS), "location": _labels(LOCATION_LABELS),
              "shape": _labels(SHAPE_LABELS)}
    count = 0
    for pin in iter_pins(dialogue.id, options):
        pins.append(_pin_cells(pins, pin, options.photos, labels))
        count += 1
    pins.close()

    question_ids = answer_columns(dialogue)
    answers = _Sheet(book, _("Answers"), [_("Respondent (pseudonym)"), _("Answered (Swedish time)"),
                                         _("Language"), *question_ids], [18, 17, 9])
    for r in iter_responses(dialogue.id):
        answers.append([answers.cell(r.response), answers.cell(local_time(r.created_at), DATE_FORMAT),
                        r.language, *(answers.cell(answer_text(r.answers.get(q)))
                                      for q in question_ids)])
    answers.close()

    _summary(book, dialogue, options)
    _population(book, dialogue, options)
    _method(book, method)
    _column_keys(book, columns, question_ids)
    book.save(path)
    return count


def _summary(book: Workbook, dialogue: Dialogue, options: ExportOptions) -> None:
    sheet = _Sheet(book, _("Summary"), [
        _("Value"), _("Value (key)"), *(str(SENTIMENT_LABELS[s]) for s in SENTIMENTS),
        _("Total"), _("Share of all comments")], [26, 12, 14, 14, 14, 10, 14])
    summary = value_summary(dialogue.id, options)
    everything = sum(sum(s.values()) for s in summary.values())
    for value, by_sentiment in summary.items():
        total = sum(by_sentiment.values())
        sheet.append([str(VALUE_LABELS[value]), value, *by_sentiment.values(), total,
                      sheet.cell(total / everything if everything else 0.0, "0.0%")])
    sheet.close()


def _population(book: Workbook, dialogue: Dialogue, options: ExportOptions) -> None:
    """Sheets Population (respondents against inhabitants) and Weighted, when there is a comparison."""
    from ..population.export import (
        GROUP_HEADER,
        WEIGHTED_HEADER,
        comparison_of,
        group_rows,
        method_text,
        weighted_rows,
    )

    comparison = comparison_of(dialogue, min_count=0)
    if comparison is None:
        return
    sheet = _Sheet(book, _("Reference population"), GROUP_HEADER, [12, 10, 14, 20, 12, 12, 12, 12, 10, 12])
    for row in group_rows(comparison):
        sheet.append([sheet.cell(v) for v in row])
    sheet.close()
    weighted = _Sheet(book, _("Weighted"), WEIGHTED_HEADER, [14, 16, 12, 18])
    for row in weighted_rows(comparison, value_summary(dialogue.id, options)):
        weighted.append(row)
    weighted.append([])
    weighted.append(["method", weighted.cell(method_text(comparison))])


def _method(book: Workbook, method: list[tuple]) -> None:
    sheet = _Sheet(book, _("Method"), [_("What"), _("Key"), _("Value")], [34, 16, 80])
    for key, label, value in method:
        sheet.append([str(label), key, sheet.cell(value)])
    sheet.close()


def _column_keys(book: Workbook, columns, question_ids: list[str]) -> None:
    sheet = _Sheet(book, _("Columns"), [_("Sheet"), _("Column"), _("Key (as in the CSV)")],
                   [14, 30, 20])
    for key, label, _width in columns:
        sheet.append([_("Comments"), str(label), key])
    for question_id in question_ids:
        sheet.append([_("Answers"), question_id, question_id])
    sheet.close()
