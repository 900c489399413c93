"""The planner's export page: start an export as a job, follow its progress, download its file."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..access import can, declares, dialogue_or_404, export_job_or_404
from ..analysis import hotspot_results
from ..jobs.service import QueueUnavailable, progress, recent_jobs
from ..records.archive import ARCHIVE_STATUSES
from .http import options_from_request, send_result, start
from .render import b64
from .service import FORMATS, JOB_FORMATS, PHOTO_FORMATS, ExportRefused, permission_for
from .source import ALLOWED_CRS, ExportOptions, pin_count, response_count

bp = Blueprint("export", __name__, url_prefix="/planering/dialoger/<int:dialogue_id>/export")
bp.add_app_template_filter(b64, "b64")

LARGE_EXPORT = 50_000


@bp.before_request
@login_required
def require_login():
    """Every export needs a logged-in planner."""


@bp.route("/")
@declares("view")
def index(dialogue_id: int):
    """The formats this user may take, and the exports they started lately."""
    dialogue = dialogue_or_404(dialogue_id, "view")
    may_export = can(current_user, "export", dialogue.municipality)
    formats = [f for f in FORMATS.values() if (may_export or not f.raw)
               and (f.key != "archive" or dialogue.status in ARCHIVE_STATUSES)]
    pins = pin_count(dialogue.id, ExportOptions(include_hidden=True))
    jobs = [(FORMATS[j.format], progress(j)) for j in recent_jobs(dialogue.id, current_user)
            if j.format in FORMATS]
    return render_template(
        "export/index.html", dialogue=dialogue, formats=formats, may_export=may_export, pins=pins,
        respondents=response_count(dialogue.id), large=pins >= LARGE_EXPORT, crs_choices=ALLOWED_CRS,
        photo_formats=PHOTO_FORMATS if dialogue.photos_allowed else (), jobs=jobs,
    )


@bp.route("/<fmt>", methods=["POST"])
@declares("export")  # the raw formats; the report needs only "view"
def take(dialogue_id: int, fmt: str):
    """Start an export of one format; raw data only for the working group and the project leader."""
    chosen = FORMATS.get(fmt)
    if chosen is None:
        abort(404)
    dialogue = dialogue_or_404(dialogue_id, permission_for(chosen))
    try:
        job = start(dialogue, chosen, options_from_request(chosen), user=current_user, via="ui")
    except ExportRefused as refusal:
        message = _("The export could not be made: %(why)s", why=str(refusal.message))
        return render_template("export/refused.html", dialogue_id=dialogue_id, message=message), 400
    except QueueUnavailable:
        message = _("The export could not be queued. Try again in a while.")
        return render_template("export/refused.html", dialogue_id=dialogue_id, message=message), 503
    return redirect(url_for(".job", dialogue_id=dialogue_id, job_id=job.id), code=303)


# The job's format decides inside (the report needs only "view"); labelled as the raw formats.
@bp.route("/jobb/<job_id>")
@declares("export")
def job(dialogue_id: int, job_id: str):
    """An export's progress, and its download when it is ready."""
    found = export_job_or_404(job_id, dialogue_id=dialogue_id)
    back = hotspot_results.page_args(found) if found.format == hotspot_results.FORMAT else {}
    return render_template("export/job.html", dialogue_id=dialogue_id, fmt=JOB_FORMATS[found.format],
                           job=progress(found), expires_at=found.expires_at, hotspot_args=back)


@bp.route("/jobb/<job_id>/status")
@declares("export")
def job_status(dialogue_id: int, job_id: str):
    """The same progress as JSON, for the page's script to follow without reloading."""
    return jsonify(progress(export_job_or_404(job_id, dialogue_id=dialogue_id)))


@bp.route("/jobb/<job_id>/fil")
@declares("export")
def job_file(dialogue_id: int, job_id: str):
    """The finished file (logged in the audit log as an export taken)."""
    found = export_job_or_404(job_id, dialogue_id=dialogue_id)
    state = progress(found)["state"]
    if state != "done":
        message = (_("The file has expired. Start the export again.") if state == "expired"
                   else _("The file is not ready yet."))
        return render_template("export/refused.html", dialogue_id=dialogue_id,
                               message=message), 410 if state == "expired" else 409
    return send_result(found, user=current_user)
