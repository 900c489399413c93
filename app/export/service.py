"""Making an export: which formats exist, who may take them, producing the file, logging it."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l

from ..domain import today_in_sweden
from ..models import Dialogue, audit
from ..spatial import SWEREF99_TM, WGS84
from .excel import write_xlsx
from .geo import geojson_chunks, write_gpkg
from .photos import ZIP_MIMETYPE, write_zip
from .render import report_html, report_pdf
from .source import ALLOWED_CRS, ExportOptions, pin_count, response_count
from .tabular import answers_csv, pins_csv


@dataclass(frozen=True)
class Format:
    key: str
    label: object
    mimetype: str
    extension: str
    raw: bool  # raw data: only the working group and the project leader may take it
    crs: tuple[int, ...] = ()  # the CRSs a format may be written in; () = fixed columns


FORMATS = {f.key: f for f in (
    Format("gpkg", _l("GeoPackage for QGIS and ArcGIS"), "application/geopackage+sqlite3", "gpkg",
           True, ALLOWED_CRS),
    Format("geojson", _l("GeoJSON (WGS84)"), "application/geo+json", "geojson", True, (WGS84,)),
    Format("csv", _l("Comments as CSV"), "text/csv; charset=utf-8", "csv", True),
    Format("answers-csv", _l("Answers as CSV, one row per response"), "text/csv; charset=utf-8",
           "csv", True),
    Format("xlsx", _l("Excel workbook"),
           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", True),
    Format("report-html", _l("Report as a web page"), "text/html; charset=utf-8", "html", False),
    Format("report-pdf", _l("Report as PDF"), "application/pdf", "pdf", False),
    # The closed dialogue's E-ARK SIP (app/records/archive.py): every file above, hidden comments
    # included and flagged, with METS and PREMIS; for the municipality's archive (e-arkiv).
    Format("archive", _l("Archive package (E-ARK SIP as a ZIP file)"), "application/zip", "zip", True),
)}
# Jobs that are no export but are run, followed and downloaded like one, each started from its
# own page: finding theme suggestions replaces the open ones and gives them as a CSV.
TASKS = {f.key: f for f in (
    Format("theme-suggestions", _l("Theme suggestions (CSV)"), "text/csv; charset=utf-8", "csv", True),
    # Hot spots of a big lattice (app/analysis/hotspot_results.py): the result as JSON, for the page.
    Format("hotspots", _l("Hot spots (computed)"), "application/json", "json", False),
)}
JOB_FORMATS = {**FORMATS, **TASKS}
# The formats with one row per pin, which can carry each pin's photo (then a ZIP with photos/).
PHOTO_FORMATS = ("gpkg", "geojson", "csv", "xlsx")


def permission_for(fmt: Format) -> str:
    """The access.py permission a format needs: raw data needs 'export', the report 'view'."""
    return "export" if fmt.raw else "view"


class ExportRefused(ValueError):
    """The options do not fit the format; the message (lazily translated) is for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def check_options(fmt: Format, options: ExportOptions) -> None:
    """Refuse a coordinate system the format cannot carry, and photos where there are no pins."""
    if options.photos and fmt.key not in PHOTO_FORMATS:
        raise ExportRefused(_l("Photos can be exported with the comments (GeoPackage, GeoJSON, "
                               "CSV or Excel), not with this format."))
    if fmt.crs and options.crs not in fmt.crs:
        raise ExportRefused(_l("This format cannot be written in EPSG:%(crs)s.", crs=options.crs))
    if not fmt.crs and options.crs not in (SWEREF99_TM, WGS84):
        raise ExportRefused(_l("This format always has WGS84 and SWEREF 99 TM columns."))


@dataclass
class ExportFile:
    filename: str
    mimetype: str
    rows: int
    chunks: Iterator[str] | None = None  # streamed as it is read
    path: Path | None = None  # a finished temporary file


def expected_rows(dialogue_id: int, fmt: Format, options: ExportOptions) -> int:
    """The rows an export will read (pins, responses or both), for its progress bar; 0 for the
    report, whose progress is not counted in rows."""
    if fmt.key in ("report-html", "report-pdf"):
        return 0
    if fmt.key == "theme-suggestions":  # every comment that is not hidden is read once
        return pin_count(dialogue_id, options)
    if fmt.key == "hotspots":  # one step per value and sentiment tested
        from ..analysis.hotspots import LAYERS

        return len(LAYERS)
    if fmt.key == "archive":  # the GeoPackage and the comments (every pin), then the answers
        return 2 * pin_count(dialogue_id, ExportOptions(include_hidden=True)) + response_count(dialogue_id)
    if fmt.key == "answers-csv":
        return response_count(dialogue_id)
    pins = pin_count(dialogue_id, options)
    return pins + response_count(dialogue_id) if fmt.key == "xlsx" else pins


def filename(dialogue: Dialogue, fmt: Format, options: ExportOptions) -> str:
    """A download name that says what is inside."""
    crs = f"-epsg{options.crs}" if fmt.key == "gpkg" else ""
    suffix = "-svar" if fmt.key == "answers-csv" else ""
    # The case number leads, so a registrar filing the download sees where it belongs (a CSV has no
    # other place for it).
    case = dialogue.diarienummer and re.sub(r"[^A-Za-z0-9]+", "-", dialogue.diarienummer).strip("-") + "_"
    case = case or ""
    return f"{case}{dialogue.slug}{suffix}{crs}-{today_in_sweden().isoformat()}.{fmt.extension}"


def method_rows(dialogue: Dialogue, options: ExportOptions) -> list[tuple[str, object, str]]:
    """What the person opening the file needs to know about it: (key, label, value)."""
    return [
        ("dialogue", _l("Dialogue"), dialogue.title),
        ("municipality", _l("Municipality"), dialogue.municipality.name),
        ("diarienummer", _l("Case number (diarienummer)"), dialogue.diarienummer or ""),
        ("survey", _l("Survey"), dialogue.survey_version.survey_key),
        ("survey_hash", _l("Version of the survey (hash)"), dialogue.survey_version.content_hash),
        ("moderation", _l("Moderation"), dialogue.moderation),
        ("exported", _l("Exported"), today_in_sweden().isoformat()),
        ("hidden_pins", _l("Hidden comments"),
         str(_l("included, column Hidden = 1")) if options.include_hidden else str(_l("left out"))),
        ("coordinates", _l("Coordinates"),
         "lat/lng WGS84 (EPSG:4326); sweref99tm_e/n SWEREF 99 TM (EPSG:3006)"),
        ("times", _l("Times"), str(_l("Swedish time (Europe/Stockholm)"))),
        ("response", _l("Respondent"),
         str(_l("a pseudonym (HMAC) of the response, not the resident's receipt code"))),
        ("text_cells", _l("Text cells"),
         str(_l("texts are stored as text cells, so nothing in them runs as a formula"))),
    ]


def _temporary(suffix: str) -> Path:
    handle, name = tempfile.mkstemp(prefix="platsdialog-export-", suffix=suffix)
    os.close(handle)
    return Path(name)


def produce(dialogue: Dialogue, fmt: Format, options: ExportOptions) -> ExportFile:
    """The export: streamed text for CSV and GeoJSON, a temporary file for the rest; with photos,
    a temporary ZIP holding the main file and photos/<pin id>.jpg."""
    check_options(fmt, options)
    export = _produce_main(dialogue, fmt, options)
    if not options.photos:
        return export
    archive = _temporary(".zip")
    try:
        write_zip(dialogue, options, archive, export.filename, export.path, export.chunks)
    finally:
        if export.path is not None:
            export.path.unlink()
    return ExportFile(export.filename.rsplit(".", 1)[0] + ".zip", ZIP_MIMETYPE, export.rows,
                      path=archive)


def _produce_main(dialogue: Dialogue, fmt: Format, options: ExportOptions) -> ExportFile:
    """The main file of an export (without photos)."""
    name = filename(dialogue, fmt, options)
    if fmt.key == "csv":
        return ExportFile(name, fmt.mimetype, pin_count(dialogue.id, options), pins_csv(dialogue, options))
    if fmt.key == "geojson":
        return ExportFile(name, fmt.mimetype, pin_count(dialogue.id, options),
                          geojson_chunks(dialogue, options))
    if fmt.key == "answers-csv":
        return ExportFile(name, fmt.mimetype, response_count(dialogue.id), answers_csv(dialogue))
    if fmt.key == "report-html":
        return ExportFile(name, fmt.mimetype, 1, iter([report_html(dialogue, options.quotes)]))
    if fmt.key == "theme-suggestions":
        from ..themes.service import suggestions_csv

        return ExportFile(name, fmt.mimetype, pin_count(dialogue.id, options), suggestions_csv(dialogue))
    if fmt.key == "hotspots":
        from ..analysis.hotspot_results import result_json

        return ExportFile(name, fmt.mimetype, 1, iter([result_json(dialogue, options.args)]))
    path = _temporary("." + fmt.extension)
    if fmt.key == "gpkg":
        path.unlink()  # GDAL creates the file itself
        rows = write_gpkg(dialogue, options, path)
    elif fmt.key == "archive":
        rows = _archive(dialogue, path)
    elif fmt.key == "xlsx":
        rows = write_xlsx(dialogue, options, path, method_rows(dialogue, options))
    else:
        path.write_bytes(report_pdf(dialogue, options.quotes))
        rows = 1
    return ExportFile(name, fmt.mimetype, rows, path=path)


def check_dialogue(dialogue: Dialogue, fmt: Format) -> None:
    """Refuse an archive package of a dialogue that is still open (its records are not final)."""
    from ..records.archive import ARCHIVE_STATUSES

    if fmt.key == "archive" and dialogue.status not in ARCHIVE_STATUSES:
        raise ExportRefused(_l("Only a closed or archived dialogue can be packed for the archive."))


def _archive(dialogue: Dialogue, path: Path) -> int:
    """Write the archive package to path; its rows are every pin (twice) and every response."""
    from flask import current_app, has_request_context

    from ..records.archive import ArchiveRefused, archive_zip

    try:
        if has_request_context():
            archive_zip(dialogue, path)
        else:  # a worker: the report inside needs a request for its texts and links
            with current_app.test_request_context():
                archive_zip(dialogue, path)
    except ArchiveRefused as refused:
        raise ExportRefused(_l("Only a closed or archived dialogue can be packed for the archive.")
                            ) from refused
    return expected_rows(dialogue.id, FORMATS["archive"], ExportOptions())


def log_export(dialogue: Dialogue, fmt: Format, options: ExportOptions, rows: int, *,
               user=None, token=None, via: str) -> None:
    """Record who took what, when and how many rows (the caller commits)."""
    audit.record("export", user=user, municipality_id=dialogue.municipality_id, obj=dialogue,
                 format=fmt.key, rows=rows, crs=options.crs, include_hidden=options.include_hidden,
                 photos=options.photos, via=via, api_token_id=getattr(token, "id", None))
