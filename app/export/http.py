"""Exports over HTTP: options from the request, a job started for them, its finished file sent."""

from __future__ import annotations

from dataclasses import replace

from flask import request, send_file

from ..access import can
from ..extensions import db
from ..inputs import whole_number
from ..models import Dialogue, ExportJob
from .service import JOB_FORMATS, ExportRefused, Format, check_dialogue, log_export
from .source import ALLOWED_CRS, ExportOptions


def options_from_request(fmt: Format) -> ExportOptions:
    """The options in the form or query string (crs, include_hidden, photos), defaults per format."""
    default = 3006 if fmt.key != "geojson" else 4326
    raw_crs = request.values.get("crs", "")
    number = whole_number(raw_crs)
    crs = number if number in ALLOWED_CRS else None
    if raw_crs and crs is None:
        raise ExportRefused("EPSG:" + raw_crs[:10])
    return ExportOptions(crs=crs or default,
                         include_hidden=request.values.get("include_hidden") in ("1", "on", "true"),
                         photos=request.values.get("photos") in ("1", "on", "true"))


def start(dialogue: Dialogue, fmt: Format, options: ExportOptions, *, user=None, token=None,
          via: str) -> ExportJob:
    """Queue the export for a worker.

    A planner's report quotes comments only if the planner may read them (a steering group, the
    network coordinator without the municipality's grant); a token is the municipality's own.
    """
    from ..jobs.service import start_export

    check_dialogue(dialogue, fmt)
    if fmt.key == "archive":  # public records: the package always holds the hidden comments too
        options = replace(options, include_hidden=True)
    if user is not None:
        options = replace(options, quotes=can(user, "read_raw", dialogue.municipality))
    return start_export(dialogue, fmt, options, user=user, token=token, via=via)


def send_result(job: ExportJob, *, user=None, token=None):
    """Send a finished job's file; the download is what the audit log records (one commit)."""
    from ..jobs.service import result_path

    dialogue = db.session.get(Dialogue, job.dialogue_id)
    options = ExportOptions(**job.options)
    log_export(dialogue, JOB_FORMATS[job.format], options, job.rows_total, user=user, token=token,
               via=job.via)
    db.session.commit()
    response = send_file(result_path(job.id), mimetype=job.mimetype, as_attachment=True,
                         download_name=job.filename, max_age=0)
    response.headers["Cache-Control"] = "no-store"
    # As given: Werkzeug's `mimetype=` appends its own "; charset=utf-8" to one that has it.
    response.headers["Content-Type"] = job.mimetype
    return response
