"""CSV exports: pins and responses (one wide row each); the rows Excel shares (excel.py).

CSV is UTF-8 *with* a byte-order mark and comma-separated (RFC 4180): without the BOM, Excel
opens UTF-8 as Windows-1252 and garbles å, ä and ö; Python reads it with encoding="utf-8-sig".
Every text cell that a spreadsheet could take for a formula (it begins with =, +, -, @, a tab or a
carriage return) gets a leading apostrophe; numbers in numeric columns stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

import shapely

from ..domain import SENTIMENTS, VALUES
from ..inputs import clean_text_value
from ..models import Dialogue
from ..surveys import definition_from_frozen
from ..surveys.errors import SurveyError
from .source import PIN_COLUMNS, ExportOptions, iter_pins, iter_responses, photo_name

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
# lat/lng and sweref99tm_* are the comment's point: for a route or area the point kept on it;
# wkt is the drawn route or area itself (WGS84, longitude first), length_m / area_m2 its size.
PIN_HEADER = (*PIN_COLUMNS, "hidden", "lat", "lng", "sweref99tm_e", "sweref99tm_n",
              "length_m", "area_m2", "wkt")


def neutralise(value: object) -> object:
    """A text cell made safe from formula injection; any other value unchanged."""
    if not isinstance(value, str):
        return value
    # The edge refuses lone surrogates (app/inputs.py); one stored before that must not make
    # the workbook a file Excel calls corrupt.
    value = clean_text_value(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _number(value: float | None) -> float | None:
    return None if value is None or value != value else float(value)  # NaN -> empty


def measure_value(value: float | None) -> float | None:
    """A length (m) or area (m²) rounded to a tenth; empty for a point."""
    return None if value is None else round(float(value), 1)


def shape_wkt(shape) -> str | None:
    """A drawn route or area as WKT in WGS84 (longitude latitude), 7 decimals (about 1 cm)."""
    return None if shape is None else shapely.to_wkt(shape, rounding_precision=7, trim=True)


def pin_header(options: ExportOptions) -> list[str]:
    """The pin columns, with the photo's path in the ZIP when photos are exported."""
    return [*PIN_HEADER, "photo"] if options.photos else list(PIN_HEADER)


def pin_row(pin: dict, photos: bool = False) -> list:
    """One pin as a row under pin_header()."""
    row = [pin[name] for name in PIN_COLUMNS]
    row[PIN_COLUMNS.index("created_at")] = pin["created_at"].isoformat() + "Z"  # naive UTC
    row[PIN_COLUMNS.index("has_photo")] = int(pin["has_photo"])
    row += [int(pin["moderation_state"] == "hidden"), _number(pin["lat"]), _number(pin["lng"]),
            _number(pin["sweref_e"]), _number(pin["sweref_n"]), measure_value(pin["length_m"]),
            measure_value(pin["area_m2"]), shape_wkt(pin["shape"])]
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


def answer_text(value: object) -> object:
    """An answer as one cell's value: choices joined with '; ', 'other: text' for write-ins."""
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
        return "; ".join(str(p) for p in parts)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def answer_cell(value: object) -> object:
    """An answer as one CSV cell, safe from formula injection."""
    return neutralise(answer_text(value))


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
