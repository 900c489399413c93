"""Turning an export into an HTTP download: streamed text, or a temporary file sent and removed."""

from __future__ import annotations

import os
from dataclasses import replace

from flask import Response, request, send_file, stream_with_context

from ..access import can
from ..extensions import db
from .service import ExportFile, ExportRefused, Format, log_export, produce
from .source import ALLOWED_CRS, ExportOptions


def options_from_request(fmt: Format) -> ExportOptions:
    """The options in the query string (crs, include_hidden, photos), defaults per format."""
    default = 3006 if fmt.key != "geojson" else 4326
    raw_crs = request.args.get("crs", "")
    crs = int(raw_crs) if raw_crs.isdigit() and int(raw_crs) in ALLOWED_CRS else None
    if raw_crs and crs is None:
        raise ExportRefused("EPSG:" + raw_crs[:10])
    return ExportOptions(crs=crs or default,
                         include_hidden=request.args.get("include_hidden") in ("1", "on", "true"),
                         photos=request.args.get("photos") in ("1", "on", "true"))


def download(dialogue, fmt: Format, options: ExportOptions, *, user=None, token=None,
             via: str) -> Response:
    """Produce, log (one commit), and send the export.

    A streamed body is read after the commit and after the request's app context (and its
    session) has ended, so the chunks ``produce`` returns must hold ids and plain values only,
    never an ORM object to read lazily.

    A planner's report quotes comments only if the planner may read them (a steering group, the
    network coordinator without the municipality's grant); a token is the municipality's own.
    """
    if user is not None:
        options = replace(options, quotes=can(user, "read_raw", dialogue.municipality))
    export: ExportFile = produce(dialogue, fmt, options)
    log_export(dialogue, fmt, options, export.rows, user=user, token=token, via=via)
    db.session.commit()
    disposition = {"Content-Disposition": f'attachment; filename="{export.filename}"'}
    if export.chunks is not None:
        return Response(stream_with_context(c.encode("utf-8") for c in export.chunks),
                        mimetype=export.mimetype, headers=disposition)
    handle = open(export.path, "rb")  # noqa: SIM115 - send_file closes it after sending
    os.unlink(export.path)  # the open handle keeps the data until the response is sent
    return send_file(handle, mimetype=export.mimetype, as_attachment=True,
                     download_name=export.filename)
