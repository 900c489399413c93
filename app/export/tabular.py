"""CSV and Excel exports: pins, responses (one wide row each), a summary per value, the method.

CSV is UTF-8 *with* a byte-order mark and comma-separated (RFC 4180): without the BOM, Excel
opens UTF-8 as Windows-1252 and garbles å, ä and ö; Python reads it with encoding="utf-8-sig".
Every text cell that a spreadsheet could take for a formula (it begins with =, +, -, @, a tab or a
carriage return) gets a leading apostrophe; numbers in numeric columns stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from openpyxl import Workbook

from ..domain import SENTIMENTS, VALUE_LABELS, VALUES
from ..models import Dialogue
from ..surveys import definition_from_frozen
from ..surveys.errors import SurveyError
from .source import PIN_COLUMNS, ExportOptions, iter_pins, iter_responses, photo_name

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
PIN_HEADER = (*PIN_COLUMNS, "hidden", "lat", "lng", "sweref99tm_e", "sweref99tm_n")


def neutralise(value: object) -> object:
    """A text cell made safe from formula injection; any other value unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _number(value: float | None) -> float | None:
    return None if value is None or value != value else float(value)  # NaN -> empty


def pin_header(options: ExportOptions) -> list[str]:
    """The pin columns, with the photo's path in the ZIP when photos are exported."""
    return [*PIN_HEADER, "photo"] if options.photos else list(PIN_HEADER)


def pin_row(pin: dict, photos: bool = False) -> list:
    """One pin as a row under pin_header()."""
    row = [pin[name] for name in PIN_COLUMNS]
    row[PIN_COLUMNS.index("created_at")] = pin["created_at"].isoformat() + "Z"  # naive UTC
    row[PIN_COLUMNS.index("has_photo")] = int(pin["has_photo"])
    row += [int(pin["moderation_state"] == "hidden"), _number(pin["lat"]), _number(pin["lng"]),
            _number(pin["sweref_e"]), _number(pin["sweref_n"])]
    if photos:
        row.append(photo_name(pin["pin_id"]) if pin["has_photo"] else None)
    return [neutralise(v) for v in row]


def answer_columns(dialogue: Dialogue) -> list[str]:
    """Question ids with an answer of their own, from the frozen survey the dialogue published."""
    try:
        definition = definition_from_frozen(dialogue.survey_version.definition)
    except SurveyError:
        return []
    return [q.id for q in definition.questions if q.answerable and q.type != "map_pin"]


def answer_cell(value: object) -> object:
    """An answer as one cell: choices joined with '; ', 'other: text' for write-ins."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int | float):
        return value
    if isinstance(value, dict):
        chosen = value.get("selected")
        parts = chosen if isinstance(chosen, list) else [chosen]
        parts = [p for p in parts if p and p != "other"] + [f"other: {value.get('other', '')}"]
        return neutralise("; ".join(str(p) for p in parts))
    if isinstance(value, list):
        return neutralise("; ".join(str(v) for v in value))
    return neutralise(str(value))


def response_rows(dialogue: Dialogue) -> tuple[list[str], Iterator[list]]:
    """The wide answers table: a header and one row per response."""
    columns = answer_columns(dialogue)
    header = ["response", "created_at", "language", *columns]
    dialogue_id = dialogue.id  # read now: a streamed body runs after the audit commit (see http.py)

    def rows() -> Iterator[list]:
        for r in iter_responses(dialogue_id):
            yield [r.response, r.created_at.isoformat(), r.language,
                   *(answer_cell(r.answers.get(c)) for c in columns)]

    return header, rows()


def csv_chunks(header: Iterable, rows: Iterable[list], every: int = 500) -> Iterator[str]:
    """CSV text (BOM first) in chunks of rows, for a streamed download or a file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(header)
    for n, row in enumerate(rows, start=1):
        writer.writerow(row)
        if n % every == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def pins_csv(dialogue: Dialogue, options: ExportOptions) -> Iterator[str]:
    """The pins as CSV: WGS84 lat/lng and SWEREF 99 TM easting/northing columns."""
    return csv_chunks(pin_header(options),
                      (pin_row(p, options.photos) for p in iter_pins(dialogue.id, options)))


def answers_csv(dialogue: Dialogue) -> Iterator[str]:
    """The answers as a wide CSV, one row per response, question ids as columns."""
    header, rows = response_rows(dialogue)
    return csv_chunks(header, rows)


def value_summary(dialogue_id: int, options: ExportOptions) -> dict[str, dict[str, int]]:
    """Pins per value and sentiment."""
    from sqlalchemy import func, select

    from ..extensions import db
    from ..models import Pin

    summary = {v: dict.fromkeys(SENTIMENTS, 0) for v in VALUES}
    for value, sentiment, count in db.session.execute(
        select(Pin.value, Pin.sentiment, func.count())
        .where(Pin.dialogue_id == dialogue_id, Pin.moderation_state.in_(options.states))
        .group_by(Pin.value, Pin.sentiment)
    ):
        summary[value][sentiment] = count
    return summary


def _population_sheets(book: Workbook, dialogue: Dialogue, summary: dict) -> None:
    """Sheets population (respondents against inhabitants) and weighted, when there is a comparison."""
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
    sheet = book.create_sheet("population")
    sheet.append(GROUP_HEADER)
    for row in group_rows(comparison):
        sheet.append([neutralise(v) for v in row])
    weighted = book.create_sheet("weighted")
    weighted.append(WEIGHTED_HEADER)
    for row in weighted_rows(comparison, summary):
        weighted.append(row)
    weighted.append([])
    weighted.append(["method", method_text(comparison)])


def write_xlsx(dialogue: Dialogue, options: ExportOptions, path: Path, method: list[tuple]) -> int:
    """Write sheets pins, responses, summary and method (write-only: flat memory); return pins."""
    book = Workbook(write_only=True)
    pins = book.create_sheet("pins")
    pins.append(pin_header(options))
    count = 0
    for pin in iter_pins(dialogue.id, options):
        pins.append(pin_row(pin, options.photos))
        count += 1
    responses = book.create_sheet("responses")
    header, rows = response_rows(dialogue)
    responses.append(header)
    for row in rows:
        responses.append(row)
    summary_sheet = book.create_sheet("summary")
    summary_sheet.append(["value", "label", *SENTIMENTS, "total", "share"])
    summary = value_summary(dialogue.id, options)
    everything = sum(sum(s.values()) for s in summary.values()) or 1
    for value, by_sentiment in summary.items():
        total = sum(by_sentiment.values())
        summary_sheet.append([value, str(VALUE_LABELS[value]), *by_sentiment.values(), total,
                              round(total / everything, 4)])
    _population_sheets(book, dialogue, summary)
    method_sheet = book.create_sheet("method")
    for key, value in method:
        method_sheet.append([key, neutralise(value)])
    book.save(path)
    return count
